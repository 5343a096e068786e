import { Token } from "cdktn";
import { z } from "zod";
import type { EventRoutingProps } from "./event-routing";
import {
  createdQueueStems,
  EVENT_AGE_SECONDS,
  EVENT_BUS_ARN,
  eventPatternProblem,
  EVENTS_NAME_EXPECTED,
  EVENTS_NAME_PATTERN,
  KMS_KEY_ARN,
  LAMBDA_ARN,
  LAMBDA_ASYNC_EVENT_AGE_SECONDS,
  LAMBDA_ASYNC_RETRY_ATTEMPTS,
  LAMBDA_NAME,
  MAX_RECEIVE_COUNT,
  MAX_TARGETS_PER_RULE,
  MESSAGE_SIZE_BYTES,
  RETENTION_SECONDS,
  RETRY_ATTEMPTS,
  ROLE_ARN,
  SQS_ARN,
  VISIBILITY_TIMEOUT_SECONDS,
} from "./eventbridge-rules";
import type { EventPattern, InputTransformer, LambdaAsyncInvokeOptions, RetryPolicy } from "./types";

/**
 * The zod schema of EventRoutingProps: structure and every rule that needs only the props (ranges, patterns, kinds,
 * unique names, exclusive fields). The environment config composes these same objects (stacks/config/events.ts);
 * rules that need the stack's region and account or the name prefix are in event-routing-checks.ts.
 */

const int = (min: number, max: number) => z.int().min(min).max(max);

/** A value given as a Terraform reference is checked by Terraform and AWS, not here: only literal strings are matched. */
const literal = (payload: { value: unknown }): boolean =>
  typeof payload.value === "string" && !Token.isUnresolved(payload.value);

/**
 * A string matching `pattern` when it is a literal (a reference such as `aws_lambda_function.x.arn` passes). A regex
 * check, not a refinement, so the pattern shows in the config reference; `when` is the check definition's own switch
 * (z.core.$ZodCheckDef), which the string-format params type leaves out.
 */
const patternOrReference = (pattern: RegExp, message: string) =>
  z.string().regex(pattern, { message, when: literal } as { message: string });

/**
 * Whether a refinement runs although a field of its object failed: cross-field rules report alongside field ones.
 * Such a refinement sees the value as given (even null or a string), so it checks that it is an object first.
 */
const ALWAYS = { when: () => true } as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** A required field whose absence deserves more than "required field is missing": `message` says what to give. */
function requiredBecause<S extends z.ZodType>(schema: S, message: string) {
  return z.preprocess<z.input<S>, S, z.input<S>>((value, ctx) => {
    if (value === undefined) ctx.addIssue({ code: "custom", message });
    return value;
  }, schema);
}

/**
 * A union discriminated by `kind`: an unknown or missing kind is one problem at `kind` naming the kinds (zod's own
 * message would describe the whole object).
 */
