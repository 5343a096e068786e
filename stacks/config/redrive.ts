import { z } from "zod";
import { REDRIVE_LOG_RETENTION_DAYS } from "../../modules/redrive/redrive-function";
import { kmsKeyArn } from "./primitives";

/** The `redrive` section of env/<name>.json: the redrive function (modules/redrive) that drains the event DLQs. */

const int = (min: number, max: number) => z.int().min(min).max(max);
const sqsQueueArn = z.string().regex(/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/, {
  message: "expected an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders",
});
const errorCode = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,128}$/, { message: "expected an EventBridge error code such as TIMEOUT" });

/** A periodic run for chosen error codes (off unless configured). */
export const redriveScheduleSchema = z.strictObject({
  expression: z.string().regex(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/, {
    message: "expected rate(<n> <unit>) or cron(...)",
  }),
  errorCodes: z.array(errorCode).min(1),
  maxMessages: int(1, 10_000_000).optional(),
  enabled: z.boolean().default(true),
});

export const redriveSchema = z
  .strictObject({
    /** Deploy the function; default true. */
    enabled: z.boolean().default(true),
    maxRedrives: int(1, 1000).default(3),
    concurrency: int(1, 64).default(8),
    rate: int(1, 100_000).optional(),
    visibilityTimeoutSeconds: int(1, 43_200).default(60),
    maxMessages: int(1, 10_000_000).optional(),
    timeoutSeconds: int(60, 900).default(300),
    memoryMb: int(128, 10_240).default(512),
    /** Reserved concurrent executions of the function; default unreserved (a reservation fails in accounts whose concurrency quota is 10). */
    reservedConcurrency: int(1, 100).optional(),
    logRetentionDays: z
      .int()
      .refine((d) => (REDRIVE_LOG_RETENTION_DAYS as readonly number[]).includes(d), {
        message: `expected one of ${REDRIVE_LOG_RETENTION_DAYS.join(", ")}`,
      })
      .default(90),
    additionalDestinations: z
      .array(z.strictObject({ queueArn: sqsQueueArn, kmsKeyArn: kmsKeyArn.optional() }))
      .default([]),
    schedule: redriveScheduleSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const seen = new Map<string, number>();
    r.additionalDestinations.forEach((d, i) => {
      const first = seen.get(d.queueArn);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["additionalDestinations", i, "queueArn"],
          message: `expected each queue once; it is already additionalDestinations[${first}]`,
        });
      } else seen.set(d.queueArn, i);
    });
    if (
      r.schedule &&
      r.maxMessages !== undefined &&
      r.schedule.maxMessages !== undefined &&
      r.schedule.maxMessages > r.maxMessages
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["schedule", "maxMessages"],
        message: `expected at most maxMessages (${r.maxMessages}), got ${r.schedule.maxMessages}`,
      });
    }
  });

/** The validated `redrive` section. */
export type RedriveConfig = z.infer<typeof redriveSchema>;
