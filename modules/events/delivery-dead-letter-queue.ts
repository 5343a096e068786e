import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktn/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import {
  MESSAGE_SIZE_BYTES,
  RETENTION_SECONDS,
  STANDARD_QUEUE_NAME,
  standardQueueNameExpected,
} from "./eventbridge-rules";
import { denyInsecureTransport, EVENTS_PRINCIPAL, queueEncryption } from "./queue-encryption";
import type { QueueEncryption } from "./types";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { EVENTS_DEFAULTS } from "./defaults";

/** Props of DeliveryDeadLetterQueue. */
export interface DeliveryDeadLetterQueueProps {
  /** Queue name (1-80 letters, digits, '-' or '_'; standard queue, so no .fifo); required. */
  readonly name: string;
  /** ARN of the one EventBridge rule allowed to send to the queue; required. */
  readonly ruleArn: string;
  /** SQS-managed SSE or a customer KMS key. @default "sqs-managed" */
  readonly encryption?: QueueEncryption;
  /** The customer KMS key, when `encryption` is "kms" (its policy must let EventBridge use it). @default none */
  readonly kmsKeyArn?: string;
  /** Largest message accepted, in bytes (1024-1048576). @default 1048576 */
  readonly maxMessageSizeBytes?: number;
}

/** DeliveryDeadLetterQueueProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const deliveryDeadLetterQueuePropsSchema = z
  .strictObject({
    name: z.string(),
    ruleArn: z.string(),
    encryption: z.enum(["sqs-managed", "kms"]).optional(),
    kmsKeyArn: z.string().optional(),
    maxMessageSizeBytes: z.number().optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(STANDARD_QUEUE_NAME.test(props.name), "name", standardQueueNameExpected(props.name));
    v.integerInRange(props.maxMessageSizeBytes, "maxMessageSizeBytes", MESSAGE_SIZE_BYTES.min, MESSAGE_SIZE_BYTES.max);
    v.check(
      props.encryption !== "kms" || !!props.kmsKeyArn,
      "kmsKeyArn",
      'expected a KMS key ARN when encryption is "kms"',
    );
  });

/**
 * The dead-letter queue of one EventBridge target: a standard queue, encrypted, keeping messages
 * for 14 days (the SQS maximum). Only EventBridge, on behalf of the one rule, may send to it:
 * the policy allows `events.amazonaws.com` with `aws:SourceArn` = the rule and denies
 * `sqs:SendMessage` to every other caller; no SQS queue may use it as its own DLQ.
 */
export class DeliveryDeadLetterQueue extends Construct {
  readonly queue: SqsQueue;
  /** ARN of the queue. */
  readonly queueArn: string;
  /** URL of the queue. */
  readonly queueUrl: string;
  /** Name of the queue. */
  readonly queueName: string;

  constructor(scope: Construct, id: string, props: DeliveryDeadLetterQueueProps) {
    super(scope, id);
    parseProps(`DeliveryDeadLetterQueue ${id}`, deliveryDeadLetterQueuePropsSchema, props);

    this.queue = new SqsQueue(this, "queue", {
      name: props.name,
      fifoQueue: false,
      messageRetentionSeconds: RETENTION_SECONDS.max,
      maxMessageSize: props.maxMessageSizeBytes ?? EVENTS_DEFAULTS.maxMessageSizeBytes,
      ...queueEncryption(props.encryption ?? EVENTS_DEFAULTS.encryption, props.kmsKeyArn),
      redriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }),
    });
    this.queueArn = this.queue.arn;
    this.queueUrl = this.queue.url;
    this.queueName = props.name;

    new SqsQueuePolicy(this, "policy", {
      queueUrl: this.queue.url,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EventBridgeRuleSendsFailedEvents",
            Effect: "Allow",
            Principal: { Service: EVENTS_PRINCIPAL },
            Action: "sqs:SendMessage",
            Resource: this.queue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": props.ruleArn } },
          },
          {
            Sid: "DenySendFromAnyoneElse",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:SendMessage",
            Resource: this.queue.arn,
            Condition: { ArnNotEquals: { "aws:SourceArn": props.ruleArn } },
          },
          denyInsecureTransport(this.queue.arn),
        ],
      }),
    });
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _DeliveryDeadLetterQueueSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof deliveryDeadLetterQueuePropsSchema>, DeliveryDeadLetterQueueProps>
>;
