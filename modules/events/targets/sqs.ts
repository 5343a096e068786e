import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../../shared/module-schema";
import { RETENTION_SECONDS, VISIBILITY_TIMEOUT_SECONDS } from "../eventbridge-rules";
import { QueueAlarms } from "../queue-alarms";
import {
  int,
  maxReceiveCountSchema,
  messageSizeSchema,
  queueEncryptionSchema,
  targetBaseFields,
} from "../schema-parts";
import { TargetQueue } from "../target-queue";
import type { EventTargetBase, QueueEncryption } from "../types";
import { defineTargetKind } from "./target-kind";
import { keyFor } from "./util";

/** Settings of a target queue the module creates (and of that queue's own DLQ). */
export interface TargetQueueOptions {
  /** Visibility timeout in seconds (0-43200). @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Retention in seconds (60-1209600). @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** Receives before a message moves to the queue's own DLQ (1-1000). @default the construct's `defaultMaxReceiveCount` */
  readonly maxReceiveCount?: number;
  /** Largest message accepted, in bytes (1024-1048576). @default 1048576 */
  readonly maxMessageSizeBytes?: number;
  /** Encryption of the queue and its own DLQ. @default the construct's `defaultEncryption` */
  readonly encryption?: QueueEncryption;
}

/** Delivers to an SQS queue the module creates (the consuming service owns it). */
export interface SqsTargetOptions extends EventTargetBase {
  readonly kind: "sqs";
  /** The queue's settings. @default all defaults */
  readonly queue?: TargetQueueOptions;
}

/** Settings of a target queue the module creates. */
export const targetQueueSchema = z.strictObject({
  visibilityTimeoutSeconds: int(VISIBILITY_TIMEOUT_SECONDS.min, VISIBILITY_TIMEOUT_SECONDS.max).optional(),
  messageRetentionSeconds: int(RETENTION_SECONDS.min, RETENTION_SECONDS.max).optional(),
  maxReceiveCount: maxReceiveCountSchema.optional(),
  maxMessageSizeBytes: messageSizeSchema.optional(),
  encryption: queueEncryptionSchema.optional(),
});

const schema = z.strictObject({ kind: z.literal("sqs"), ...targetBaseFields, queue: targetQueueSchema.optional() });

/** An SQS queue the module creates (`<prefix>-<name>`, with its own DLQ `<prefix>-<name>-dlq`), written by the rule only. */
export const sqsTarget = defineTargetKind<SqsTargetOptions>({
  kind: "sqs",
  schema,
  takesRetryPolicy: true,
  queueStems: (t) => [t.name, `${t.name}-dlq`],
  keyUse: (t, kms) => {
    const uses = kms(t.queue?.encryption);
    return { uses, eventBridgeQueueStems: uses ? [t.name] : [] };
  },
  nameProblems: () => [],
  placeProblems: () => [],
  bind: (scope, c, t) => {
    const encryption = t.queue?.encryption ?? c.defaultEncryption;
    const kmsKeyArn = keyFor(encryption, c.keyArn);
    const targetQueue = new TargetQueue(scope, `${t.name}-queue`, {
      name: `${c.prefix}-${t.name}`,
      ruleArn: c.rule.arn,
      visibilityTimeoutSeconds: t.queue?.visibilityTimeoutSeconds,
      messageRetentionSeconds: t.queue?.messageRetentionSeconds,
      maxReceiveCount: t.queue?.maxReceiveCount ?? c.defaultMaxReceiveCount,
      maxMessageSizeBytes: t.queue?.maxMessageSizeBytes,
      encryption,
      kmsKeyArn,
    });
    new QueueAlarms(scope, `${t.name}-dlq-alarms`, {
      queueName: targetQueue.deadLetterQueueName,
      purpose: `messages the consumers of ${targetQueue.queueName} could not process (redrive with SQS's native move to the source queue)`,
      alarmTopicArn: c.alarmTopicArn,
      oldestMessageAgeSeconds: c.ageAlarm,
    });
    return { targetArn: targetQueue.queueArn, targetKmsKeyArn: kmsKeyArn, resources: { targetQueue } };
  },
  replayTarget: {
    pattern: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/,
    expected: "an SQS queue ARN for an sqs target",
  },
  // Replayed by SendMessage to the queue, under its key when it has one.
  redriveGrant: (route) => ({ queue: { arn: route.targetArn, kmsKeyArn: route.targetKmsKeyArn } }),
});

// The options interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _SqsSchemaMatchesProps = Assert<SchemaMatchesProps<z.input<typeof schema>, SqsTargetOptions>>;
