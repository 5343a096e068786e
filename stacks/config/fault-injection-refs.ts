import { ALARM_REF, type ExperimentConfig, FUNCTION_REF } from "./fault-injection";
import { FIS_LIMITS } from "../../modules/fault-injection/defaults";

/** A target of an event rule, as far as a reference reads it. */
type TargetView = { name: string; kind: string; functionArn?: string; functionName?: string };

/** What the references of an experiment may name in an environment (the parts of its config they read). */
export type FaultInjectionEnv = {
  production?: boolean;
  account: { id: string; region: string };
  api?: unknown;
  redrive?: { enabled?: boolean };
  consumers: readonly { name: string }[];
  events: { rules: readonly { name: string; targets: readonly TargetView[] }[] };
  faultInjection?: { allowInProduction?: boolean; experiments: readonly ExperimentConfig[] };
};
type Env = FaultInjectionEnv;

type Problem = { path: (string | number)[]; message: string };

/** A Lambda target of events.rules by `<rule>/<target>`, with its function's ARN when it is in this account. */
export function lambdaTargetArn(env: Env, ref: string): { arn?: string; problem?: string } {
  const [rule, target] = ref.slice("lambda-target:".length).split("/");
  const t = env.events.rules.find((r) => r.name === rule)?.targets.find((x) => x.name === target);
  if (t?.kind !== "lambda") return { problem: `${ref}: events.rules has no lambda target ${target} in rule ${rule}` };
  const { region, id } = env.account;
  const arn = t.functionArn ?? `arn:aws:lambda:${region}:${id}:function:${t.functionName}`;
  if (!arn.startsWith(`arn:aws:lambda:${region}:${id}:function:`))
    return { problem: `${ref}: its function ${arn} is not in this account and region (${id}, ${region})` };
  return { arn: arn.split(":").slice(0, 7).join(":") };
}

/** The alarms that stop an experiment unless it names its own: the API's 5XX, and each faulted consumer's DLQ and backlog age. */
export function defaultStopOn(env: Env, x: ExperimentConfig): string[] {
  const consumers = x.functions.filter((r) => r.startsWith("consumer:")).map((r) => r.slice("consumer:".length));
  return [
    ...(env.api ? ["api:5xx-errors"] : []),
    ...consumers.flatMap((c) => [`consumer:${c}:dead-letters`, `consumer:${c}:oldest-message-age`]),
  ];
}

function functionProblem(env: Env, ref: string): string | undefined {
  // A reference of no known form is the schema's to report.
  if (!FUNCTION_REF.test(ref)) return undefined;
  if (ref === "redrive")
    return env.redrive?.enabled === false ? "redrive: redrive.enabled is false, there is no function" : undefined;
  if (ref.startsWith("consumer:")) {
    const name = ref.slice("consumer:".length);
    const known = env.consumers.map((c) => c.name);
    return known.includes(name)
      ? undefined
      : `${ref}: no consumer named ${name} (consumers: ${known.join(", ") || "none"})`;
  }
  return lambdaTargetArn(env, ref).problem;
}

/**
 * A replaced HTTP response is a loss for any function here: an SQS event source mapping reads a response without
 * `batchItemFailures` as "all processed" and deletes the batch; an asynchronous invoke (redrive, an event target)
 * counts it as a success, and with preventExecution the event is gone. Only functions behind API Gateway take it.
 */
function responseProblem(x: ExperimentConfig, ref: string): string | undefined {
  if (x.action !== "invocation-http-integration-response") return undefined;
  return ref.startsWith("consumer:")
    ? `${ref}: a replaced response has no batchItemFailures, so the event source mapping would delete the whole batch (messages lost); use invocation-error`
    : `${ref}: it is invoked asynchronously, so a replaced response counts as a success (with preventExecution the event is lost); use invocation-error`;
}

function alarmProblem(env: Env, ref: string): string | undefined {
  if (!ALARM_REF.test(ref)) return undefined;
  if (ref === "api:5xx-errors") return env.api ? undefined : `${ref}: this environment has no api section`;
  if (ref === "redrive:errors") return functionProblem(env, "redrive");
  return functionProblem(env, ref.split(":").slice(0, 2).join(":"));
}

/** Problems of the faultInjection section against the rest of the environment: every reference resolves, production opted in. */
export function faultInjectionProblems(env: Env): Problem[] {
  const fi = env.faultInjection;
  if (!fi) return [];
  const out: Problem[] = [];
  if (env.production && fi.allowInProduction !== true)
    out.push({
      path: ["allowInProduction"],
      message: "this is a production environment: experiments need allowInProduction: true (a deliberate opt-in)",
    });
  fi.experiments.forEach((x, i) => {
    x.functions.forEach((ref, j) => {
      const p = functionProblem(env, ref) ?? responseProblem(x, ref);
      if (p) out.push({ path: ["experiments", i, "functions", j], message: p });
    });
    x.stopOn?.forEach((ref, j) => {
      const p = alarmProblem(env, ref);
      if (p) out.push({ path: ["experiments", i, "stopOn", j], message: p });
    });
    const stops = x.stopOn ?? defaultStopOn(env, x);
    if (!x.stopOn && (stops.length === 0 || stops.length > FIS_LIMITS.stopConditions))
      out.push({
        path: ["experiments", i, "stopOn"],
        message: `name 1-${FIS_LIMITS.stopConditions} alarms that stop it: the default (the API's 5XX alarm and each faulted consumer's DLQ and backlog alarms) gives ${stops.length}`,
      });
  });
  return out;
}
