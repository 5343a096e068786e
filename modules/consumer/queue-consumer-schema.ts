import { z } from "zod";
import { tagsSchema } from "../shared/aws-tags";
import { type FaultInjectionReadiness, faultInjectionReadinessSchema } from "../fault-injection/readiness";
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

/** The queue a consumer reads. */
export interface ConsumedQueue {
  /** ARN of the queue (standard); required. */
  readonly arn: string;
  /** Name of the queue (alarm dimension); required. */
  readonly name: string;
  /** The queue's visibility timeout in seconds, checked against the consumer's timing; required. */
  readonly visibilityTimeoutSeconds: number;
  /** Name of the queue's DLQ, for the DLQ depth alarm. @default none (no such alarm) */
  readonly deadLetterQueueName?: string;
  /** Customer KMS key of the queue (the role may decrypt with it through SQS). @default none (SQS-managed SSE) */
  readonly kmsKeyArn?: string;
}

/** An outbox's state table the business step writes (conditional puts and updates: modules/outbox, state-writer.ts). */
export interface StateTableAccess {
  /** ARN of the table; required. */
  readonly arn: string;
  /** Name of the table (the runtime's CONSUMER_STATE_TABLE); required. */
  readonly name: string;
  /** Customer KMS key of the table, used through DynamoDB. @default none */
  readonly kmsKeyArn?: string;
}

/** Props of QueueConsumer. */
export interface QueueConsumerProps {
  /** Function name (1-52 letters, digits, '-', '_': the table adds "-idempotency"; also names its role, log group and alarms); required. */
  readonly functionName: string;
  /** The queue consumed; required. */
  readonly queue: ConsumedQueue;
  /** SNS topic every alarm publishes to; required. */
  readonly alarmTopicArn: string;
  /** Folder holding the esbuild bundle (index.js) of the handler; a relative one is resolved from the working directory. @default the template's bundle shipped in the package (`<package>/dist/lambdas/consumer`), found from the module, not the working directory */
  readonly bundleDir?: string;
  /** Extra environment variables of the function (not CONSUMER_*, AWS_* or POWERTOOLS_SERVICE_NAME). @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** Function timeout in seconds (1-900). @default 30 */
  readonly timeoutSeconds?: number;
  /** Memory in MB (128-10240). @default 256 */
  readonly memorySize?: number;
  /** Records per batch (1-10000; above 10 needs a batching window). @default 10 */
  readonly batchSize?: number;
  /** Seconds the event source waits to fill a batch (0-300). @default 0 */
  readonly maximumBatchingWindowSeconds?: number;
  /** Concurrent invocations the event source may use for this queue (2-1000). @default 2 */
  readonly maximumConcurrency?: number;
  /**
   * Reserved concurrency (>= maximumConcurrency, so the event source is never throttled).
   * @default none (unreserved): the mapping's maximumConcurrency already caps the function, and a new account
   * (concurrency quota 10, all of it kept unreserved) refuses any reservation
   */
  readonly reservedConcurrency?: number;
  /** Log retention in days (a CloudWatch Logs retention value). @default 90 */
  readonly logRetentionDays?: number;
  /** Seconds an idempotency record (and the result it saved) is kept (60-2592000). @default 86400 (a day) */
  readonly idempotencyTtlSeconds?: number;
  /** Customer KMS key ARN of the idempotency table. @default the AWS managed key `aws/dynamodb` */
  readonly tableKmsKeyArn?: string;
  /** Age in seconds of the queue's oldest record at which the backlog alarm fires (60-1209600). @default 900 */
  readonly oldestMessageAgeAlarmSeconds?: number;
  /** An outbox's state table the business step writes: the role may get, put and update items of it. @default none */
  readonly stateTable?: StateTableAccess;
  /** Makes the function ready for FIS Lambda experiments (FaultInjection.readiness()). @default none: no layer, no grant */
  readonly faultInjection?: FaultInjectionReadiness;
  /** Tags of taggable resources. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

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
  stateTable: z
    .strictObject({
      arn: tokenOr(
        /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/,
        "expected a DynamoDB table ARN",
      ),
      name: tokenOr(/^[A-Za-z0-9_.-]{3,255}$/, "expected a DynamoDB table name"),
      kmsKeyArn: kmsKeyArnSchema.optional(),
    })
    .optional(),
  faultInjection: faultInjectionReadinessSchema.optional(),
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
