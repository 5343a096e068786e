import { Fn, TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import { EventRouting } from "../modules/events/event-routing";
import { eventRoutingProps } from "./config/event-routing-props";
import type { LoadedEnvironment } from "./config/loaded-environment";

/**
 * The environment's event routing (modules/events) from its `events` config, plus the outputs that
 * list, per target, where failed events go: `events-dead-letter-routes` (JSON: target name ->
 * kind, target ARN, rule ARN, DLQ ARN and URL, and a Lambda target's on-failure queue ARN and
 * URL), `events-rule-arns` and `events-bus-arn`.
 */
export function addEventRouting(
  scope: Construct,
  env: LoadedEnvironment,
  alarmTopicArn: string,
  machineKeys: ReadonlyMap<string, string> = new Map(),
): EventRouting {
  const routing = new EventRouting(scope, "events", eventRoutingProps(env, alarmTopicArn, machineKeys));

  const routes: Record<string, Record<string, string | undefined>> = {};
  for (const r of routing.deadLetterRoutes) {
    routes[r.targetName] ??= { kind: r.targetKind, targetArn: r.targetArn, ruleArn: r.ruleArn };
    const entry = routes[r.targetName];
    if (r.source === "lambda-on-failure")
      Object.assign(entry, { onFailureQueueArn: r.dlqArn, onFailureQueueUrl: r.dlqUrl });
    else Object.assign(entry, { dlqArn: r.dlqArn, dlqUrl: r.dlqUrl });
  }
  new TerraformOutput(scope, "events-dead-letter-routes", {
    value: Fn.jsonencode(routes),
    description:
      "JSON map: target name -> {kind, targetArn, ruleArn, dlqArn, dlqUrl, and for Lambda targets onFailureQueueArn, onFailureQueueUrl}: where each target's undeliverable (DLQ) and failed (Lambda on-failure queue) events go",
  });
  new TerraformOutput(scope, "events-rule-arns", {
    value: routing.ruleArns,
    description: "EventBridge rule ARNs by rule name",
  });
  new TerraformOutput(scope, "events-bus-arn", {
    value: routing.eventBusArn,
    description: "ARN of the event bus the rules listen on",
  });
  return routing;
}
