import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";
import { awsContext } from "./aws-context";
import { boundedName, shortHash } from "./bounded-name";

/** What a queue's consumer may do: receive, delete and hide (change visibility) messages, and read the queue. */
export const CONSUME_MESSAGES = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:ChangeMessageVisibility",
  "sqs:GetQueueAttributes",
  "sqs:GetQueueUrl",
] as const;

/** What a queue's producer may do: send, and read the queue. */
export const SEND_MESSAGES = ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"] as const;

/** A queue a grant names: its ARN and name, and its customer KMS key when it has one. */
export interface GrantedQueue {
  readonly queueArn: string;
  readonly queueName: string;
  /** @default none: SSE-SQS, no key to grant */
  readonly kmsKeyArn?: string;
}

/**
 * Lets a role (by name, in the queue's account) consume or send to a queue: an inline policy of exactly those
 * actions on exactly that queue, and, for a queue under a customer key, the key's use through SQS only
 * (`kms:ViaService`): Decrypt to receive, GenerateDataKey and Decrypt to send
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
 */
export function grantQueue(
  scope: Construct,
  queue: GrantedQueue,
  roleName: string,
  mode: "consume" | "send",
): IamRolePolicy {
  if (roleName.trim() === "") throw new Error(`grant on ${queue.queueName}: expected a role name, got ""`);
  const aws = awsContext(scope);
  const keyActions = mode === "consume" ? ["kms:Decrypt"] : ["kms:GenerateDataKey", "kms:Decrypt"];
  const statements: Record<string, unknown>[] = [
    {
      Sid: mode === "consume" ? "ConsumeMessages" : "SendMessages",
      Effect: "Allow",
      Action: [...(mode === "consume" ? CONSUME_MESSAGES : SEND_MESSAGES)],
      Resource: queue.queueArn,
    },
  ];
  if (queue.kmsKeyArn)
    statements.push({
      Sid: mode === "consume" ? "DecryptMessages" : "EncryptMessages",
      Effect: "Allow",
      Action: keyActions,
      Resource: queue.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `sqs.${aws.region}.${aws.dnsSuffix}` } },
    });
  return new IamRolePolicy(scope, `grant-${mode}-${shortHash(roleName)}`, {
    // Inline policy names: at most 128 characters, unique per role.
    name: boundedName(`${queue.queueName}-${mode}`, "", 128, `${queue.queueName} ${mode} ${roleName}`),
    role: roleName,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  });
}

/** Lets a role (by name) put events on a bus: `events:PutEvents` on exactly that bus. */
export function grantPutEvents(
  scope: Construct,
  bus: { busArn: string; busName: string },
  roleName: string,
): IamRolePolicy {
  if (roleName.trim() === "") throw new Error(`grant on ${bus.busName}: expected a role name, got ""`);
  return new IamRolePolicy(scope, `grant-put-events-${shortHash(roleName)}`, {
    name: boundedName(`${bus.busName}-put-events`, "", 128, `${bus.busName} put-events ${roleName}`),
    role: roleName,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "PutEvents", Effect: "Allow", Action: ["events:PutEvents"], Resource: bus.busArn }],
    }),
  });
}
