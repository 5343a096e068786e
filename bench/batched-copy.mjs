// The raw batched copy, the benchmark's reference loop: `workers` loops, each ReceiveMessage 10 (no wait) /
// SendMessageBatch / DeleteMessageBatch until a receive comes back empty. One copy of it, used in-process by
// bench/redrive.ts and as a process of its own by bench/raw-copy.mjs, so both measure the same loop.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";

/** Moves every message of `from` to `to`; calls `onBatch(movedSoFar)` after each batch. */
export async function batchedCopy(sqs, from, to, workers, onBatch = () => {}) {
  let moved = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        const { Messages } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: from,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ["All"],
            WaitTimeSeconds: 0,
          }),
        );
        if (!Messages?.length) return;
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: to,
            Entries: Messages.map((m, i) => ({
              Id: String(i),
              MessageBody: m.Body,
              MessageAttributes: m.MessageAttributes,
            })),
          }),
        );
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: from,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
        moved += Messages.length;
        onBatch(moved);
      }
    }),
  );
  return moved;
}
