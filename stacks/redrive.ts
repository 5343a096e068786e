import { TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import type { DeadLetterRoute } from "../modules/shared/dead-letter-route";
import { RedriveFunction } from "../modules/redrive/redrive-function";
import type { LoadedEnvironment } from "./config/loaded-environment";
import { redriveSchema } from "./config/redrive";
import type { FaultInjectionReadiness } from "../modules/fault-injection/readiness";

/**
 * The environment's redrive function, draining every event DLQ and consumer DLQ (`routes`), from its `redrive`
 * config (absent: defaults). Outputs the function's name for operators (`aws lambda invoke`).
 */
export function addRedrive(
  scope: Construct,
  env: LoadedEnvironment,
  routes: readonly DeadLetterRoute[],
  alarmTopicArn: string,
  faultInjection?: FaultInjectionReadiness,
): RedriveFunction | undefined {
  const r = env.config.redrive ?? redriveSchema.parse({});
  if (!r.enabled || routes.length === 0) return undefined;
  const fn = new RedriveFunction(scope, "redrive", {
    functionName: `${env.name}-redrive`,
    routes,
    alarmTopicArn,
    additionalDestinations: r.additionalDestinations,
    memorySize: r.memoryMb,
    timeoutSeconds: r.timeoutSeconds,
    reservedConcurrency: r.reservedConcurrency,
    logRetentionDays: r.logRetentionDays,
    maxRedrives: r.maxRedrives,
    concurrency: r.concurrency,
    rate: r.rate,
    visibilityTimeoutSeconds: r.visibilityTimeoutSeconds,
    maxMessages: r.maxMessages,
    faultInjection,
    schedule: r.schedule && {
      expression: r.schedule.expression,
      errorCodes: r.schedule.errorCodes,
      maxMessages: r.schedule.maxMessages,
      enabled: r.schedule.enabled,
    },
  });
  new TerraformOutput(scope, "redrive-function-name", {
    value: fn.functionName,
    description: "Lambda function that replays dead-lettered events (README: Redrive)",
  });
  new TerraformOutput(scope, "redrive-role-arn", {
    value: fn.roleArn,
    description:
      "Role of the redrive function: a cross-account event bus it replays to must allow events:PutEvents for it (README: Redrive)",
  });
  return fn;
}
