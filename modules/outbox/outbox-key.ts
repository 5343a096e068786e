import type { KmsKey } from "@cdktn/provider-aws/lib/kms-key";
import type { Construct } from "constructs";
import { createModuleKey } from "../shared/module-key";
import { OUTBOX_DEFAULTS } from "./defaults";

/**
 * The outbox's customer key: it encrypts the pipes' data at rest (filter and template), their DLQ and a created
 * table. No service principal needs it directly: every use is by a role through a service (SQS, DynamoDB, Pipes act
 * for the caller), and each role is granted it on this key's ARN.
 */
export function createOutboxKey(scope: Construct, name: string, tags: Record<string, string> | undefined): KmsKey {
  return createModuleKey(scope, {
    alias: `outbox/${name}`,
    description: `Encrypts the ${name} outbox: its pipes' data, DLQ and state table`,
    deletionWindowDays: OUTBOX_DEFAULTS.keyDeletionWindowDays,
    tags,
  });
}
