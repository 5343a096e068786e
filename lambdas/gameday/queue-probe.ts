/** The route's queue and DLQ on SQS: their URLs, depth, and a look at what a DLQ holds that leaves it as it was. */
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { orderIdOf } from "./orders";
import type { QueuePort } from "./ports";

/** Seconds a scanned message stays hidden: long enough to read the whole DLQ once, released right after. */
const SCAN_VISIBILITY_SECONDS = 60;

export class SqsQueues implements QueuePort {
  constructor(private readonly sqs: SQSClient) {}

  async url(queueName: string) {
    return (await this.sqs.send(new GetQueueUrlCommand({ QueueName: queueName }))).QueueUrl!;
  }

  async depth(queueUrl: string) {
    const names = [
      "ApproximateNumberOfMessages",
      "ApproximateNumberOfMessagesNotVisible",
      "ApproximateNumberOfMessagesDelayed",
    ] as const;
    const out = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
    return names.reduce((sum, n) => sum + Number(out.Attributes?.[n] ?? 0), 0);
  }

  /** Receives until an empty receive, hiding each message for the scan, then makes every one visible again. */
  async scan(queueUrl: string, runId: string) {
    const held: Message[] = [];
    const ids = new Set<string>();
    try {
      for (;;) {
        const out = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: SCAN_VISIBILITY_SECONDS,
            WaitTimeSeconds: 0,
          }),
        );
        const messages = out.Messages ?? [];
        if (messages.length === 0) break;
        held.push(...messages);
        for (const m of messages) {
          const id = orderIdOf(m.Body, runId);
          if (id) ids.add(id);
        }
      }
    } finally {
      await this.release(queueUrl, held);
    }
    return ids;
  }

  private async release(queueUrl: string, held: readonly Message[]) {
    for (let i = 0; i < held.length; i += 10) {
      const batch = held.slice(i, i + 10);
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
        }),
      );
    }
  }
}
