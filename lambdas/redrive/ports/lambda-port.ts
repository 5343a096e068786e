/**
 * The engine's FunctionPort over AWS Lambda (AWS SDK v3): asynchronous invokes, as EventBridge
 * invokes a Lambda target. One client per region (the region of each function ARN), created on
 * first use; credentials and endpoint come from the standard AWS environment (including
 * AWS_ENDPOINT_URL_LAMBDA) unless given.
 */
import type { LambdaClient, LambdaClientConfig } from "@aws-sdk/client-lambda";
import { parseArn } from "../engine/decide";
import type { FunctionPort } from "./port";

/** Options of the Lambda port. */
export interface LambdaPortOptions {
  /** Client configuration (endpoint, credentials, ...); the region always comes from the function ARN. Default: the standard AWS environment. */
  readonly client?: Omit<LambdaClientConfig, "region">;
}

/** The SDK module, loaded on first use: a run (or a Lambda container) without such targets never evaluates it. */
let sdk: Promise<typeof import("@aws-sdk/client-lambda")> | undefined;
const loadSdk = () => (sdk ??= import("@aws-sdk/client-lambda"));

export class LambdaPort implements FunctionPort {
  private readonly clients = new Map<string, LambdaClient>();

  constructor(private readonly options: LambdaPortOptions = {}) {}

  private async clientFor(functionArn: string): Promise<LambdaClient> {
    const region = parseArn(functionArn)?.region;
    if (!region) throw new Error(`not a Lambda function ARN with a region: ${functionArn}`);
    let client = this.clients.get(region);
    if (!client) {
      const { LambdaClient } = await loadSdk();
      // Another call may have made it while the module loaded.
      client = this.clients.get(region) ?? new LambdaClient({ ...this.options.client, region });
      this.clients.set(region, client);
    }
    return client;
  }

  /**
   * Invokes a function synchronously (InvocationType RequestResponse), as the CLI's Lambda
   * workers are run: `functionName` is a name or ARN, called in `region` (an ARN's own region wins).
   * Resolves with the status, the function error type (Unhandled/Handled), if any, and the payload.
   */
  async invokeSync(
    functionName: string,
    region: string | undefined,
    payload: Uint8Array,
  ): Promise<{ statusCode: number; functionError?: string; payload: Uint8Array }> {
    const where = parseArn(functionName)?.region ?? region;
    if (!where) throw new Error(`no region for function ${functionName}: set AWS_REGION or name the function by ARN`);
    let client = this.clients.get(where);
    const { LambdaClient, InvokeCommand } = await loadSdk();
    if (!client) {
      client = this.clients.get(where) ?? new LambdaClient({ ...this.options.client, region: where });
      this.clients.set(where, client);
    }
    const out = await client.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: payload }),
    );
    return {
      statusCode: out.StatusCode ?? 0,
      ...(out.FunctionError ? { functionError: out.FunctionError } : {}),
      payload: out.Payload ?? new Uint8Array(),
    };
  }

  async invokeAsync(functionArn: string, payload: Uint8Array): Promise<number> {
    const client = await this.clientFor(functionArn);
    const { InvokeCommand } = await loadSdk();
    const out = await client.send(
      new InvokeCommand({ FunctionName: functionArn, InvocationType: "Event", Payload: payload }),
    );
    return out.StatusCode ?? 0;
  }

  /** Closes the clients' connections. */
  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
  }
}
