import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktn/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedriveAllowPolicy } from "@cdktn/provider-aws/lib/sqs-queue-redrive-allow-policy";
import type { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { grantQueue } from "../shared/grants";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import {
  MAX_RECEIVE_COUNT,
  MESSAGE_SIZE_BYTES,
  RETENTION_SECONDS,
  VISIBILITY_TIMEOUT_SECONDS,
} from "./eventbridge-rules";
import { denyInsecureTransport, EVENTS_PRINCIPAL, queueEncryption } from "./queue-encryption";
import type { QueueEncryption } from "./types";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { EVENTS_DEFAULTS } from "./defaults";

/** Props of TargetQueue. */
export interface TargetQueueProps {
  /** Queue name (1-76 letters, digits, '-' or '_'; its DLQ is `<name>-dlq`); required. */
  readonly name: string;
  /** ARN of the EventBridge rule that delivers to the queue; required. */
  readonly ruleArn: string;
  /** Visibility timeout in seconds (0-43200). @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Retention in seconds (60-1209600). Its DLQ keeps messages 14 days. @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** Receives before a message moves to the queue's DLQ (1-1000). @default 5 */
  readonly maxReceiveCount?: number;
  /** Largest message accepted, in bytes (1024-1048576), for the queue and its DLQ. @default 1048576 */
  readonly maxMessageSizeBytes?: number;
  /** SQS-managed SSE or a customer KMS key, for the queue and its DLQ. @default "sqs-managed" */
  readonly encryption?: QueueEncryption;
  /** The customer KMS key, when `encryption` is "kms" (its policy must let EventBridge use it). @default none */
  readonly kmsKeyArn?: string;
}

/** TargetQueueProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const targetQueuePropsSchema = z
  .strictObject({
    name: z.string(),
    ruleArn: z.string(),
    visibilityTimeoutSeconds: z.number().optional(),
    messageRetentionSeconds: z.number().optional(),
    maxReceiveCount: z.number().optional(),
    maxMessageSizeBytes: z.number().optional(),
    encryption: z.enum(["sqs-managed", "kms"]).optional(),
    kmsKeyArn: z.string().optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(
      /^[A-Za-z0-9_-]{1,76}$/.test(props.name),
      "name",
      `expected a standard queue name of 1-76 letters, digits, '-' or '_' (its DLQ adds "-dlq"), got "${props.name}"`,
    );
    v.integerInRange(
      props.visibilityTimeoutSeconds,
      "visibilityTimeoutSeconds",
      VISIBILITY_TIMEOUT_SECONDS.min,
      VISIBILITY_TIMEOUT_SECONDS.max,
    );
    v.integerInRange(
      props.messageRetentionSeconds,
      "messageRetentionSeconds",
      RETENTION_SECONDS.min,
      RETENTION_SECONDS.max,
    );
    v.integerInRange(props.maxReceiveCount, "maxReceiveCount", MAX_RECEIVE_COUNT.min, MAX_RECEIVE_COUNT.max);
    v.integerInRange(props.maxMessageSizeBytes, "maxMessageSizeBytes", MESSAGE_SIZE_BYTES.min, MESSAGE_SIZE_BYTES.max);
    v.check(
      props.encryption !== "kms" || !!props.kmsKeyArn,
      "kmsKeyArn",
      'expected a KMS key ARN when encryption is "kms"',
    );
  });

/**
 * An SQS queue a rule delivers to, owned by the consuming service, with its own dead-letter queue
 * for messages the consumer cannot process (`redrive_policy`, `maxReceiveCount`). The DLQ's
 * redrive-allow policy names this queue as its only source, so SQS's native redrive
 * (StartMessageMoveTask) moves messages back. The queue policy grants `sqs:SendMessage` only to
 * EventBridge for the one rule; both queues refuse plain HTTP.
 */
export class TargetQueue extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  /** ARN of the target queue. */
  readonly queueArn: string;
  /** URL of the target queue. */
  readonly queueUrl: string;
  /** Name of the target queue. */
  readonly queueName: string;
  /** ARN of the queue's own (consumer) DLQ. */
  readonly deadLetterQueueArn: string;
  /** URL of the queue's own (consumer) DLQ. */
  readonly deadLetterQueueUrl: string;
  /** Name of the queue's own (consumer) DLQ. */
  readonly deadLetterQueueName: string;
  /** The customer KMS key of the queue ("kms" encryption). @default none: SSE-SQS */
  readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: TargetQueueProps) {
    super(scope, id);
    parseProps(`TargetQueue ${id}`, targetQueuePropsSchema, props);

    const encryption = queueEncryption(props.encryption ?? EVENTS_DEFAULTS.encryption, props.kmsKeyArn);
    const maxMessageSize = props.maxMessageSizeBytes ?? EVENTS_DEFAULTS.maxMessageSizeBytes;

    this.deadLetterQueueName = `${props.name}-dlq`;
    this.deadLetterQueue = new SqsQueue(this, "dlq", {
      name: this.deadLetterQueueName,
      fifoQueue: false,
      messageRetentionSeconds: RETENTION_SECONDS.max,
      maxMessageSize,
      ...encryption,
    });
    this.queue = new SqsQueue(this, "queue", {
      name: props.name,
      fifoQueue: false,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds ?? EVENTS_DEFAULTS.visibilityTimeoutSeconds,
      messageRetentionSeconds: props.messageRetentionSeconds ?? EVENTS_DEFAULTS.messageRetentionSeconds,
      maxMessageSize,
      ...encryption,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: props.maxReceiveCount ?? EVENTS_DEFAULTS.maxReceiveCount,
      }),
    });
    this.queueArn = this.queue.arn;
    this.queueUrl = this.queue.url;
    this.queueName = props.name;
    this.kmsKeyArn = props.encryption === "kms" ? props.kmsKeyArn : undefined;
    this.deadLetterQueueArn = this.deadLetterQueue.arn;
    this.deadLetterQueueUrl = this.deadLetterQueue.url;

    new SqsQueueRedriveAllowPolicy(this, "dlq-redrive-allow", {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [this.queue.arn] }),
    });
    new SqsQueuePolicy(this, "policy", {
      queueUrl: this.queue.url,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EventBridgeRuleDelivers",
            Effect: "Allow",
            Principal: { Service: EVENTS_PRINCIPAL },
            Action: "sqs:SendMessage",
            Resource: this.queue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": props.ruleArn } },
          },
          denyInsecureTransport(this.queue.arn),
        ],
      }),
    });
    new SqsQueuePolicy(this, "dlq-policy", {
      queueUrl: this.deadLetterQueue.url,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(this.deadLetterQueue.arn)] }),
    });
  }

  /** Lets a role (by name, in this account) consume the queue: receive, delete, change visibility, and its key through SQS. */
  grantConsumeMessages(roleName: string): IamRolePolicy {
    return grantQueue(this, this, roleName, "consume");
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _TargetQueueSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof targetQueuePropsSchema>, TargetQueueProps>
>;
