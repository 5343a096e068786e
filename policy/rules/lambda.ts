/** Lambda rules: tracing, bounded concurrency, logs that expire. */
import type { Rule, Violation } from "../rule";
import { readPolicy } from "../policy-document";
import { block, isExpression, type StackView, type TfResource } from "../terraform-json";

const FUNCTION = "aws_lambda_function";
const LOG_GROUP = "aws_cloudwatch_log_group";
const MAPPING = "aws_lambda_event_source_mapping";
const PERMISSION = "aws_lambda_permission";
const EVENT_RULE = "aws_cloudwatch_event_rule";
const IDENTITY_POLICIES = ["aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy"];
const FUNCTION_ATTRIBUTES = ["arn", "function_name", "id", "qualified_arn", "invoke_arn"];

export const lambdaXray: Rule = {
  id: "lambda-xray",
  checkov: "CKV_AWS_50",
  meaning: "every Lambda function traces with X-Ray (tracing_config.mode = Active)",
  kinds: [FUNCTION],
  check(stack) {
    return stack
      .resources(FUNCTION)
      .filter((f) => block(f.body.tracing_config)?.mode !== "Active")
      .map((f) => ({
        address: f.address,
        reason: `tracing_config.mode is ${JSON.stringify(block(f.body.tracing_config)?.mode ?? "unset")}, expected "Active"`,
      }));
  },
};

/** Why a literal reserved_concurrent_executions fails, or undefined when it reserves at least one execution. */
function reservedConcurrencyProblem(r: unknown): string | undefined {
  if (r === undefined) return 'reserved_concurrent_executions is "unset", expected an integer >= 1';
  const n = Number(r);
  if (!Number.isInteger(n) || n < -1)
    return `reserved_concurrent_executions is ${JSON.stringify(r)}, expected an integer >= 1`;
  if (n === 0)
    return "reserved_concurrent_executions is 0, which disables the function (every invocation is throttled); expected an integer >= 1";
  if (n === -1) {
    return "reserved_concurrent_executions is -1 (unreserved): the function draws on the account's unreserved pool; reserve >= 1, or waive it saying why running unreserved is safe (an app: `resilient-edge check --waivers <file.json>`; the platform: policy/waivers.ts)";
  }
  return undefined;
}

/**
 * Whether an unreserved function is bounded anyway: an SQS event source mapping with
 * `scaling_config.maximum_concurrency` invokes it and nothing else may (no `aws_lambda_permission`).
 * The mapping never runs more than that many invocations of the function
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html#events-sqs-max-concurrency),
 * and a reservation is refused outright in a new account (10 executions, all of them kept unreserved).
 */
function cappedByItsQueue(stack: StackView, f: TfResource): boolean {
  const targets = (value: unknown) => stack.refersTo(value, f, ["arn", "function_name", "id", "qualified_arn"]);
  const mappings = stack.resources(MAPPING).filter((m) => targets(m.body.function_name));
  if (mappings.length === 0 || stack.resources(PERMISSION).some((p) => targets(p.body.function_name))) return false;
  return mappings.every((m) => {
    const max = Number(block(m.body.scaling_config)?.maximum_concurrency);
    return Number.isInteger(max) && max >= 2;
  });
}

/**
 * Whether an unreserved function is invoked only by people and by schedules: no event source mapping, no
 * resource-based permission but EventBridge's for a schedule rule (one invocation per period at most), and no
 * identity policy of the stack that lets a role, user or group invoke it (`lambda:InvokeFunction`, on it or on `*`).
 * What is left is an operator invoking it by hand, which cannot starve the account; and a reservation is refused in a
 * new account, where Lambda keeps all of its 10 executions unreserved
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html). The redrive function is such a function.
 */
function onlyByPeopleAndSchedules(stack: StackView, f: TfResource): boolean {
  const targets = (value: unknown) => stack.refersTo(value, f, FUNCTION_ATTRIBUTES);
  if (stack.resources(MAPPING).some((m) => targets(m.body.function_name))) return false;
  const permissions = stack.resources(PERMISSION).filter((p) => targets(p.body.function_name));
  const bySchedule = (p: TfResource) =>
    p.body.principal === "events.amazonaws.com" &&
    stack.referenced(p.body.source_arn, EVENT_RULE).some((r) => r.body.schedule_expression && !r.body.event_pattern);
  if (!permissions.every(bySchedule)) return false;
  return !IDENTITY_POLICIES.flatMap((type) => stack.resources(type)).some((p) => grantsInvoke(stack, p, f));
}

