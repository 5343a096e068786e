import { KmsAlias } from "@cdktn/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktn/provider-aws/lib/kms-key";
import { Token } from "cdktn";
import { Construct } from "constructs";
import { awsContext } from "../shared/aws-context";
import { accountAdministersKey } from "../shared/kms-key-policy";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { SQS_ARN } from "./eventbridge-rules";
import { EVENTS_PRINCIPAL } from "./queue-encryption";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { EVENTS_DEFAULTS } from "./defaults";

/** Props of EventsKey. */
export interface EventsKeyProps {
  /** Alias name without `alias/` (letters, digits, '/', '_' and '-'); required. */
  readonly alias: string;
  /** ARNs of the queues EventBridge sends to that the key encrypts (targets and delivery DLQs; EventBridge may use the key only for them); empty: EventBridge gets no grant (the key then serves IAM principals of the account only). */
  readonly queueArns: readonly string[];
  /** Days KMS waits before deleting the key (7-30). @default 30 */
  readonly deletionWindowDays?: number;
}

/** EventsKeyProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const eventsKeyPropsSchema = z
  .strictObject({ alias: z.string(), queueArns: z.array(z.string()), deletionWindowDays: z.number().optional() })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(
      /^[\w/-]{1,250}$/.test(props.alias) && !props.alias.startsWith("aws/"),
      "alias",
      `expected an alias name of letters, digits, '/', '_' and '-' (not under aws/), got "${props.alias}"`,
    );
    for (const [i, arn] of props.queueArns.entries()) {
      v.check(
        Token.isUnresolved(arn) || SQS_ARN.test(arn),
        `queueArns[${i}]`,
        `expected an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders, got "${arn}"`,
      );
    }
    v.integerInRange(props.deletionWindowDays, "deletionWindowDays", 7, 30);
  });

/**
 * Customer-managed KMS key for the module's queues that ask for KMS encryption, rotated yearly.
 * EventBridge may use it (kms:GenerateDataKey, kms:Decrypt) only for messages of the listed queues;
 * the account's IAM policies grant everyone else (consumers, the redrive). The queue policies let
 * only the feeding rule send, so the key needs no rule condition of its own.
 */
export class EventsKey extends Construct {
  readonly key: KmsKey;
  /** ARN of the key. */
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: EventsKeyProps) {
    super(scope, id);
    parseProps(`EventsKey ${id}`, eventsKeyPropsSchema, props);

    const aws = awsContext(this);
    const eventBridgeStatement = {
      Sid: "EventBridgeSendsToQueues",
      Effect: "Allow",
      Principal: { Service: EVENTS_PRINCIPAL },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      // Scoped by a key that is on every request of this path: SQS calls KMS for the sender with the
      // encryption context {"aws:sqs:arn": <queue ARN>} (SQS developer guide, "Amazon SQS Key management",
      // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html;
      // condition key kms:EncryptionContext:<context-key>, KMS developer guide,
      // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html). Not aws:SourceAccount /
      // aws:SourceArn: AWS does not document that they reach KMS on EventBridge -> SQS -> KMS (and documents
      // that they are not supported for EventBridge -> SNS), and a condition on an absent key would deny every
      // delivery and every dead-letter write (the DLQs use this key too): events lost. Not kms:ViaService: the
      // KMS guide describes it for requests a service makes on behalf of IAM principals; the context suffices.
      Condition: { StringEquals: { "kms:EncryptionContext:aws:sqs:arn": [...props.queueArns] } },
    };
    this.key = new KmsKey(this, "key", {
      description: `Encrypts event delivery and dead-letter queues (${props.alias})`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? EVENTS_DEFAULTS.keyDeletionWindowDays,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          accountAdministersKey(aws.partition, aws.accountId),
          ...(props.queueArns.length === 0 ? [] : [eventBridgeStatement]),
        ],
      }),
    });
    this.keyArn = this.key.arn;
    new KmsAlias(this, "alias", { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _EventsKeySchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof eventsKeyPropsSchema>, EventsKeyProps>
>;
