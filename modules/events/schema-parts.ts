import { Token } from "cdktn";
import { z } from "zod";
import {
  EVENT_AGE_SECONDS,
  EVENTS_NAME_EXPECTED,
  EVENTS_NAME_PATTERN,
  KMS_KEY_ARN,
  MAX_RECEIVE_COUNT,
  MESSAGE_SIZE_BYTES,
  RETRY_ATTEMPTS,
  SQS_ARN,
} from "./eventbridge-rules";

/**
 * The zod parts the event routing schema and every target kind (modules/events/targets/) build on: the fields all
 * targets share, and the helpers that word a problem the way the rest of the module does.
 */

/** An integer in [min, max]. */
export const int = (min: number, max: number) => z.int().min(min).max(max);

/** A value given as a Terraform reference is checked by Terraform and AWS, not here: only literal strings are matched. */
const literal = (payload: { value: unknown }): boolean =>
  typeof payload.value === "string" && !Token.isUnresolved(payload.value);

/**
 * A string matching `pattern` when it is a literal (a reference such as `aws_lambda_function.x.arn` passes). A regex
 * check, not a refinement, so the pattern shows in the config reference; `when` is the check definition's own switch
 * (z.core.$ZodCheckDef), which the string-format params type leaves out.
 */
export const patternOrReference = (pattern: RegExp, message: string) =>
  z.string().regex(pattern, { message, when: literal } as { message: string });

/**
 * Whether a refinement runs although a field of its object failed: cross-field rules report alongside field ones.
 * Such a refinement sees the value as given (even null or a string), so it checks that it is an object first.
 */
export const ALWAYS = { when: () => true } as const;

/** Whether a value is a non-null object (a refinement running on a failed value checks this first). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** A required field whose absence deserves more than "required field is missing": `message` says what to give. */
export function requiredBecause<S extends z.ZodType>(schema: S, message: string) {
  return z.preprocess<z.input<S>, S, z.input<S>>((value, ctx) => {
    if (value === undefined) ctx.addIssue({ code: "custom", message });
    return value;
  }, schema);
}

/**
 * A union discriminated by `kind`: an unknown or missing kind is one problem at `kind` naming the kinds (zod's own
 * message would describe the whole object).
 */
export function byKind<S extends z.ZodType>(kinds: readonly string[], union: S) {
  return z.preprocess<z.input<S>, S, z.input<S>>((value, ctx) => {
    if (!isObject(value) || kinds.includes(value.kind as string)) return value;
    if (value.kind === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["kind"],
        message: `required field is missing (expected one of ${kinds.map((k) => JSON.stringify(k)).join(", ")})`,
      });
    else ctx.addIssue({ code: "invalid_value", values: [...kinds], input: value.kind, path: ["kind"] });
    return value;
  }, union);
}

/** Server-side encryption of a queue the module creates. */
export const queueEncryptionSchema = z.enum(["sqs-managed", "kms"]);

/** A retry policy of EventBridge targets (both fields; a target's own is partial). */
export const retryPolicySchema = z.strictObject({
  maximumRetryAttempts: int(RETRY_ATTEMPTS.min, RETRY_ATTEMPTS.max),
  maximumEventAgeInSeconds: int(EVENT_AGE_SECONDS.min, EVENT_AGE_SECONDS.max),
});

/** `maxReceiveCount` of a target queue (and the construct's default of it). */
export const maxReceiveCountSchema = int(MAX_RECEIVE_COUNT.min, MAX_RECEIVE_COUNT.max);

/** Largest message of a queue the module creates, in bytes. */
export const messageSizeSchema = int(MESSAGE_SIZE_BYTES.min, MESSAGE_SIZE_BYTES.max);

/** A customer KMS key (or alias) ARN, or a reference to one. */
export const kmsKeyArnSchema = patternOrReference(
  KMS_KEY_ARN,
  "expected a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/<uuid>",
);

/** A literal ARN of a standard SQS queue (the module derives the queue's name and URL from it). */
export const literalStandardQueueArn = (literalMessage: string, example: string, fifoMessage: string) =>
  z
    .string()
    .refine((arn) => !Token.isUnresolved(arn), { message: literalMessage, abort: true })
    .regex(SQS_ARN, { message: `expected an SQS queue ARN such as ${example}` })
    .refine((arn) => !arn.endsWith(".fifo"), {
      error: (issue) => `${fifoMessage}, got ${JSON.stringify(issue.input)}`,
    });

const existingDeadLetterQueueSchema = z.strictObject({
  arn: literalStandardQueueArn(
    "expected a literal queue ARN (the module derives the DLQ's name and URL from it)",
    "arn:aws:sqs:eu-west-1:123456789012:orders-dlq",
    "expected a standard queue: EventBridge cannot dead-letter to a FIFO queue",
  ),
  kmsKeyArn: kmsKeyArnSchema.optional(),
});

/** A target's dead-letter queue: one the module creates (its settings), or an existing queue. */
export const deadLetterQueueSchema = z
  .strictObject({
    encryption: queueEncryptionSchema.optional(),
    maxMessageSizeBytes: messageSizeSchema.optional(),
    existingQueue: existingDeadLetterQueueSchema.optional(),
  })
  .superRefine((dlq, ctx) => {
    if (!isObject(dlq) || !isObject(dlq.existingQueue)) return;
    for (const field of ["encryption", "maxMessageSizeBytes"] as const) {
      if (dlq[field] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: "applies only to a DLQ the module creates; remove it or remove existingQueue",
        });
    }
  }, ALWAYS);

/** An EventBridge input transformer. */
export const inputTransformerSchema = z.strictObject({
  inputPaths: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]+$/, { message: "expected a variable name of letters, digits, '_' or '-'" }),
      z.string().regex(/^\$/, { message: 'expected a JSON path starting with "$"' }),
    )
    .refine((paths) => Object.keys(paths).length <= 100, {
      error: (issue) => `expected at most 100 input paths, got ${Object.keys(issue.input as object).length}`,
    })
    .optional(),
  inputTemplate: z.string().min(1).max(8192),
});

/** A rule or target name. */
export const eventsNameSchema = z.string().regex(EVENTS_NAME_PATTERN, { message: EVENTS_NAME_EXPECTED });

/** Fields every kind of target shares (spread into each kind's strict object, beside its `kind` literal). */
export const targetBaseFields = {
  name: eventsNameSchema,
  retryPolicy: retryPolicySchema.partial().optional(),
  inputTransformer: inputTransformerSchema.optional(),
  deadLetterQueue: deadLetterQueueSchema.optional(),
};