function byKind<S extends z.ZodType>(kinds: readonly string[], union: S) {
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

/** Age of the oldest DLQ message at which the age alarm fires. */
export const dlqOldestMessageAgeSchema = int(60, RETENTION_SECONDS.max);

/** An event pattern: an object, or a string holding a JSON object, each field an array of match values or a nested pattern. */
export const eventPatternSchema = z.custom<EventPattern>().superRefine((value, ctx) => {
  const problem =
    value === undefined ? "required field is missing (expected an event pattern object)" : eventPatternProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const messageSize = int(MESSAGE_SIZE_BYTES.min, MESSAGE_SIZE_BYTES.max);
const kmsKeyArn = patternOrReference(
  KMS_KEY_ARN,
  "expected a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/<uuid>",
);

/** A literal ARN of a standard SQS queue (the module derives the queue's name and URL from it). */
const literalStandardQueueArn = (literalMessage: string, example: string, fifoMessage: string) =>
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
  kmsKeyArn: kmsKeyArn.optional(),
});

/** A target's dead-letter queue: one the module creates (its settings), or an existing queue. */
export const deadLetterQueueSchema = z
  .strictObject({
    encryption: queueEncryptionSchema.optional(),
    maxMessageSizeBytes: messageSize.optional(),
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

const eventsName = z.string().regex(EVENTS_NAME_PATTERN, { message: EVENTS_NAME_EXPECTED });

/** Fields every kind of target shares. */
const targetBase = {
  name: eventsName,
  retryPolicy: retryPolicySchema.partial().optional(),
  inputTransformer: inputTransformerSchema.optional(),
  deadLetterQueue: deadLetterQueueSchema.optional(),
};

/** Settings of a target queue the module creates. */
export const targetQueueSchema = z.strictObject({
  visibilityTimeoutSeconds: int(VISIBILITY_TIMEOUT_SECONDS.min, VISIBILITY_TIMEOUT_SECONDS.max).optional(),
  messageRetentionSeconds: int(RETENTION_SECONDS.min, RETENTION_SECONDS.max).optional(),
  maxReceiveCount: maxReceiveCountSchema.optional(),
  maxMessageSizeBytes: messageSize.optional(),
  encryption: queueEncryptionSchema.optional(),
});

const sqsTargetSchema = z.strictObject({ kind: z.literal("sqs"), ...targetBase, queue: targetQueueSchema.optional() });

/** Where a Lambda target's accepted-then-failed events go: the module configures the function, or another stack did. */
export const lambdaAsyncInvokeSchema = z
  .strictObject({
    executionRoleArn: patternOrReference(
      ROLE_ARN,
      "expected an IAM role ARN such as arn:aws:iam::123456789012:role/cancel-order",
    ).optional(),
    maximumRetryAttempts: int(LAMBDA_ASYNC_RETRY_ATTEMPTS.min, LAMBDA_ASYNC_RETRY_ATTEMPTS.max).optional(),
    maximumEventAgeInSeconds: int(LAMBDA_ASYNC_EVENT_AGE_SECONDS.min, LAMBDA_ASYNC_EVENT_AGE_SECONDS.max).optional(),
    encryption: queueEncryptionSchema.optional(),
    ownedByAnotherStack: z
      .strictObject({
        onFailureDestination: z.strictObject({
          arn: literalStandardQueueArn(
            "expected the literal ARN of the queue the function's owner configured as its on-failure destination",
            "arn:aws:sqs:eu-west-1:123456789012:cancel-order-failures",
            "expected a standard queue: Lambda's on-failure destination cannot be a FIFO queue",
          ),
          kmsKeyArn: kmsKeyArn.optional(),
        }),
      })
      .optional(),
  })
  .superRefine((a, ctx) => {
    if (!isObject(a)) return;
    if ((a.executionRoleArn === undefined) === (a.ownedByAnotherStack === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["executionRoleArn"],
        message: "expected exactly one of executionRoleArn and ownedByAnotherStack",
      });
    if (a.ownedByAnotherStack === undefined) return;
    for (const field of ["maximumRetryAttempts", "maximumEventAgeInSeconds", "encryption"] as const) {
      if (a[field] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message:
            "applies only when the module configures the function (executionRoleArn); its owner sets it when ownedByAnotherStack",
        });
    }
  }, ALWAYS);

const ASYNC_INVOKE_MISSING =
  "required field is missing: give executionRoleArn (the module creates the function's on-failure destination queue) or ownedByAnotherStack.onFailureDestination (the queue the function's owner configured); without one, events Lambda accepted and the function failed are dropped";

const lambdaTargetSchema = z
  .strictObject({
    kind: z.literal("lambda"),
    ...targetBase,
    functionArn: patternOrReference(
      LAMBDA_ARN,
      "expected a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:cancel-order",
    ).optional(),
    functionName: patternOrReference(
      LAMBDA_NAME,
      "expected a function name of 1-64 letters, digits, '-' or '_' (optionally \":alias\")",
    ).optional(),
    asyncInvoke: requiredBecause(lambdaAsyncInvokeSchema, ASYNC_INVOKE_MISSING),
  })
  .superRefine((t, ctx) => {
    if (!isObject(t)) return;
    if ((t.functionArn === undefined) === (t.functionName === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["functionArn"],
        message: "expected exactly one of functionArn and functionName",
      });
  }, ALWAYS);

const eventBusTargetSchema = z
  .strictObject({
    kind: z.literal("event-bus"),
    ...targetBase,
    // Typed as for other targets, any value accepted here to be refused below with the reason.
    retryPolicy: z.custom<Partial<RetryPolicy>>().optional(),
    inputTransformer: z.custom<InputTransformer>().optional(),
    eventBusArn: patternOrReference(
      EVENT_BUS_ARN,
      "expected an event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/partner",
    ),
  })
  .superRefine((t, ctx) => {
    if (!isObject(t)) return;
    if (t.retryPolicy !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["retryPolicy"],
        message: "event-bus targets take no retry policy (EventBridge rejects one); remove it",
      });
    if (t.inputTransformer !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["inputTransformer"],
        message: "event-bus targets take no input transformer (EventBridge forwards the event as is); remove it",
      });
  }, ALWAYS);

/** One target of a rule, by `kind`: an SQS queue the module creates, an existing Lambda function, another event bus. */
export const eventTargetSchema = byKind(
  ["sqs", "lambda", "event-bus"],
  z.discriminatedUnion("kind", [sqsTargetSchema, lambdaTargetSchema, eventBusTargetSchema]),
);

