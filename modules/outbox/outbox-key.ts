import { KmsAlias } from "@cdktn/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktn/provider-aws/lib/kms-key";
import type { Construct } from "constructs";
import { awsContext } from "../shared/aws-context";
import { accountAdministersKey } from "../shared/kms-key-policy";
import { OUTBOX_DEFAULTS } from "./defaults";

/**
 * The outbox's customer key, rotated yearly: it encrypts the pipes' data at rest (filter and template), their DLQ
 * and a created table. The key policy leaves its use to the account's IAM policies (the pipe role, consumers, the
 * redrive are each granted it on this key's ARN): no service principal needs it directly, because every use is by a
 * role through a service (SQS, DynamoDB, Pipes act for the caller).
 */
export function createOutboxKey(scope: Construct, name: string, tags: Record<string, string> | undefined): KmsKey {
  const aws = awsContext(scope);
  const key = new KmsKey(scope, "key", {
    description: `Encrypts the ${name} outbox: its pipes' data, DLQ and state table`,
    enableKeyRotation: true,
    deletionWindowInDays: OUTBOX_DEFAULTS.keyDeletionWindowDays,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [accountAdministersKey(aws.partition, aws.accountId)],
    }),
    tags,
  });
  new KmsAlias(scope, "key-alias", { name: `alias/outbox/${name}`, targetKeyId: key.keyId });
  return key;
}
