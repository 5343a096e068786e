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

/** What a table's reader may do: read items, query, and read the table's description. */
export const READ_ITEMS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:DescribeTable",
] as const;

/** What a table's writer may do: read and write single items (the outbox pattern: one state write per change). */
export const WRITE_ITEMS = [
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:ConditionCheckItem",
] as const;

/** A table a grant names: its ARN and name, and its customer KMS key when it has one. */
export interface GrantedTable {
  readonly tableArn: string;
  readonly tableName: string;
  /** @default none: an AWS owned or managed key, nothing to grant */
  readonly kmsKeyArn?: string;
}

/**
 * Lets a role (by name) read or write a table's items: exactly those actions on exactly that table (not its indexes or
 * stream), and, under a customer key, the key's use through DynamoDB only (`kms:ViaService`; DynamoDB encrypts and
 * decrypts with it on the caller's behalf: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html).
 */
export function grantTable(
  scope: Construct,
  table: GrantedTable,
  roleName: string,
  mode: "read" | "write",
): IamRolePolicy {
  if (roleName.trim() === "") throw new Error(`grant on ${table.tableName}: expected a role name, got ""`);
  const aws = awsContext(scope);
  const statements: Record<string, unknown>[] = [
    {
      Sid: mode === "read" ? "ReadItems" : "WriteItems",
      Effect: "Allow",
      Action: [...(mode === "read" ? READ_ITEMS : WRITE_ITEMS)],
      Resource: table.tableArn,
    },
  ];
  if (table.kmsKeyArn)
    statements.push({
      Sid: "UseTableKey",
      Effect: "Allow",
      Action: mode === "read" ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: table.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `dynamodb.${aws.region}.${aws.dnsSuffix}` } },
    });
  return new IamRolePolicy(scope, `grant-table-${mode}-${shortHash(roleName)}`, {
    name: boundedName(`${table.tableName}-${mode}`, "", 128, `${table.tableName} ${mode} ${roleName}`),
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