/** One rule: an event pattern and its 1-5 targets. */
export const eventRuleSchema = z.strictObject({
  name: eventsName,
  description: z.string().max(512).optional(),
  enabled: z.boolean().optional(),
  eventPattern: eventPatternSchema,
  targets: z.array(eventTargetSchema).min(1).max(MAX_TARGETS_PER_RULE),
});

/**
 * The rules of one construct: each valid, rule names unique, target names unique across rules, and no two targets
 * creating the same queue (`orders` and `orders-dlq` would). Runs on rules whose other fields failed too.
 */
export const eventRulesSchema = z.array(eventRuleSchema).superRefine((rules, ctx) => {
  if (!Array.isArray(rules)) return;
  const ruleNames = new Map<string, number>();
  const targetNames = new Map<string, string>();
  const queueStems = new Map<string, string>();
  rules.forEach((rule: unknown, i) => {
    if (!isObject(rule)) return;
    if (typeof rule.name === "string") {
      const other = ruleNames.get(rule.name);
      if (other !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `expected a unique rule name, "${rule.name}" is also rules[${other}].name`,
        });
      else ruleNames.set(rule.name, i);
    }
    if (!Array.isArray(rule.targets)) return;
    rule.targets.forEach((t: unknown, j) => {
      if (!isObject(t) || typeof t.name !== "string" || typeof t.kind !== "string") return;
      const at = `rules[${i}].targets[${j}]`;
      const other = targetNames.get(t.name);
      if (other !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [i, "targets", j, "name"],
          message: `expected a unique target name, "${t.name}" is also ${other}.name`,
        });
        return;
      }
      targetNames.set(t.name, at);
      for (const stem of createdQueueStems(t as Parameters<typeof createdQueueStems>[0])) {
        const owner = queueStems.get(stem);
        if (owner !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [i, "targets", j, "name"],
            message: `expected a name whose queues do not collide with another target's: queue "<prefix>-${stem}" is also created for ${owner}`,
          });
        else queueStems.set(stem, at);
      }
    });
  });
}, ALWAYS);

/** The bus the rules listen on: a custom bus (named, or `<namePrefix>-events`) or the account's default bus. */
export const eventBusSchema = byKind(
  ["custom", "default"],
  z.discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("custom"),
      name: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,256}$/, { message: "expected a bus name of 1-256 letters, digits, '.', '_' or '-'" })
        .refine((n) => n !== "default", {
          message: 'expected a custom bus name other than "default"; for the default bus use {"kind": "default"}',
        })
        .optional(),
    }),
    z.strictObject({ kind: z.literal("default") }),
  ]),
);

/** An archive of the bus's events, for replay (retention 0 keeps them forever). */
export const eventArchiveSchema = z.strictObject({
  retentionDays: z.int().min(0),
  eventPattern: eventPatternSchema.optional(),
});

/** EventRoutingProps, every field (region and account checks apart: event-routing-checks.ts). */
export const eventRoutingPropsSchema = z.strictObject({
  namePrefix: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, {
    message: "expected 1-31 lower-case letters, digits and '-', starting with a letter",
  }),
  alarmTopicArn: z.string().min(1, { message: "expected the ARN of the SNS topic alarms publish to" }),
  eventBus: eventBusSchema.optional(),
  archive: eventArchiveSchema.optional(),
  rules: eventRulesSchema.optional(),
  defaultRetryPolicy: retryPolicySchema.optional(),
  defaultEncryption: queueEncryptionSchema.optional(),
  defaultMaxReceiveCount: maxReceiveCountSchema.optional(),
  dlqOldestMessageAgeAlarmSeconds: dlqOldestMessageAgeSchema.optional(),
  keyDeletionWindowDays: int(7, 30).optional(),
  region: z.string().optional(),
  accountId: z.string().optional(),
});

// The interface (with its docs and defaults) and the schema describe the same props: this fails to compile if a field
// is added, removed, renamed or retyped in one and not the other.
type Writable<T> = T extends string | number | boolean | undefined | null
  ? T
  : T extends readonly (infer E)[]
    ? Writable<E>[]
    : T extends object
      ? { -readonly [K in keyof T]: Writable<T[K]> }
      : T;
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Check<T extends true> = T;
export type _SchemaMatchesProps = Check<
  Same<Writable<z.input<typeof eventRoutingPropsSchema>>, Writable<EventRoutingProps>>
>;
// The async invoke options, through the preprocess step that words their absence.
export type _AsyncInvokeMatches = Check<
  Same<Writable<z.input<typeof lambdaAsyncInvokeSchema>>, Writable<LambdaAsyncInvokeOptions>>
>;
