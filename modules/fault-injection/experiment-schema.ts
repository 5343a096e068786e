import { z } from "zod";
import { type Assert, type SchemaMatchesProps, tokenOr } from "../shared/module-schema";
import { describeValue, valueChecks } from "../shared/zod-problems";
import { FAULT_INJECTION_DEFAULTS, FIS_LAMBDA_ACTIONS, FIS_LIMITS } from "./defaults";
import { durationSeconds, ISO_DURATION_PATTERN } from "./iso-duration";

/** The FIS Lambda action an experiment runs, by its short name (`aws:lambda:<name>`). */
export type FaultAction = "invocation-add-delay" | "invocation-error" | "invocation-http-integration-response";

/** One experiment template: a FIS Lambda action on a few functions for a bounded time, stopped by alarms. */
export interface FaultExperimentProps {
  /** Experiment name: 1-40 lower-case letters, digits and '-', starting with a letter; required. */
  readonly name: string;
  /** What the experiment should show (the template's description, at most 512 characters). @default the action and its targets */
  readonly description?: string;
  /** The fault: `invocation-add-delay`, `invocation-error` or `invocation-http-integration-response`; required. */
  readonly action: FaultAction;
  /** ARNs of the functions (1-5, FIS's resources per target), each carrying the FIS extension; required. */
  readonly functionArns: readonly string[];
  /** ARNs of the alarms that stop the experiment when one fires (1-5, FIS's stop conditions per template); required. */
  readonly stopAlarmArns: readonly string[];
  /** The fault window, ISO 8601 (`PT1M` to `PT1H`); the template lasts this plus the extension's slow poll interval; required. */
  readonly duration: string;
  /** Share of invocations faulted, 1-100. @default 25: every retry path runs while most traffic flows */
  readonly invocationPercentage?: number;
  /** invocation-add-delay only: milliseconds before the function's code runs (0-900000). @default 1000 (AWS's default) */
  readonly startupDelayMilliseconds?: number;
  /** invocation-error and http-integration-response: answer without running the function. @default true: no side effect to undo */
  readonly preventExecution?: boolean;
  /** invocation-http-integration-response only, and required there: the status code returned (0-999). @default none: the other actions take none */
  readonly statusCode?: number;
  /** invocation-http-integration-response only: the Content-Type returned. @default application/json */
  readonly contentTypeHeader?: string;
}

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}$/;
const ALARM_ARN = /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.{1,255}$/;

/** An unqualified function ARN (FIS targets functions, not versions), or a token. */
export const fisFunctionArnSchema = tokenOr(
  FUNCTION_ARN,
  "expected an unqualified Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:orders",
);

/** An ISO 8601 fault window within the module's bounds. */
export const faultDurationSchema = z
  .string()
  .superRefine((text, ctx) => {
    const seconds = durationSeconds(text);
    const { min, max } = FAULT_INJECTION_DEFAULTS.faultSeconds;
    if (seconds === undefined)
      ctx.addIssue({
        code: "custom",
        message: `expected an ISO 8601 duration such as PT5M or PT1M30S, got ${describeValue(text)}`,
      });
    else if (seconds < min || seconds > max)
      ctx.addIssue({
        code: "custom",
        message: `expected a fault window of PT1M to PT1H (bounded: a game day, not an outage), got ${text}`,
      });
  })
  .meta({ pattern: ISO_DURATION_PATTERN });

/** Each field's rule, shared by the module and the env file's `faultInjection.experiments`. */
export const experimentFields = {
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, {
    message: "expected 1-40 lower-case letters, digits and '-', starting with a letter",
  }),
  description: z.string().min(1).max(512).optional(),
  action: z.enum(Object.keys(FIS_LAMBDA_ACTIONS) as [FaultAction, ...FaultAction[]]),
  duration: faultDurationSchema,
  invocationPercentage: z
    .int()
    .min(FIS_LIMITS.invocationPercentage[0])
    .max(FIS_LIMITS.invocationPercentage[1])
    .optional(),
  startupDelayMilliseconds: z
    .int()
    .min(FIS_LIMITS.startupDelayMilliseconds[0])
    .max(FIS_LIMITS.startupDelayMilliseconds[1])
    .optional(),
  preventExecution: z.boolean().optional(),
  statusCode: z.int().min(FIS_LIMITS.statusCode[0]).max(FIS_LIMITS.statusCode[1]).optional(),
  contentTypeHeader: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+(;[ \w=.+-]*)?$/, { message: "expected a media type such as application/json" })
    .optional(),
} as const;

/** Which parameters each action takes (FIS actions reference): any other is a mistake worth naming. */
const ACTION_PARAMETERS: Record<FaultAction, readonly string[]> = {
  "invocation-add-delay": ["startupDelayMilliseconds"],
  "invocation-error": ["preventExecution"],
  "invocation-http-integration-response": ["preventExecution", "statusCode", "contentTypeHeader"],
};
const ALL_PARAMETERS = ["startupDelayMilliseconds", "preventExecution", "statusCode", "contentTypeHeader"] as const;

/** The rules across an experiment's fields: each parameter only on the action that takes it, a status code where needed. */
export function experimentRules(e: Partial<Record<string, unknown>> & { action?: FaultAction }, ctx: z.RefinementCtx) {
  if (!e.action) return;
  const v = valueChecks(ctx);
  const takes = ACTION_PARAMETERS[e.action];
  for (const p of ALL_PARAMETERS)
    if (e[p] !== undefined)
      v.check(takes.includes(p), p, `${e.action} takes no ${p} (it takes ${takes.join(", ") || "none"})`);
  if (e.action === "invocation-http-integration-response")
    v.check(e.statusCode !== undefined, "statusCode", "required by invocation-http-integration-response");
}

/** A list of 1..max distinct entries. */
function distinctList(item: z.ZodType<string, string>, max: number, what: string) {
  return z
    .array(item)
    .min(1, { message: `expected at least one ${what}` })
    .max(max, { message: `expected at most ${max} ${what}s (FIS quota)` })
    .refine((list) => new Set(list).size === list.length, { message: `expected each ${what} once` });
}

/** The props of one experiment: each field's rule, then the rules across them. */
export const faultExperimentSchema = z
  .strictObject({
    ...experimentFields,
    functionArns: distinctList(fisFunctionArnSchema, FIS_LIMITS.functionsPerExperiment, "function"),
    stopAlarmArns: distinctList(
      tokenOr(ALARM_ARN, "expected a CloudWatch alarm ARN"),
      FIS_LIMITS.stopConditions,
      "stop alarm",
    ),
  })
  .superRefine(experimentRules);

// Compile-time: the schema takes exactly the documented props.
export type _FaultExperimentSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof faultExperimentSchema>, FaultExperimentProps>
>;
