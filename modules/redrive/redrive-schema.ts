import { z } from "zod";
import { type FaultInjectionReadiness, faultInjectionReadinessSchema } from "../fault-injection/readiness";
import type { DeadLetterRoute } from "../shared/dead-letter-route";
import { targetKinds } from "../events/targets";
import type { TARGET_KIND_NAMES } from "../shared/contract/target-kinds";
import { canonicalErrorCode, knownErrorCodes } from "../shared/contract/error-codes";
import {
  type Assert,
  type SchemaMatchesProps,
  isToken,
  kmsKeyArnSchema,
  rawField,
  snsTopicArnSchema,
  tokenOr,
} from "../shared/module-schema";
import { describeValue } from "../shared/zod-problems";
import {
  REDRIVE_DEFAULTS,
  REDRIVE_LIMITS,
  REDRIVE_LOG_RETENTION_DAYS,
  type RedriveLimit,
} from "../shared/contract/redrive-limits";

/** A periodic redrive run (EventBridge schedule rule invoking the function). */
export interface RedriveSchedule {
  /** `rate(...)` or `cron(...)` expression; required. */
  readonly expression: string;
  /** Only messages with one of these ERROR_CODEs are replayed (known codes, any case: modules/shared/contract/error-codes.ts); required (a schedule never replays everything blindly). */
  readonly errorCodes: readonly string[];
  /** At most this many messages per run. @default the function's maxMessages */
  readonly maxMessages?: number;
  /** Whether the schedule rule is enabled. @default true */
  readonly enabled?: boolean;
}

/** An extra queue the function may replay to (an explicit `to` destination), beyond the routes' SQS targets. */
export interface RedriveDestination {
  /** ARN of the queue; required. */
  readonly queueArn: string;
  /** Customer KMS key of the queue (its key ARN: IAM grants nothing through an alias ARN), when it is not SQS-managed SSE. @default none */
  readonly kmsKeyArn?: string;
}

/** Props of RedriveFunction. */
export interface RedriveFunctionProps {
  /** Function name: 1-59 letters, digits, '-' or '_', at most 55 with a schedule (also names its role, log group, alarm and schedule rule); required. */
  readonly functionName: string;
  /** The DLQs the function drains and where their messages were going (from the event delivery module); at least one. */
  readonly routes: readonly DeadLetterRoute[];
  /** SNS topic the errors alarm publishes to; required. */
  readonly alarmTopicArn: string;
  /** More queues an event's `to` may name, each once. @default none (only the routes' SQS targets) */
  readonly additionalDestinations?: readonly RedriveDestination[];
  /** Folder holding the esbuild bundle (index.js), relative to the working directory; zipped to `<bundleDir>.zip`. @default the bundle shipped in the package (`<package>/dist/lambdas/redrive`) */
  readonly bundleDir?: string;
  /** Memory in MB (128-10240). @default 512 */
  readonly memorySize?: number;
  /** Timeout in seconds (60-900). The run stops taking messages 15 s before it. @default 300 */
  readonly timeoutSeconds?: number;
  /** Reserved concurrent executions (1-100). @default unreserved (-1): a reservation is refused in accounts whose concurrency quota is 10, and overlapping runs are safe (see the class comment) */
  readonly reservedConcurrency?: number;
  /** Log retention in days (a CloudWatch Logs retention value). @default 90 */
  readonly logRetentionDays?: number;
  /** Default cap on redrives per message (1-1000). @default 3 */
  readonly maxRedrives?: number;
  /** Default parallel workers per run (1-64). @default 8 */
  readonly concurrency?: number;
  /** Default messages per second (1-100000). @default unlimited */
  readonly rate?: number;
  /** Default visibility timeout in seconds for taken messages (1-43200). @default 60 */
  readonly visibilityTimeoutSeconds?: number;
  /** Default maximum messages per run (1-10000000). @default unlimited */
  readonly maxMessages?: number;
  /** Default MessageGroupId for FIFO destinations. @default "redrive" */
  readonly fifoGroupId?: string;
  /** Periodic runs (at most the function's maxMessages each). @default none (runs only when invoked) */
  readonly schedule?: RedriveSchedule;
  /** Errors-alarm evaluation period in seconds (60-86400, a multiple of 60). @default 300 */
  readonly alarmPeriodSeconds?: number;
  /** Makes the function ready for FIS Lambda experiments (FaultInjection.readiness()). @default none: no layer, no grant */
  readonly faultInjection?: FaultInjectionReadiness;
}

/**
 * The value rules of RedriveFunction's props, as zod: the construct parses its props with `RedriveFunctionSchema`, and
 * the environment config (stacks/config/redrive.ts) composes its `redrive` section from the same field schemas and
 * `redriveOptionRules`, so a bad value fails alike in both.
 */

