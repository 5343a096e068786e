import { z } from "zod";
import {
  arnParts,
  createdQueueStems,
  EVENT_AGE_SECONDS,
  EVENT_BUS_ARN,
  eventPatternJson,
  eventPatternProblem,
  LAMBDA_ARN,
  LAMBDA_NAME,
  MAX_RECEIVE_COUNT,
  MAX_TARGETS_PER_RULE,
  MESSAGE_SIZE_BYTES,
  EVENTS_NAME_EXPECTED,
  EVENTS_NAME_PATTERN,
  LAMBDA_ASYNC_EVENT_AGE_SECONDS,
  LAMBDA_ASYNC_RETRY_ATTEMPTS,
  RETENTION_SECONDS,
  RETRY_ATTEMPTS,
  ROLE_ARN,
  SQS_ARN,
  VISIBILITY_TIMEOUT_SECONDS,
} from "../../modules/events/eventbridge-rules";
import { accountId, kmsKeyArn, region as regionSchema } from "./primitives";

/** The `events` section of env/<name>.json: the event delivery module (modules/events). */

const name = z.string().regex(EVENTS_NAME_PATTERN, { message: EVENTS_NAME_EXPECTED });
const int = (min: number, max: number) => z.int().min(min).max(max);

/** A full retry policy (the environment's default). */
const retryPolicySchema = z.strictObject({
  maximumRetryAttempts: int(RETRY_ATTEMPTS.min, RETRY_ATTEMPTS.max),
  maximumEventAgeInSeconds: int(EVENT_AGE_SECONDS.min, EVENT_AGE_SECONDS.max),
});

const encryptionSchema = z.enum(["sqs-managed", "kms"]);

/** An event pattern: a JSON object, or a string holding one; normalized to compact JSON text. */
const eventPatternSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const problem =
      value === undefined ? "required field is missing (expected an event pattern object)" : eventPatternProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform((value) => eventPatternJson(value as string | Record<string, unknown>));

const sqsQueueArnSchema = z
  .string()
  .regex(SQS_ARN, { message: "expected an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders-dlq" });

const deadLetterQueueSchema = z
  .strictObject({
    encryption: encryptionSchema.optional(),
    maxMessageSizeBytes: int(MESSAGE_SIZE_BYTES.min, MESSAGE_SIZE_BYTES.max).optional(),
    existingQueue: z
      .strictObject({
        arn: sqsQueueArnSchema.refine((arn) => !arn.endsWith(".fifo"), {
          message: "expected a standard queue: EventBridge cannot dead-letter to a FIFO queue",
        }),
        kmsKeyArn: kmsKeyArn.optional(),
      })
      .optional(),
  })
  .superRefine((dlq, ctx) => {
    if (!dlq.existingQueue) return;
    for (const field of ["encryption", "maxMessageSizeBytes"] as const) {
      if (dlq[field] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: "applies only to a DLQ the module creates; remove it or remove existingQueue",
        });
      }
    }
  });

const inputTransformerSchema = z.strictObject({
  inputPaths: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]+$/, { message: "expected a variable name of letters, digits, '_' or '-'" }),
      z.string().regex(/^\$/, { message: 'expected a JSON path starting with "$"' }),
    )
    .refine((paths) => Object.keys(paths).length <= 100, { message: "expected at most 100 input paths" })
    .optional(),
  inputTemplate: z.string().min(1).max(8192),
});

const targetCommon = {
  name,
  deadLetterQueue: deadLetterQueueSchema.optional(),
};

const sqsTargetSchema = z.strictObject({
  kind: z.literal("sqs"),
  ...targetCommon,
  retryPolicy: retryPolicySchema.partial().optional(),
  inputTransformer: inputTransformerSchema.optional(),
  queue: z
    .strictObject({
      visibilityTimeoutSeconds: int(VISIBILITY_TIMEOUT_SECONDS.min, VISIBILITY_TIMEOUT_SECONDS.max).optional(),
      messageRetentionSeconds: int(RETENTION_SECONDS.min, RETENTION_SECONDS.max).optional(),
      maxReceiveCount: int(MAX_RECEIVE_COUNT.min, MAX_RECEIVE_COUNT.max).optional(),
      maxMessageSizeBytes: int(MESSAGE_SIZE_BYTES.min, MESSAGE_SIZE_BYTES.max).optional(),
      encryption: encryptionSchema.optional(),
    })
    .optional(),
});

/**
 * Where a Lambda target's events go once Lambda accepted them and the function failed: the module
 * configures the function (its execution role given) or another stack does (its queue named).
 */
