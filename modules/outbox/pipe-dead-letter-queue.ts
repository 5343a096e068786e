import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktn/provider-aws/lib/sqs-queue-policy";
import type { Construct } from "constructs";
import { MESSAGE_SIZE_BYTES, RETENTION_SECONDS } from "../events/eventbridge-rules";
import { denyInsecureTransport } from "../events/queue-encryption";

/**
 * The pipes' dead-letter queue: what a pipe gives up on (after its retries, or past the record age) arrives here as a
 * failure record naming the pipe and the batch's shard and sequence range, not the records themselves; the redrive
 * reads them back from the stream. Encrypted with the outbox's key, kept 14 days (SQS's maximum), never another
 * queue's DLQ; only the pipe role may send to it.
 */
export function createPipeDeadLetterQueue(
  scope: Construct,
  name: string,
  kmsKeyArn: string,
  pipeRoleArn: string,
  tags: Record<string, string> | undefined,
): SqsQueue {
  const queue = new SqsQueue(scope, "dlq", {
    name: `${name}-pipe-dlq`,
    messageRetentionSeconds: RETENTION_SECONDS.max,
    maxMessageSize: MESSAGE_SIZE_BYTES.max,
    kmsMasterKeyId: kmsKeyArn,
    kmsDataKeyReusePeriodSeconds: 300,
    redriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }),
    tags,
  });
  new SqsQueuePolicy(scope, "dlq-policy", {
    queueUrl: queue.url,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "OnlyThePipesSendFailures",
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:SendMessage",
          Resource: queue.arn,
          Condition: { ArnNotEquals: { "aws:PrincipalArn": pipeRoleArn } },
        },
        denyInsecureTransport(queue.arn),
      ],
    }),
  });
  return queue;
}