const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const SQS_URL = /^https?:\/\/\S+\/\d{12}\/\S+$/;
// The role adds "-role" (IAM role names: at most 64 characters).
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,59}$/;
// With a schedule, the rule adds "-schedule" (EventBridge rule names: at most 64 characters).
const SCHEDULED_FUNCTION_NAME_MAX = 55;
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/;
const ERROR_CODE = /^[A-Za-z0-9_.-]{1,128}$/;
const FIFO_GROUP_ID = /^[\x21-\x7e]{1,128}$/;

const int = ([min, max]: RedriveLimit) => z.int().min(min).max(max);
const isIn = (n: unknown, [min, max]: RedriveLimit): n is number =>
  Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
const sqsQueueArn = tokenOr(SQS_ARN, "expected an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders");

/** A known ERROR_CODE (any case): the scheduled run's event fails validation on any other, on every run. */
const errorCode = z
  .string()
  .superRefine((code, ctx) => {
    if (!ERROR_CODE.test(code))
      ctx.addIssue({ code: "custom", message: `expected an error code such as TIMEOUT, got ${describeValue(code)}` });
    else if (canonicalErrorCode(code) === undefined)
      ctx.addIssue({
        code: "custom",
        message: `unknown error code ${describeValue(code)}: expected one of ${knownErrorCodes().join(", ")} (any case)`,
      });
  })
  .meta({ pattern: ERROR_CODE.source });

/** A CloudWatch Logs retention value (also the queue consumer's). */
export const logRetentionDaysSchema = z
  .int()
  .refine((d) => (REDRIVE_LOG_RETENTION_DAYS as readonly number[]).includes(d), {
    message: `expected one of ${REDRIVE_LOG_RETENTION_DAYS.join(", ")}`,
  });

const routeSchema = z
  .strictObject({
    targetName: z.string().min(1),
    // The registered kinds (the contract's names: modules/shared/contract/target-kinds.ts).
    targetKind: z.enum(targetKinds().map((k) => k.kind) as unknown as typeof TARGET_KIND_NAMES),
    ruleArn: z.string().optional(),
    targetArn: z.string(),
    dlqArn: sqsQueueArn,
    dlqUrl: tokenOr(SQS_URL, "expected an SQS queue URL"),
    dlqName: z.string().min(1).optional(),
    // Keys of the queues the event delivery module made or was given (its config rules them): passed on as they are.
    dlqKmsKeyArn: z.string().optional(),
    targetKmsKeyArn: z.string().optional(),
    source: z.enum(["eventbridge", "lambda-on-failure", "pipe-stream"]).optional(),
    pipe: z
      .strictObject({
        pipeArns: z.array(z.string()).min(1),
        streamArn: z.string(),
        streamKmsKeyArn: z.string().optional(),
      })
      .optional(),
  })
  .superRefine(targetArnRule, { when: () => true });

function targetArnRule(route: unknown, ctx: z.RefinementCtx): void {
  const kind = rawField(route, "targetKind");
  const arn = rawField(route, "targetArn");
  // What each kind's target ARN must be: the kind's own rule (modules/events/targets/).
  const rule = typeof kind === "string" ? targetKinds().find((k) => k.kind === kind)?.replayTarget : undefined;
  if (rule && typeof arn === "string" && !isToken(arn) && !rule.pattern.test(arn))
    ctx.addIssue({
      code: "custom",
      path: ["targetArn"],
      message: `expected ${rule.expected}, got ${describeValue(arn)}`,
    });
}

/** A Lambda target has two routes (its EventBridge DLQ and its on-failure queue): one per target and source. */
function uniqueRoutesRule(routes: unknown, ctx: z.RefinementCtx): void {
  if (!Array.isArray(routes)) return;
  const seen = new Set<string>();
  routes.forEach((r, i) => {
    const name = rawField(r, "targetName");
    const source = rawField(r, "source");
    if (typeof name !== "string") return;
    const key = `${name}\n${typeof source === "string" ? source : "eventbridge"}`;
    if (seen.has(key))
      ctx.addIssue({
        code: "custom",
        path: [i, "targetName"],
        message: `expected a unique target name, got a second ${JSON.stringify(name)}${typeof source === "string" ? ` (${source})` : ""}`,
      });
    seen.add(key);
  });
}

/** A periodic run (RedriveSchedule). */
export const redriveScheduleSchema = z.strictObject({
  expression: z.string().regex(SCHEDULE, { message: "expected rate(<n> <unit>) or cron(...)" }),
  errorCodes: z.array(errorCode).min(1),
  maxMessages: int(REDRIVE_LIMITS.maxMessages).optional(),
  enabled: z.boolean().default(true),
});

