import { TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import type { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import type { RestApiFrontDoor } from "../modules/api/rest-api-front-door";
import type { QueueConsumer } from "../modules/consumer/queue-consumer";
import { FaultInjection } from "../modules/fault-injection/fault-injection";
import { configurationLocation, type FaultInjectionReadiness } from "../modules/fault-injection/readiness";
import type { RedriveFunction } from "../modules/redrive/redrive-function";
import type { LoadedEnvironment } from "./config/loaded-environment";
import type { ExperimentConfig } from "./config/fault-injection";
import { defaultStopOn, lambdaTargetArn } from "./config/fault-injection-refs";

/** The environment's fault injection, before its functions exist: what each faulted function of ours needs. */
export interface EnvironmentFaultInjection {
  readonly module: FaultInjection;
  /** The readiness of `consumer:<name>` or `redrive` when an experiment faults it; otherwise none (no layer, no grant). */
  readiness(ref: string): FaultInjectionReadiness | undefined;
}

/** The parts of the environment an experiment's references resolve to. */
export interface FaultedParts {
  readonly api?: RestApiFrontDoor;
  /** The consumers, in the order of the config's `consumers`. */
  readonly consumers: readonly QueueConsumer[];
  readonly redrive?: RedriveFunction;
}

/** The module (bucket, key, log group) when the config has a `faultInjection` section; create it before the functions. */
export function addFaultInjection(scope: Construct, env: LoadedEnvironment): EnvironmentFaultInjection | undefined {
  const fi = env.config.faultInjection;
  if (!fi) return undefined;
  const module = new FaultInjection(scope, "fault-injection", {
    name: env.name,
    production: env.config.production,
    allowInProduction: fi.allowInProduction,
    slowPollIntervalSeconds: fi.slowPollIntervalSeconds,
    pollMaxWaitMilliseconds: fi.pollMaxWaitMilliseconds,
    layerArns: fi.layerArns,
    logRetentionDays: fi.logRetentionDays,
  });
  const faulted = new Set(fi.experiments.flatMap((x) => x.functions));
  return { module, readiness: (ref) => (faulted.has(ref) ? module.readiness("arm64") : undefined) };
}

/** The function ARN a reference names. */
function functionArn(env: LoadedEnvironment, parts: FaultedParts, ref: string): string {
  if (ref === "redrive") return parts.redrive!.functionArn;
  if (ref.startsWith("consumer:")) return consumerOf(env, parts, ref.slice("consumer:".length)).functionArn;
  return lambdaTargetArn(env.config, ref).arn!;
}

function consumerOf(env: LoadedEnvironment, parts: FaultedParts, name: string): QueueConsumer {
  return parts.consumers[env.config.consumers.findIndex((c) => c.name === name)];
}

/** The alarm a reference names (validation guarantees it exists). */
function alarmArn(env: LoadedEnvironment, parts: FaultedParts, ref: string): string {
  if (ref === "api:5xx-errors") return parts.api!.alarms.alarms["server-errors"].arn;
  if (ref === "redrive:errors") return parts.redrive!.errorsAlarm.arn;
  const [, name, kind] = ref.split(":");
  const a = consumerOf(env, parts, name).alarms;
  const byKind: Record<string, CloudwatchMetricAlarm | undefined> = {
    errors: a.errors,
    throttles: a.throttles,
    "dead-letters": a.deadLetters,
    "oldest-message-age": a.oldestMessageAge,
  };
  return byKind[kind]!.arn;
}

/** One template per configured experiment, its references resolved to this environment's ARNs, and an output for operators. */
export function addExperiments(
  scope: Construct,
  env: LoadedEnvironment,
  fi: EnvironmentFaultInjection,
  parts: FaultedParts,
) {
  const config = env.config.faultInjection!;
  for (const x of config.experiments) fi.module.addExperiment(experimentProps(env, parts, x));
  new TerraformOutput(scope, "fault-injection-experiments", {
    value: {
      configurationLocation: configurationLocation(fi.module.configLocation()),
      experiments: Object.fromEntries(fi.module.experiments.map((x) => [x.name, x.template.id])),
    },
    description: "FIS experiment templates by name, and the configuration location (npm run gameday; docs/gameday.md)",
  });
}

function experimentProps(env: LoadedEnvironment, parts: FaultedParts, x: ExperimentConfig) {
  const { functions, stopOn, ...rest } = x;
  return {
    ...rest,
    functionArns: functions.map((ref) => functionArn(env, parts, ref)),
    stopAlarmArns: (stopOn ?? defaultStopOn(env.config, x)).map((ref) => alarmArn(env, parts, ref)),
  };
}
