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
    statements.push(
      keyViaService(
        mode === "consume" ? "DecryptMessages" : "EncryptMessages",
        keyActions,
        queue.kmsKeyArn,
        `sqs.${aws.region}.${aws.dnsSuffix}`,
      ),
    );
  return inlinePolicy(scope, { id: `grant-${mode}`, resource: queue.queueName, what: mode }, roleName, statements);
}

/** A key's use by a role only through one AWS service (`kms:ViaService`), which uses it on the role's behalf. */
function keyViaService(
  sid: string,
  actions: readonly string[],
  keyArn: string,
  service: string,
): Record<string, unknown> {
  return {
    Sid: sid,
    Effect: "Allow",
    Action: [...actions],
    Resource: keyArn,
    Condition: { StringEquals: { "kms:ViaService": service } },
  };
}

/**
 * A grant's inline policy on a role (by name), `<resource>-<what>`: at most 128 characters and unique per role (hashed
 * with the resource, the grant and the role when cut).
 */
function inlinePolicy(
  scope: Construct,
  grant: { readonly id: string; readonly resource: string; readonly what: string },
  roleName: string,
  statements: readonly Record<string, unknown>[],
): IamRolePolicy {
  if (roleName.trim() === "") throw new Error(`grant on ${grant.resource}: expected a role name, got ""`);
  return new IamRolePolicy(scope, `${grant.id}-${shortHash(roleName)}`, {
    name: boundedName(`${grant.resource}-${grant.what}`, "", 128, `${grant.resource} ${grant.what} ${roleName}`),
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
    statements.push(
      keyViaService(
        "UseTableKey",
        mode === "read" ? ["kms:Decrypt"] : ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        table.kmsKeyArn,
        `dynamodb.${aws.region}.${aws.dnsSuffix}`,
      ),
    );
  return inlinePolicy(
    scope,
    { id: `grant-table-${mode}`, resource: table.tableName, what: mode },
    roleName,
    statements,
  );
}

/** Lets a role (by name) put events on a bus: `events:PutEvents` on exactly that bus. */
export function grantPutEvents(
  scope: Construct,
  bus: { busArn: string; busName: string },
  roleName: string,
): IamRolePolicy {
  return inlinePolicy(scope, { id: "grant-put-events", resource: bus.busName, what: "put-events" }, roleName, [
    { Sid: "PutEvents", Effect: "Allow", Action: ["events:PutEvents"], Resource: bus.busArn },
  ]);
}
