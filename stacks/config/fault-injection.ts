import { z } from "zod";
import { experimentFields, experimentRules } from "../../modules/fault-injection/experiment-schema";
import { faultInjectionFields } from "../../modules/fault-injection/fault-injection-schema";
import { FIS_LIMITS } from "../../modules/fault-injection/defaults";

/**
 * The `faultInjection` section of env/<name>.json: AWS FIS experiments on the environment's own functions
 * (modules/fault-injection). Absent, nothing is created and no function carries the extension; in a production
 * environment it also needs `allowInProduction: true`. Functions and stop alarms are named by reference, resolved by
 * the stack to this environment's ARNs.
 */
const f = faultInjectionFields;
const e = experimentFields;

/** A function an experiment faults: `consumer:<name>`, `redrive`, or `lambda-target:<rule>/<target>` (this account). */
export const FUNCTION_REF = /^(consumer:[a-z0-9-]+|redrive|lambda-target:[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+)$/;
/** An alarm that stops an experiment. */
export const ALARM_REF =
  /^(api:5xx-errors|consumer:[a-z0-9-]+:(errors|throttles|dead-letters|oldest-message-age)|redrive:errors)$/;

function refList(pattern: RegExp, expected: string, max: number) {
  return z
    .array(z.string().regex(pattern, { message: expected }))
    .min(1)
    .max(max, { message: `expected at most ${max} (FIS quota)` })
    .refine((l) => new Set(l).size === l.length, { message: "expected each entry once" });
}

export const experimentConfigSchema = z
  .strictObject({
    name: e.name,
    description: e.description,
    action: e.action,
    /** The functions faulted (1-5): consumer:<name>, redrive, or lambda-target:<rule>/<target> of this account. */
    functions: refList(
      FUNCTION_REF,
      "expected consumer:<name>, redrive or lambda-target:<rule>/<target>",
      FIS_LIMITS.functionsPerExperiment,
    ),
    /** Alarms that stop it (1-5); default the API's 5XX alarm and each faulted consumer's DLQ and backlog-age alarms. */
    stopOn: refList(
      ALARM_REF,
      "expected api:5xx-errors, consumer:<name>:(errors|throttles|dead-letters|oldest-message-age) or redrive:errors",
      FIS_LIMITS.stopConditions,
    ).optional(),
    duration: e.duration,
    invocationPercentage: e.invocationPercentage,
    startupDelayMilliseconds: e.startupDelayMilliseconds,
    preventExecution: e.preventExecution,
    statusCode: e.statusCode,
    contentTypeHeader: e.contentTypeHeader,
  })
  .superRefine(experimentRules);

export const faultInjectionSchema = z.strictObject({
  /** A production environment may carry experiments: the deliberate opt-in (default false). */
  allowInProduction: f.allowInProduction,
  slowPollIntervalSeconds: f.slowPollIntervalSeconds,
  pollMaxWaitMilliseconds: f.pollMaxWaitMilliseconds,
  layerArns: f.layerArns,
  logRetentionDays: f.logRetentionDays,
  experiments: z
    .array(experimentConfigSchema)
    .min(1)
    .superRefine((list, ctx) => {
      const seen = new Map<string, number>();
      list.forEach((x, i) => {
        const first = seen.get(x.name);
        if (first !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [i, "name"],
            message: `duplicate experiment name "${x.name}" (also experiments[${first}])`,
          });
        else seen.set(x.name, i);
      });
    }),
});

export type FaultInjectionConfig = z.infer<typeof faultInjectionSchema>;
export type ExperimentConfig = z.infer<typeof experimentConfigSchema>;
