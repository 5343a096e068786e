import { z } from "zod";
import { tagsSchema } from "../shared/aws-tags";
import { logRetentionDaysSchema } from "../redrive/redrive-schema";
import {
  type Assert,
  type SchemaMatchesProps,
  kmsKeyArnSchema,
  rawField,
  snsTopicArnSchema,
  tokenOr,
} from "../shared/module-schema";
import {
  CONSUMER_DEFAULTS,
  type ConsumerTiming,
  consumerTimingProblems,
  QUEUE_CONSUMER_LIMITS,
} from "./consumer-rules";
import type { QueueConsumerProps } from "./queue-consumer";

/**
 * The value rules of QueueConsumer's props, as zod: the construct parses its props with `QueueConsumerSchema`, and
 * the environment config (stacks/config/consumers.ts) composes each consumer from the same field schemas.
 */

type Limit = { readonly min: number; readonly max: number };
const int = ({ min, max }: Limit) => z.int().min(min).max(max);
const L = QUEUE_CONSUMER_LIMITS;

// A consumer reads a standard queue (FIFO queues need ordered, per-group processing this template does not do).
const STANDARD_SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const RESERVED_VARIABLE = /^(CONSUMER_|AWS_|POWERTOOLS_SERVICE_NAME$)/;

/** The queue a consumer reads (ConsumedQueue). */
const consumedQueueSchema = z.strictObject({
  arn: tokenOr(STANDARD_SQS_ARN, "expected a standard SQS queue ARN"),
  name: tokenOr(QUEUE_NAME, "expected an SQS queue name"),
  visibilityTimeoutSeconds: int(L.queueVisibilityTimeoutSeconds),
  deadLetterQueueName: tokenOr(QUEUE_NAME, "expected an SQS queue name").optional(),
  kmsKeyArn: kmsKeyArnSchema.optional(),
});

/** A variable of the function's own: the module sets CONSUMER_*, and Lambda reserves AWS_*. */
const variableName = z
  .string()
  .regex(VARIABLE_NAME, { message: "expected a variable name of letters, digits and '_'" })
  .refine((k) => !RESERVED_VARIABLE.test(k), {
    message: "expected a name other than CONSUMER_*, AWS_* or POWERTOOLS_SERVICE_NAME (the module sets those)",
  });

/** The fields of QueueConsumerProps, each with its rule and default. */
export const queueConsumerFields = {
  functionName: z.string().regex(/^[A-Za-z0-9_-]{1,52}$/, {
    message: `expected 1-52 letters, digits, '-' or '_' (the table adds "-idempotency")`,
  }),
  queue: consumedQueueSchema,
  alarmTopicArn: snsTopicArnSchema,
  bundleDir: z.string().optional(),
  environment: z.record(variableName, z.string()).optional(),
  timeoutSeconds: int(L.timeoutSeconds).default(CONSUMER_DEFAULTS.timeoutSeconds),
  memorySize: int(L.memorySize).default(CONSUMER_DEFAULTS.memorySize),
  batchSize: int(L.batchSize).default(CONSUMER_DEFAULTS.batchSize),
  maximumBatchingWindowSeconds: int(L.maximumBatchingWindowSeconds).default(
    CONSUMER_DEFAULTS.maximumBatchingWindowSeconds,
  ),
  maximumConcurrency: int(L.maximumConcurrency).default(CONSUMER_DEFAULTS.maximumConcurrency),
  reservedConcurrency: int(L.reservedConcurrency).optional(),
  logRetentionDays: logRetentionDaysSchema.default(CONSUMER_DEFAULTS.logRetentionDays),
  idempotencyTtlSeconds: int(L.idempotencyTtlSeconds).default(CONSUMER_DEFAULTS.idempotencyTtlSeconds),
  tableKmsKeyArn: kmsKeyArnSchema.optional(),
  oldestMessageAgeAlarmSeconds: int(L.oldestMessageAgeAlarmSeconds).default(
    CONSUMER_DEFAULTS.oldestMessageAgeAlarmSeconds,
  ),
  tags: tagsSchema(0).optional(),
} as const;

/** The props of QueueConsumer: every field's rule and default, and the timing rule against the queue. */
export const QueueConsumerSchema = z.strictObject(queueConsumerFields).superRefine(
  (value, ctx) => {
    // The rule judges only whole numbers, so the raw values (when a field is invalid) are safe to pass.
    const timing = {
      ...(value as object),
      visibilityTimeoutSeconds: rawField(rawField(value, "queue"), "visibilityTimeoutSeconds"),
    };
    for (const p of consumerTimingProblems(timing as ConsumerTiming))
      ctx.addIssue({
        code: "custom",
        path: p.field === "visibilityTimeoutSeconds" ? ["queue", "visibilityTimeoutSeconds"] : [p.field],
        message: p.message,
      });
  },
  { when: () => true },
);

// Compile-time: the schema takes exactly the documented props.
export type QueueConsumerSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof QueueConsumerSchema>, QueueConsumerProps>
>;
