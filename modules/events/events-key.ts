import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { awsContext } from "../shared/aws-context";
import { KEY_ADMIN_ACTIONS } from "../shared/kms-key-policy";
import { PropsValidator } from "../shared/validation";
import { EVENTS_PRINCIPAL } from "./queue-encryption";

/** Props of EventsKey. */
export interface EventsKeyProps {
  /** Alias name without `alias/` (letters, digits, '/', '_' and '-'); required. */
  readonly alias: string;
  /** ARNs of the rules whose deliveries and dead letters the key encrypts (EventBridge may use the key only for them); required, at least one. */
  readonly ruleArns: readonly string[];
  /** Days KMS waits before deleting the key (7-30). @default 30 */
  readonly deletionWindowDays?: number;
}

/**
 * Customer-managed KMS key for the module's queues that ask for KMS encryption, rotated yearly.
 * EventBridge may use it (kms:GenerateDataKey, kms:Decrypt) only from this account and only
 * for the listed rules; the account's IAM policies grant everyone else (consumers, the redrive).
 */
export class EventsKey extends Construct {
  readonly key: KmsKey;
  /** ARN of the key. */
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: EventsKeyProps) {
    super(scope, id);
    const v = new PropsValidator(`EventsKey ${id}`);
    v.check(/^[\w/-]{1,250}$/.test(props.alias) && !props.alias.startsWith("aws/"), "alias", `expected an alias name of letters, digits, '/', '_' and '-' (not under aws/), got "${props.alias}"`);
    v.check(props.ruleArns.length > 0, "ruleArns", "expected at least one rule ARN");
    v.integerInRange(props.deletionWindowDays, "deletionWindowDays", 7, 30);
    v.throwIfInvalid();

    const aws = awsContext(this);
    this.key = new KmsKey(this, "key", {
      description: `Encrypts event delivery and dead-letter queues (${props.alias})`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: `arn:${aws.partition}:iam::${aws.accountId}:root` },
            Action: KEY_ADMIN_ACTIONS,
            Resource: "*",
          },
          {
            Sid: "EventBridgeRulesUseKey",
            Effect: "Allow",
            Principal: { Service: EVENTS_PRINCIPAL },
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: "*",
            Condition: {
              StringEquals: { "aws:SourceAccount": aws.accountId },
              ArnEquals: { "aws:SourceArn": [...props.ruleArns] },
            },
          },
        ],
      }),
    });
    this.keyArn = this.key.arn;
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }
}
