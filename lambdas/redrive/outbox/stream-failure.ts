/**
 * What an outbox pipe's DLQ receives for a DynamoDB stream source: not the records, but where they are. The failure
 * record names the pipe (`context.partnerResourceArn`), why it gave up (`context.condition`, e.g.
 * RetryAttemptsExhausted) and the batch's place in the stream (`DDBStreamBatchInfo`: shardId, start and end sequence
 * numbers, arrival times of its first and last record, batch size, stream ARN), the same batch info Lambda's
 * on-failure records for stream sources carry (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html;
 * a pipe's example: DVLA engineering, "Streaming Application State Changes using DynamoDB streams and EventBridge
 * Pipes", 2024). Pure.
 */

/** A pipe's stream failure record, as the redrive uses it. */
export interface StreamFailure {
  readonly pipeArn: string;
  readonly condition: string;
  readonly shardId: string;
  /** The range's first and last sequence numbers (ordered: the smaller first). */
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly firstArrival: string | null;
  readonly lastArrival: string | null;
  readonly batchSize: number | null;
  readonly streamArn: string;
}

const PIPE_ARN = /^arn:aws[a-z-]*:pipes:[a-z0-9-]+:\d{12}:pipe\/[A-Za-z0-9._-]{1,64}$/;
const STREAM_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}\/stream\/\S+$/;
const SEQUENCE = /^\d{1,40}$/;

const parsed = new WeakMap<object, StreamFailure | null>();

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The failure a body holds, or undefined when it is not a pipe's stream failure record. */
export function parseStreamFailure(body: string): StreamFailure | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isObject(value.context) || !isObject(value.DDBStreamBatchInfo)) return undefined;
  const { partnerResourceArn, condition } = value.context;
  const b = value.DDBStreamBatchInfo;
  if (typeof partnerResourceArn !== "string" || !PIPE_ARN.test(partnerResourceArn)) return undefined;
  if (typeof b.shardId !== "string" || typeof b.streamArn !== "string" || !STREAM_ARN.test(b.streamArn))
    return undefined;
  if (typeof b.startSequenceNumber !== "string" || !SEQUENCE.test(b.startSequenceNumber)) return undefined;
  if (typeof b.endSequenceNumber !== "string" || !SEQUENCE.test(b.endSequenceNumber)) return undefined;
  const [start, end] = [b.startSequenceNumber, b.endSequenceNumber].sort((x, y) => compareSequence(x, y));
  const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    pipeArn: partnerResourceArn,
    condition: text(condition) ?? "unknown",
    shardId: b.shardId,
    startSequenceNumber: start,
    endSequenceNumber: end,
    firstArrival: text(b.approximateArrivalOfFirstRecord),
    lastArrival: text(b.approximateArrivalOfLastRecord),
    batchSize: Number.isInteger(b.batchSize) ? (b.batchSize as number) : null,
    streamArn: b.streamArn,
  };
}

/** The failure a message holds (parsed once per message object). */
export function streamFailureOf(msg: { readonly body: string }): StreamFailure | undefined {
  let hit = parsed.get(msg);
  if (hit === undefined) {
    hit = parseStreamFailure(msg.body) ?? null;
    parsed.set(msg, hit);
  }
  return hit ?? undefined;
}

/** Orders two sequence numbers (decimal strings of any length). */
export function compareSequence(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The range in words, for outcomes and errors. */
export function describeRange(f: StreamFailure): string {
  const when = f.firstArrival ? `, first written ${f.firstArrival}` : "";
  return `records ${f.startSequenceNumber}..${f.endSequenceNumber} of ${f.shardId} in ${f.streamArn}${when}`;
}
