import { KmsAlias } from "@cdktn/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktn/provider-aws/lib/kms-key";
import type { Construct } from "constructs";
import { awsContext } from "./aws-context";
import { accountAdministersKey } from "./kms-key-policy";

/** What a module's own key is for. */
export interface ModuleKeyOptions {
  /** Alias name without `alias/`. */
  readonly alias: string;
  readonly description: string;
  /** Days KMS waits before deleting the key. */
  readonly deletionWindowDays: number;
  /** Statements for service principals that use the key themselves (e.g. CloudWatch Logs for a log group). @default none */
  readonly serviceStatements?: readonly Record<string, unknown>[];
  /** Tags of the key. @default none */
  readonly tags?: Record<string, string>;
}

/**
 * A module's customer key, rotated yearly. The key policy leaves its use to the account's IAM policies (each role is
 * granted it on the key's ARN), plus the statements of services that use it on their own behalf.
 */
export function createModuleKey(scope: Construct, o: ModuleKeyOptions): KmsKey {
  const aws = awsContext(scope);
  const key = new KmsKey(scope, "key", {
    description: o.description,
    enableKeyRotation: true,
    deletionWindowInDays: o.deletionWindowDays,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [accountAdministersKey(aws.partition, aws.accountId), ...(o.serviceStatements ?? [])],
    }),
    tags: o.tags,
  });
  new KmsAlias(scope, "key-alias", { name: `alias/${o.alias}`, targetKeyId: key.keyId });
  return key;
}
