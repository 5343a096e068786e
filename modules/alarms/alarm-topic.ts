import { KmsAlias } from "@cdktn/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktn/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktn/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktn/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktn/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { type AwsContext, awsContext } from "../shared/aws-context";
import { KEY_ADMIN_ACTIONS } from "../shared/kms-key-policy";
import { parseProps } from "../shared/parse-props";
import { AlarmTopicSchema } from "./alarm-topic-schema";
import type { AlarmTopicProps } from "./alarm-topic-schema";

export type { AlarmTopicProps } from "./alarm-topic-schema";

/**
 * An SNS topic for CloudWatch alarms, encrypted with its own KMS key. CloudWatch cannot publish
 * to a topic encrypted with the AWS-managed aws/sns key, so the key policy grants CloudWatch the
 * two actions it needs for this topic only (by SNS's encryption context), and the topic policy lets
 * only CloudWatch alarms of this account publish.
 */
export class AlarmTopic extends Construct {
  /** The topic alarms publish to. */
  readonly topic: SnsTopic;
  /** ARN of the topic, for `alarm_actions` / `ok_actions`. */
  readonly topicArn: string;
  /** The topic's KMS key. */
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const p = parseProps(`AlarmTopic ${id}`, AlarmTopicSchema, props);

    const aws = awsContext(this);
    this.key = this.createKey(p.name, p.keyDeletionWindowDays, aws);
    new KmsAlias(this, "key-alias", { name: `alias/${p.name}`, targetKeyId: this.key.keyId });

    this.topic = new SnsTopic(this, "topic", { name: p.name, kmsMasterKeyId: this.key.arn });
    this.topicArn = this.topic.arn;
    this.createTopicPolicy(aws);
    for (const [i, email] of p.emails.entries()) {
      new SnsTopicSubscription(this, `email-${i}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    }
  }

  /** The topic's key: administered by the account, used by CloudWatch for this topic only. */
  private createKey(name: string, deletionWindowDays: number | undefined, aws: AwsContext): KmsKey {
    const accountRoot = `arn:${aws.partition}:iam::${aws.accountId}:root`;
    return new KmsKey(this, "key", {
      description: `Encrypts the ${name} alarm topic`,
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministersKey",
            Effect: "Allow",
            Principal: { AWS: accountRoot },
            Action: KEY_ADMIN_ACTIONS,
            Resource: "*",
          },
          {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            // Scoped to this topic by a key that is on every request of this path: SNS calls KMS for the publisher
            // with the encryption context {"aws:sns:topicArn": <topic ARN>} (condition key
            // kms:EncryptionContext:<context-key>, https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html).
            // Not aws:SourceAccount: AWS does not document that it reaches KMS on CloudWatch -> SNS -> KMS (and documents
            // that such keys are not supported for EventBridge -> SNS, "Key management" in the SNS developer guide,
            // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html); a condition on an absent key would
            // drop every alarm notification. Who may publish (alarms of this account) is the topic policy's job.
            // The ARN is built from the name: referring to the topic would be a cycle (the topic names this key).
            Condition: {
              StringEquals: {
                "kms:EncryptionContext:aws:sns:topicArn": `arn:${aws.partition}:sns:${aws.region}:${aws.accountId}:${name}`,
              },
            },
          },
        ],
      }),
    });
  }

  /** Only this account's alarms may publish, and only over TLS. */
  private createTopicPolicy(aws: AwsContext): void {
    new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CloudWatchAlarmsOfThisAccount",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition: {
              StringEquals: { "aws:SourceAccount": aws.accountId },
              ArnLike: { "aws:SourceArn": `arn:${aws.partition}:cloudwatch:${aws.region}:${aws.accountId}:alarm:*` },
            },
          },
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: this.topic.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });
  }
}
