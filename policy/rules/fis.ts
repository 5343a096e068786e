/**
 * AWS FIS experiment templates (modules/fault-injection): each is stopped by an alarm of its own stack, bounded in
 * time and share, logged to an encrypted log group, run by a role scoped to its own targets, and absent from
 * production without the environment's opt-in.
 */
import { FAULT_INJECTION_DEFAULTS, FIS_LIMITS } from "../../modules/fault-injection/defaults";
import { OPT_IN_TAG, PRODUCTION_TAG } from "../../modules/fault-injection/experiment-template";
import { durationSeconds } from "../../modules/fault-injection/iso-duration";
import { readPolicy } from "../policy-document";
import type { Rule, Violation } from "../rule";
import { block, blocks, type StackView, type TfResource } from "../terraform-json";

const TEMPLATE = "aws_fis_experiment_template";

/** The longest action a template may hold: the module's longest fault window plus the slowest poll. */
export const MAX_ACTION_SECONDS = FAULT_INJECTION_DEFAULTS.faultSeconds.max + FIS_LIMITS.slowPollIntervalSeconds[1];

/** Each template's violations, by a check of one template. */
function perTemplate(stack: StackView, check: (t: TfResource) => string[]): Violation[] {
  return stack.resources(TEMPLATE).flatMap((t) => check(t).map((reason) => ({ address: t.address, reason })));
}

function stopProblems(stack: StackView, t: TfResource): string[] {
  const own = blocks(t.body.stop_condition).filter(
    (c) => c.source === "aws:cloudwatch:alarm" && stack.referenced(c.value, "aws_cloudwatch_metric_alarm").length > 0,
  );
  return own.length > 0
    ? []
    : ["no stop_condition on a CloudWatch alarm of this stack: nothing stops it when customers feel it"];
}

function parameter(action: Record<string, any>, key: string): string | undefined {
  return blocks(action.parameter).find((p) => p.key === key)?.value;
}

function boundProblems(t: TfResource): string[] {
  return blocks(t.body.action).flatMap((a) => {
    const out: string[] = [];
    const text = parameter(a, "duration");
    const seconds = text === undefined ? undefined : durationSeconds(String(text));
    if (seconds === undefined || seconds > MAX_ACTION_SECONDS)
      out.push(
        `action ${a.name}: duration ${text ?? "is not set"}; expected an ISO 8601 duration of at most ${MAX_ACTION_SECONDS} s`,
      );
    const pct = Number(parameter(a, "invocationPercentage") ?? Number.NaN);
    if (String(a.action_id).startsWith("aws:lambda:") && !(Number.isInteger(pct) && pct >= 1 && pct <= 100))
      out.push(`action ${a.name}: invocationPercentage is not set to 1-100 (FIS would fault every invocation)`);
    return out;
  });
}

function logProblems(stack: StackView, t: TfResource): string[] {
  const cw = block(block(t.body.log_configuration)?.cloudwatch_logs_configuration);
  const group = cw ? stack.referenced(cw.log_group_arn, "aws_cloudwatch_log_group")[0] : undefined;
  if (!group) return ["log_configuration does not send experiment logs to a log group of this stack"];
  return group.body.kms_key_id ? [] : [`its log group ${group.address} has no kms_key_id`];
}

/** The template's role's grants beyond its own targets. */
function roleProblems(stack: StackView, t: TfResource): string[] {
  const role = stack.referenced(t.body.role_arn, "aws_iam_role")[0];
  if (!role) return ["role_arn is not a role of this stack: its grants cannot be judged"];
  const targets = new Set(
    blocks(t.body.target).flatMap((x) => (Array.isArray(x.resource_arns) ? x.resource_arns : [])),
  );
  const out: string[] = [];
  for (const p of stack.resources("aws_iam_role_policy").filter((x) => stack.refersTo(x.body.role, role))) {
    const doc = readPolicy(stack, p.body.policy);
    if (!doc.readable) continue;
    for (const s of doc.statements.filter((x) => x.effect === "Allow")) {
      if (s.actions.some((a) => /^lambda:/i.test(a)))
        for (const r of s.resources.filter((r) => !targets.has(r)))
          out.push(`${p.address} grants ${s.actions.join(", ")} on ${r}, which is not a target of this template`);
      if (s.actions.some((a) => /^s3:(PutObject|DeleteObject|\*)$/i.test(a)))
        for (const r of s.resources.filter(
          (r) => stack.referenced(r, "aws_s3_bucket").length === 0 || !/\/[^*/]+\/\*$/.test(r),
        ))
          out.push(
            `${p.address} grants ${s.actions.join(", ")} on ${r}: expected a folder (<bucket>/<prefix>/*) of a bucket of this stack`,
          );
    }
  }
  return out;
}

export const fisStoppedByOwnAlarm: Rule = {
  id: "fis-stop-condition",
  meaning: "every FIS experiment template has a stop condition on a CloudWatch alarm of its own stack",
  kinds: [TEMPLATE],
  check: (stack) => perTemplate(stack, (t) => stopProblems(stack, t)),
};

export const fisBounded: Rule = {
  id: "fis-bounded",
  meaning: `every FIS action lasts at most ${MAX_ACTION_SECONDS} s and a Lambda action faults a stated share (1-100 %) of invocations`,
  kinds: [TEMPLATE],
  check: (stack) => perTemplate(stack, boundProblems),
};

export const fisLogged: Rule = {
  id: "fis-logged",
  meaning: "every FIS experiment template logs to an encrypted log group of its own stack",
  kinds: [TEMPLATE],
  check: (stack) => perTemplate(stack, (t) => logProblems(stack, t)),
};

export const fisRoleScoped: Rule = {
  id: "fis-role-scoped",
  meaning:
    "an experiment's role reaches only its own target functions and a configuration folder of a bucket of its stack",
  kinds: [TEMPLATE],
  check: (stack) => perTemplate(stack, (t) => roleProblems(stack, t)),
};

export const fisProductionOptIn: Rule = {
  id: "fis-production-opt-in",
  meaning: `an experiment template says whether its environment is production (tag ${PRODUCTION_TAG}); in production only with the opt-in (${OPT_IN_TAG})`,
  kinds: [TEMPLATE],
  check: (stack) =>
    perTemplate(stack, (t) => {
      const tags = block(t.body.tags) ?? {};
      if (tags[PRODUCTION_TAG] !== "true" && tags[PRODUCTION_TAG] !== "false")
        return [`tag ${PRODUCTION_TAG} is not "true" or "false": whether it may run here cannot be judged`];
      return tags[PRODUCTION_TAG] === "true" && tags[OPT_IN_TAG] !== "true"
        ? [`a production template without ${OPT_IN_TAG} = "true" (faultInjection.allowInProduction)`]
        : [];
    }),
};

export const FIS_RULES: readonly Rule[] = [
  fisStoppedByOwnAlarm,
  fisBounded,
  fisLogged,
  fisRoleScoped,
  fisProductionOptIn,
];