const asyncInvokeSchema = z
  .strictObject({
    executionRoleArn: z
      .string()
      .regex(ROLE_ARN, { message: "expected an IAM role ARN such as arn:aws:iam::123456789012:role/cancel-order" })
      .optional(),
    maximumRetryAttempts: int(LAMBDA_ASYNC_RETRY_ATTEMPTS.min, LAMBDA_ASYNC_RETRY_ATTEMPTS.max).optional(),
    maximumEventAgeInSeconds: int(LAMBDA_ASYNC_EVENT_AGE_SECONDS.min, LAMBDA_ASYNC_EVENT_AGE_SECONDS.max).optional(),
    encryption: encryptionSchema.optional(),
    ownedByAnotherStack: z
      .strictObject({
        onFailureDestination: z.strictObject({
          arn: sqsQueueArnSchema.refine((arn) => !arn.endsWith(".fifo"), {
            message: "expected a standard queue (Lambda's on-failure destination)",
          }),
          kmsKeyArn: kmsKeyArn.optional(),
        }),
      })
      .optional(),
  })
  .superRefine((a, ctx) => {
    if ((a.executionRoleArn === undefined) === (a.ownedByAnotherStack === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["executionRoleArn"],
        message:
          "expected exactly one of executionRoleArn (the module creates the on-failure destination) and ownedByAnotherStack (the function's owner did)",
      });
    }
    if (!a.ownedByAnotherStack) return;
    for (const field of ["maximumRetryAttempts", "maximumEventAgeInSeconds", "encryption"] as const) {
      if (a[field] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message:
            "applies only when the module configures the function (executionRoleArn); remove it or remove ownedByAnotherStack",
        });
      }
    }
  });

const lambdaTargetSchema = z
  .strictObject({
    kind: z.literal("lambda"),
    ...targetCommon,
    /** A function in this environment's account and region, by ARN ... */
    functionArn: z
      .string()
      .regex(LAMBDA_ARN, {
        message: "expected a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:cancel-order",
      })
      .optional(),
    /** ... or by name (the ARN is built from the deploy account and region). */
    functionName: z
      .string()
      .regex(LAMBDA_NAME, {
        message: "expected a function name of 1-64 letters, digits, '-' or '_' (optionally \":alias\")",
      })
      .optional(),
    retryPolicy: retryPolicySchema.partial().optional(),
    inputTransformer: inputTransformerSchema.optional(),
    /** Required: without it, events the function fails after Lambda accepted them are dropped. */
    asyncInvoke: asyncInvokeSchema.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.asyncInvoke === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["asyncInvoke"],
        message:
          'required field is missing: give {"executionRoleArn": "<the function\'s role>"} (the module creates its on-failure destination queue) or {"ownedByAnotherStack": {"onFailureDestination": {"arn": "<queue ARN>"}}}; without it, events the function fails are dropped',
      });
    }
    if ((t.functionArn === undefined) === (t.functionName === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["functionArn"],
        message: "expected exactly one of functionArn and functionName",
      });
    }
  });

const eventBusTargetSchema = z
  .strictObject({
    kind: z.literal("event-bus"),
    ...targetCommon,
    eventBusArn: z.string().regex(EVENT_BUS_ARN, {
      message: "expected an event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/partner",
    }),
    // Accepted by the shape only to be refused below with a clear message.
    retryPolicy: z.unknown().optional(),
    inputTransformer: z.unknown().optional(),
  })
  .superRefine((t, ctx) => {
    if (t.retryPolicy !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["retryPolicy"],
        message: "event-bus targets take no retry policy (EventBridge rejects one); remove it",
      });
    }
    if (t.inputTransformer !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["inputTransformer"],
        message: "event-bus targets take no input transformer (EventBridge forwards the event as is); remove it",
      });
    }
  });

const targetSchema = z.discriminatedUnion("kind", [sqsTargetSchema, lambdaTargetSchema, eventBusTargetSchema], {
  error: (issue) => (issue.code === "invalid_union" ? 'expected kind "sqs", "lambda" or "event-bus"' : undefined),
});

const ruleSchema = z.strictObject({
  name,
  description: z.string().max(512).optional(),
  enabled: z.boolean().default(true),
  eventPattern: eventPatternSchema,
  targets: z.array(targetSchema).min(1).max(MAX_TARGETS_PER_RULE),
});

const busSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("custom"),
      name: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,256}$/, { message: "expected a bus name of 1-256 letters, digits, '.', '_' or '-'" })
        .refine((n) => n !== "default", {
          message: 'expected a custom bus name; for the default bus use {"kind": "default"}',
        })
        .optional(),
    }),
    z.strictObject({ kind: z.literal("default") }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? 'expected kind "custom" or "default"' : undefined) },
);