/** Whether an identity policy allows invoking the function (by a reference to it, or on every resource). */
function grantsInvoke(stack: StackView, policy: TfResource, f: TfResource): boolean {
  const doc = readPolicy(stack, policy.body.policy);
  // A policy the rules cannot read might grant it: judged as granting (the function then needs its reservation).
  if (!doc.readable) return true;
  return doc.statements.some(
    (s) =>
      s.effect === "Allow" &&
      s.actions.some((a) => /^(lambda:(InvokeFunction|Invoke\*|\*)|\*)$/i.test(a)) &&
      s.resources.some((r) => r === "*" || stack.refersTo(r, f, FUNCTION_ATTRIBUTES)),
  );
}

export const lambdaReservedConcurrency: Rule = {
  id: "lambda-reserved-concurrency",
  checkov: "CKV_AWS_115",
  meaning:
    "every Lambda function reserves concurrency (reserved_concurrent_executions >= 1), or is unreserved and invoked only by SQS event source mappings with scaling_config.maximum_concurrency, or only by people and schedule rules (no other event source, permission or role may invoke it), so one function cannot starve the account; 0 disables the function, and any other unreserved (-1) function needs a waiver",
  kinds: [FUNCTION],
  check(stack) {
    const out: Violation[] = [];
    for (const f of stack.resources(FUNCTION)) {
      const r = f.body.reserved_concurrent_executions;
      const unreserved = r === undefined || Number(r) === -1;
      if (unreserved && (cappedByItsQueue(stack, f) || onlyByPeopleAndSchedules(stack, f))) continue;
      const problem = isExpression(r) ? undefined : reservedConcurrencyProblem(r);
      if (problem) out.push({ address: f.address, reason: problem });
    }
    return out;
  },
};

/** The log group a function writes to: logging_config.log_group if set, else `/aws/lambda/<function_name>`. */
function logGroupOf(stack: StackView, f: TfResource): TfResource | undefined {
  const groups = stack.resources(LOG_GROUP);
  const custom = block(f.body.logging_config)?.log_group;
  if (custom) return stack.referenced(custom, LOG_GROUP)[0] ?? groups.find((g) => g.body.name === custom);
  const name = f.body.function_name;
  return groups.find(
    (g) =>
      g.body.name === `/aws/lambda/${name}` ||
      (typeof g.body.name === "string" &&
        g.body.name.startsWith("/aws/lambda/") &&
        stack.refersTo(g.body.name, f, ["function_name", "id"])),
  );
}

export const lambdaLogRetention: Rule = {
  id: "lambda-log-retention",
  meaning:
    "every Lambda function's log group (/aws/lambda/<function_name>, or logging_config.log_group) is managed in the stack with retention_in_days set",
  kinds: [FUNCTION, LOG_GROUP],
  check(stack) {
    const out: Violation[] = [];
    for (const f of stack.resources(FUNCTION)) {
      const group = logGroupOf(stack, f);
      if (!group) {
        out.push({
          address: f.address,
          reason: `no aws_cloudwatch_log_group for the function's logs (${block(f.body.logging_config)?.log_group ?? `/aws/lambda/${f.body.function_name}`}): Lambda would create one that never expires`,
        });
        continue;
      }
      const days = group.body.retention_in_days;
      if (days === undefined || (!isExpression(days) && !(Number(days) > 0))) {
        out.push({
          address: f.address,
          reason: `its log group ${group.address} has retention_in_days ${JSON.stringify(days ?? "unset")}: logs never expire`,
        });
      }
    }
    return out;
  },
};

/** Lambda rules, in report order. */
export const LAMBDA_RULES: readonly Rule[] = [lambdaXray, lambdaReservedConcurrency, lambdaLogRetention];
