/**
 * The engine's StateMachinePort over Step Functions (AWS SDK v3): StartExecution in the region of the state machine
 * ARN. `ExecutionAlreadyExists` (the name was used within 90 days: an earlier run of the same replay started it) is
 * "already-started", not an error.
 */
import type { SFNClient, SFNClientConfig } from "@aws-sdk/client-sfn";
import { parseArn } from "../engine/decide";
import type { StateMachinePort } from "./port";

export interface SfnPortOptions {
  readonly client?: Omit<SFNClientConfig, "region">;
}

let sdk: Promise<typeof import("@aws-sdk/client-sfn")> | undefined;
const loadSdk = () => (sdk ??= import("@aws-sdk/client-sfn"));

export class SfnPort implements StateMachinePort {
  private readonly clients = new Map<string, SFNClient>();

  constructor(private readonly options: SfnPortOptions = {}) {}

  async startExecution(stateMachineArn: string, name: string, input: string): Promise<"started" | "already-started"> {
    const region = parseArn(stateMachineArn)?.region;
    if (!region) throw new Error(`not a state machine ARN with a region: ${stateMachineArn}`);
    const { SFNClient, StartExecutionCommand } = await loadSdk();
    let client = this.clients.get(region);
    if (!client) {
      client = new SFNClient({ ...this.options.client, region });
      this.clients.set(region, client);
    }
    try {
      await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
      return "started";
    } catch (err) {
      if ((err as { name?: string }).name === "ExecutionAlreadyExists") return "already-started";
      throw err;
    }
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
  }
}