/** The `events` section: bus, archive, per-environment defaults, alarms, rules and their targets. */
export const eventsSchema = z
  .strictObject({
    /** Custom bus `<env>-events` (default) or the account's default bus. */
    bus: busSchema.default({ kind: "custom" }),
    /** Archive of the bus's events for replay; retentionDays 0 keeps them forever. */
    archive: z.strictObject({ retentionDays: z.int().min(0), eventPattern: eventPatternSchema.optional() }).optional(),
    /** The environment's documented defaults; every target may override them. */
    defaults: z.strictObject({
      /** Required: every target gets an explicit retry policy, never EventBridge's implicit 185 attempts / 24 h. */
      retryPolicy: retryPolicySchema,
      encryption: encryptionSchema.default("sqs-managed"),
      maxReceiveCount: int(MAX_RECEIVE_COUNT.min, MAX_RECEIVE_COUNT.max).default(5),
    }),
    alarms: z.strictObject({ dlqOldestMessageAgeSeconds: int(60, RETENTION_SECONDS.max).default(3600) }).prefault({}),
    rules: z.array(ruleSchema).default([]),
  })
  .superRefine((events, ctx) => {
    const rules = new Map<string, number>();
    const targets = new Map<string, string>();
    const queueStems = new Map<string, string>();
    if (!Array.isArray(events.rules)) return;
    events.rules.forEach((rule, i) => {
      if (!rule || !Array.isArray(rule.targets)) return;
      const other = rules.get(rule.name);
      if (other !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["rules", i, "name"],
          message: `expected a unique rule name, "${rule.name}" is also rules[${other}].name`,
        });
      } else rules.set(rule.name, i);
      rule.targets.forEach((t, j) => {
        if (typeof t?.name !== "string") return;
        const seen = targets.get(t.name);
        if (seen !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["rules", i, "targets", j, "name"],
            message: `expected a unique target name, "${t.name}" is also ${seen}.name`,
          });
          return;
        }
        targets.set(t.name, `rules[${i}].targets[${j}]`);
        for (const stem of createdQueueStems(t)) {
          const owner = queueStems.get(stem);
          if (owner !== undefined) {
            ctx.addIssue({
              code: "custom",
              path: ["rules", i, "targets", j, "name"],
              message: `expected a name whose queues do not collide with another target's: queue "<env>-${stem}" is also created for ${owner}`,
            });
          } else queueStems.set(stem, `rules[${i}].targets[${j}]`);
        }
      });
    });
  });

/** A validated `events` section. */
export type EventsConfig = z.infer<typeof eventsSchema>;

/**
 * Checks of `events` that need the account: an existing DLQ and a Lambda target must be in the
 * environment's region and account. Called from environmentSchema's cross-field refinement.
 */
export function checkEventsAgainstAccount(
  env: { readonly account: { readonly id: string; readonly region: string }; readonly events?: EventsConfig },
  ctx: z.RefinementCtx,
): void {
  // Runs even when other fields failed (zod keeps going after format errors): check only well-formed values.
  if (!env.events || !Array.isArray(env.events.rules)) return;
  const { id, region } = env.account;
  if (!accountId.safeParse(id).success || !regionSchema.safeParse(region).success) return;
  const check = (arn: string, path: (string | number)[], what: string, format: RegExp): void => {
    if (typeof arn !== "string" || !format.test(arn)) return;
    const parts = arnParts(arn);
    if (parts.region !== region) {
      ctx.addIssue({
        code: "custom",
        path: ["events", ...path],
        message: `expected ${what} in the rule's region ${region} (account.region), got one in ${parts.region}`,
      });
    } else if (parts.account !== id) {
      ctx.addIssue({
        code: "custom",
        path: ["events", ...path],
        message: `expected ${what} in account ${id} (account.id), got one in ${parts.account}`,
      });
    }
  };
  env.events.rules.forEach((rule, i) => {
    if (!Array.isArray(rule?.targets)) return;
    rule.targets.forEach((t, j) => {
      const at = ["rules", i, "targets", j];
      if (t?.deadLetterQueue?.existingQueue)
        check(
          t.deadLetterQueue.existingQueue.arn,
          [...at, "deadLetterQueue", "existingQueue", "arn"],
          "a dead-letter queue",
          SQS_ARN,
        );
      if (t?.kind === "lambda" && t.functionArn !== undefined)
        check(
          t.functionArn,
          [...at, "functionArn"],
          "a function (one in another account cannot be a target here: route to that account's event bus)",
          LAMBDA_ARN,
        );
      const destination = t?.kind === "lambda" ? t.asyncInvoke?.ownedByAnotherStack?.onFailureDestination : undefined;
      if (destination)
        check(
          destination.arn,
          [...at, "asyncInvoke", "ownedByAnotherStack", "onFailureDestination", "arn"],
          "an on-failure destination queue",
          SQS_ARN,
        );
    });
  });
}