/** An extra replay destination (RedriveDestination). */
export const redriveDestinationSchema = z.strictObject({
  queueArn: sqsQueueArn,
  kmsKeyArn: kmsKeyArnSchema.optional(),
});

/** The fields of RedriveFunctionProps, each with its rule and default. */
export const redriveFields = {
  functionName: z.string().regex(FUNCTION_NAME, {
    message: `expected 1-59 letters, digits, '-' or '_' (the role adds "-role")`,
  }),
  routes: z
    .array(routeSchema)
    .min(1)
    .superRefine(uniqueRoutesRule, { when: () => true }),
  alarmTopicArn: snsTopicArnSchema,
  additionalDestinations: z.array(redriveDestinationSchema).default([]),
  bundleDir: z.string().optional(),
  memorySize: int(REDRIVE_LIMITS.memorySize).default(REDRIVE_DEFAULTS.memorySize),
  timeoutSeconds: int(REDRIVE_LIMITS.timeoutSeconds).default(REDRIVE_DEFAULTS.timeoutSeconds),
  reservedConcurrency: int(REDRIVE_LIMITS.reservedConcurrency).optional(),
  logRetentionDays: logRetentionDaysSchema.default(REDRIVE_DEFAULTS.logRetentionDays),
  maxRedrives: int(REDRIVE_LIMITS.maxRedrives).default(REDRIVE_DEFAULTS.maxRedrives),
  concurrency: int(REDRIVE_LIMITS.concurrency).default(REDRIVE_DEFAULTS.concurrency),
  rate: int(REDRIVE_LIMITS.rate).optional(),
  visibilityTimeoutSeconds: int(REDRIVE_LIMITS.visibilityTimeoutSeconds).default(
    REDRIVE_DEFAULTS.visibilityTimeoutSeconds,
  ),
  maxMessages: int(REDRIVE_LIMITS.maxMessages).optional(),
  fifoGroupId: z
    .string()
    .regex(FIFO_GROUP_ID, { message: "expected 1-128 printable ASCII characters" })
    .default(REDRIVE_DEFAULTS.fifoGroupId),
  schedule: redriveScheduleSchema.optional(),
  alarmPeriodSeconds: int(REDRIVE_LIMITS.alarmPeriodSeconds)
    .multipleOf(60, { message: "expected a multiple of 60" })
    .default(REDRIVE_DEFAULTS.alarmPeriodSeconds),
  faultInjection: faultInjectionReadinessSchema.optional(),
} as const;

/**
 * The rules between the run options (the config's section has them too): each extra destination once, and a
 * schedule's cap within the function's.
 */
export function redriveOptionRules(value: unknown, ctx: z.RefinementCtx): void {
  const destinations = rawField(value, "additionalDestinations");
  if (Array.isArray(destinations)) {
    const seen = new Map<string, number>();
    destinations.forEach((d, i) => {
      const arn = rawField(d, "queueArn");
      if (typeof arn !== "string") return;
      const first = seen.get(arn);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["additionalDestinations", i, "queueArn"],
          message: `expected each queue once; it is already additionalDestinations[${first}]`,
        });
      else seen.set(arn, i);
    });
  }
  const max = rawField(value, "maxMessages");
  const scheduled = rawField(rawField(value, "schedule"), "maxMessages");
  if (isIn(max, REDRIVE_LIMITS.maxMessages) && isIn(scheduled, REDRIVE_LIMITS.maxMessages) && scheduled > max)
    ctx.addIssue({
      code: "custom",
      path: ["schedule", "maxMessages"],
      message: `expected at most maxMessages (${max}), got ${scheduled}`,
    });
}

function scheduledNameRule(value: unknown, ctx: z.RefinementCtx): void {
  const name = rawField(value, "functionName");
  if (
    rawField(value, "schedule") !== undefined &&
    typeof name === "string" &&
    FUNCTION_NAME.test(name) &&
    name.length > SCHEDULED_FUNCTION_NAME_MAX
  )
    ctx.addIssue({
      code: "custom",
      path: ["functionName"],
      message: `expected at most ${SCHEDULED_FUNCTION_NAME_MAX} characters with a schedule (its rule adds "-schedule"), got ${name.length}`,
    });
}

/** The props of RedriveFunction: every field's rule and default, and the rules between fields. */
export const RedriveFunctionSchema = z.strictObject(redriveFields).superRefine(
  (value, ctx) => {
    redriveOptionRules(value, ctx);
    scheduledNameRule(value, ctx);
  },
  { when: () => true },
);

// Compile-time: the schema takes exactly the documented props.
export type RedriveFunctionSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof RedriveFunctionSchema>, RedriveFunctionProps>
>;
