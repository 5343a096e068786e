/**
 * The engine's StateMachinePort over Step Functions (AWS SDK v3): StartExecution in the region of the state machine
 * ARN. `ExecutionAlreadyExists` (the name was used within 90 days: an earlier run of the same replay started it) is
 * "already-started", not an error.
 */
import type { SFNClient, SFNClientConfig } from "@aws-sdk/client-sfn";
import { parseArn } from "../engine/decide";
import type { ExecutionsPort, StateMachinePort, UnsuccessfulExecution } from "./port";

export interface SfnPortOptions {
  readonly client?: Omit<SFNClientConfig, "region">;
}

let sdk: Promise<typeof import("@aws-sdk/client-sfn")> | undefined;
const loadSdk = () => (sdk ??= import("@aws-sdk/client-sfn"));

export class SfnPort implements StateMachinePort, ExecutionsPort {
  private readonly clients = new Map<string, SFNClient>();

  constructor(private readonly options: SfnPortOptions = {}) {}

  private async clientFor(arn: string): Promise<SFNClient> {
    const region = parseArn(arn)?.region;
    if (!region) throw new Error(`not a Step Functions ARN with a region: ${arn}`);
    const { SFNClient } = await loadSdk();
    let client = this.clients.get(region);
    if (!client) {
      client = new SFNClient({ ...this.options.client, region });
      this.clients.set(region, client);
    }
    return client;
  }

  async startExecution(stateMachineArn: string, name: string, input: string): Promise<"started" | "already-started"> {
    const client = await this.clientFor(stateMachineArn);
    const { StartExecutionCommand } = await loadSdk();
    try {
      await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
      return "started";
    } catch (err) {
      if ((err as { name?: string }).name === "ExecutionAlreadyExists") return "already-started";
      throw err;
    }
  }

  async *unsuccessful(stateMachineArn: string): AsyncIterable<string> {
    const client = await this.clientFor(stateMachineArn);
    const { ListExecutionsCommand } = await loadSdk();
    for (const statusFilter of UNSUCCESSFUL) {
      let nextToken: string | undefined;
      do {
        const out = await client.send(
          new ListExecutionsCommand({ stateMachineArn, statusFilter, nextToken, maxResults: 100 }),
        );
        for (const e of out.executions ?? []) if (e.executionArn) yield e.executionArn;
        nextToken = out.nextToken;
      } while (nextToken);
    }
  }

  async describe(executionArn: string): Promise<UnsuccessfulExecution> {
    const client = await this.clientFor(executionArn);
    const { DescribeExecutionCommand, GetExecutionHistoryCommand } = await loadSdk();
    const d = await client.send(new DescribeExecutionCommand({ executionArn }));
    const history = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 25, includeExecutionData: false }),
    );
    const entered = (history.events ?? []).find((e) => e.stateEnteredEventDetails?.name);
    return {
      executionArn,
      status: d.status ?? "UNKNOWN",
      ...(d.stopDate ? { stopDate: d.stopDate } : {}),
      ...(d.error ? { error: d.error } : {}),
      ...(d.cause ? { cause: d.cause } : {}),
      ...(entered ? { failedState: entered.stateEnteredEventDetails!.name } : {}),
      // Absent (an older API answer): let RedriveExecution decide, and report its refusal.
      redrivable: d.redriveStatus !== "NOT_REDRIVABLE",
      ...(d.redriveStatusReason ? { notRedrivableReason: d.redriveStatusReason } : {}),
      redriveCount: d.redriveCount ?? 0,
    };
  }

  async redrive(executionArn: string): Promise<void> {
    const client = await this.clientFor(executionArn);
    const { RedriveExecutionCommand } = await loadSdk();
    await client.send(new RedriveExecutionCommand({ executionArn }));
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
  }
}

/** Statuses of an execution that did not succeed (the ones RedriveExecution may take). */
export const UNSUCCESSFUL = ["FAILED", "TIMED_OUT", "ABORTED"] as const;
