/**
 * The engine's StreamPort over DynamoDB Streams (AWS SDK v3): GetShardIterator AT_SEQUENCE_NUMBER and GetRecords, the
 * records turned into the JSON form a pipe receives (binary values base64, ApproximateCreationDateTime in epoch
 * seconds), so the pipe's own filter and template apply to them unchanged. One client per region (from the stream
 * ARN), created on first use; credentials and endpoint from the standard AWS environment unless given.
 */
import type { DynamoDBStreamsClient, DynamoDBStreamsClientConfig } from "@aws-sdk/client-dynamodb-streams";
import { parseArn } from "../engine/decide";
import type { PipeStreamRecord, StreamPage, StreamPort } from "./port";

/** Options of the DynamoDB Streams port. */
export interface StreamsPortOptions {
  readonly client?: Omit<DynamoDBStreamsClientConfig, "region">;
}

let sdk: Promise<typeof import("@aws-sdk/client-dynamodb-streams")> | undefined;
const loadSdk = () => (sdk ??= import("@aws-sdk/client-dynamodb-streams"));

/** A value in the record's JSON form: Uint8Array -> base64, Date -> epoch seconds, recursively. */
export function toPipeJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (Array.isArray(value)) return value.map(toPipeJson);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toPipeJson(v)]),
    );
  return value;
}

export class StreamsPort implements StreamPort {
  private readonly clients = new Map<string, DynamoDBStreamsClient>();

  constructor(private readonly options: StreamsPortOptions = {}) {}

  private async clientFor(streamArn: string): Promise<DynamoDBStreamsClient> {
    const region = parseArn(streamArn)?.region;
    if (!region) throw new Error(`not a stream ARN with a region: ${streamArn}`);
    let client = this.clients.get(region);
    if (!client) {
      const { DynamoDBStreamsClient } = await loadSdk();
      client = this.clients.get(region) ?? new DynamoDBStreamsClient({ ...this.options.client, region });
      this.clients.set(region, client);
    }
    return client;
  }

  async iteratorAt(streamArn: string, shardId: string, sequenceNumber: string): Promise<string> {
    const { GetShardIteratorCommand } = await loadSdk();
    const out = await (await this.clientFor(streamArn)).send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: "AT_SEQUENCE_NUMBER",
        SequenceNumber: sequenceNumber,
      }),
    );
    if (!out.ShardIterator) throw new Error(`GetShardIterator gave no iterator for ${shardId} at ${sequenceNumber}`);
    return out.ShardIterator;
  }

  async read(streamArn: string, iterator: string): Promise<StreamPage> {
    const { GetRecordsCommand } = await loadSdk();
    const out = await (await this.clientFor(streamArn)).send(new GetRecordsCommand({ ShardIterator: iterator }));
    const records = (out.Records ?? []).map(
      (r) => ({ ...(toPipeJson(r) as object), eventSourceARN: streamArn }) as unknown as PipeStreamRecord,
    );
    return { records, ...(out.NextShardIterator ? { nextIterator: out.NextShardIterator } : {}) };
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
  }
}
