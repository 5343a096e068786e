/**
 * Test and benchmark support: what an SQS event source mapping does, over the SQS wire protocol.
 * One poll receives a batch, invokes the handler with the event Lambda would build from it,
 * deletes the records the handler did not report failed, and leaves the failed ones in the queue
 * (made visible again at once, as if their visibility timeout had ended, so tests need not wait).
 * A handler that throws fails the whole batch, as it does for Lambda.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/** The handler signature of the consumer runtime (lambdas/consumer). */
export type SqsHandler = (
  event: { Records: unknown[] },
  context: { getRemainingTimeInMillis(): number; functionName: string; awsRequestId: string },
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** What one poll did. */
export interface PollResult {
  /** Message ids received, in order. */
  readonly received: readonly string[];
  /** Message ids the handler reported failed (all of them when it threw). */
  readonly failed: readonly string[];
  /** Message ids deleted. */
  readonly deleted: readonly string[];
}

/** The SQS event record Lambda builds from a received message. */
export function toEventRecord(m: Message, queueArn: string, region: string): Record<string, unknown> {
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      stringValue: v.StringValue,
      dataType: v.DataType,
      stringListValues: [],
      binaryListValues: [],
    };
  }
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body ?? "",
    attributes: { ...m.Attributes },
    messageAttributes,
    md5OfBody: m.MD5OfBody,
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

let invocation = 0;

/** How a poll receives: a long poll of `waitSeconds` (as Lambda's event source mapping does) that `abortSignal` ends. */
export interface ReceiveOptions {
  readonly waitSeconds?: number;
  readonly abortSignal?: AbortSignal;
}

/** One poll of the event source: receive up to `batchSize` (1-10), invoke, delete successes, release failures. */
export async function pollOnce(
  sqs: SQSClient,
  queue: { url: string; arn: string },
  handler: SqsHandler,
  batchSize = 10,
  region = "us-east-1",
  { waitSeconds = 0, abortSignal }: ReceiveOptions = {},
): Promise<PollResult> {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: batchSize,
      VisibilityTimeout: 60,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
    { abortSignal },
  );
  const messages = out.Messages ?? [];
  if (messages.length === 0) return { received: [], failed: [], deleted: [] };
  const context = {
    getRemainingTimeInMillis: () => 30_000,
    functionName: "consumer",
    awsRequestId: `invocation-${++invocation}`,
  };
  let failed: Set<string>;
  try {
    const response = await handler({ Records: messages.map((m) => toEventRecord(m, queue.arn, region)) }, context);
    failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  } catch {
    failed = new Set(messages.map((m) => m.MessageId!));
  }
  const ok = messages.filter((m) => !failed.has(m.MessageId!));
  const bad = messages.filter((m) => failed.has(m.MessageId!));
  if (ok.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: ok.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  if (bad.length > 0) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queue.url,
        Entries: bad.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
      }),
    );
  }
  return {
    received: messages.map((m) => m.MessageId!),
    failed: bad.map((m) => m.MessageId!),
    deleted: ok.map((m) => m.MessageId!),
  };
}

/** Polls until a poll receives nothing; returns every poll that received something. */
export async function pollUntilEmpty(
  sqs: SQSClient,
  queue: { url: string; arn: string },
  handler: SqsHandler,
  batchSize = 10,
  maxPolls = 50,
): Promise<PollResult[]> {
  const polls: PollResult[] = [];
  for (let i = 0; i < maxPolls; i++) {
    const p = await pollOnce(sqs, queue, handler, batchSize);
    if (p.received.length === 0) return polls;
    polls.push(p);
  }
  throw new Error(`${queue.url} still had messages after ${maxPolls} polls`);
}
