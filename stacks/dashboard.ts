import { TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import type { DashboardDeadLetterQueue, DashboardRule } from "../modules/dashboard/dashboard-schema";
import { OperationsDashboard } from "../modules/dashboard/operations-dashboard";
import type { EventRouting } from "../modules/events/event-routing";
import type { DeadLetterRoute } from "../modules/shared/dead-letter-route";
import type { LoadedEnvironment } from "./config/loaded-environment";
import type { RestApiFrontDoor } from "../modules/api/rest-api-front-door";
import type { QueueConsumer } from "../modules/consumer/queue-consumer";
import type { Outbox } from "../modules/outbox/outbox";
import type { RedriveFunction } from "../modules/redrive/redrive-function";
import type { Saga } from "../modules/saga/saga";

/** The part of an environment stack its dashboard is drawn from (EnvironmentStack's modules). */
export interface DashboardSources {
  readonly api?: RestApiFrontDoor;
  readonly consumers: readonly QueueConsumer[];
  readonly outbox?: Outbox;
  readonly sagas: readonly Saga[];
  readonly events: EventRouting;
  readonly redrive?: RedriveFunction;
}

/** What operators of the platform type to redrive: the repository's script (docs/redrive.md). */
const PLATFORM_REDRIVE_COMMAND = "npm run -s redrive --";

/**
 * The environment's operations dashboard (`<env>-operations`, modules/dashboard) from what its stack contains, and an
 * output with its console URL. Built last: it shows every alarm of the stack.
 */
export function addDashboard(
  scope: Construct,
  env: LoadedEnvironment,
  sources: DashboardSources,
  deadLetterRoutes: readonly DeadLetterRoute[],
): OperationsDashboard {
  const api = sources.api;
  const dashboard = new OperationsDashboard(scope, "dashboard", {
    name: `${env.name}-operations`,
    api: api && { apiName: api.restApi.name, stageName: api.stageName, accessLogGroupName: api.stage.logGroup.name },
    consumers: env.config.consumers.map((c, i) => ({
      name: c.name,
      queueName: api!.asyncRoutes[c.route].queueName,
      functionName: sources.consumers[i].functionName,
      logGroupName: sources.consumers[i].logGroup.name,
    })),
    pipeNames: Object.values(sources.outbox?.pipes ?? {}).map((p) => p.name),
    stateMachines: env.config.sagas.map((c, i) => ({
      name: c.name,
      stateMachineArn: sources.sagas[i].stateMachineArn,
    })),
    rules: [
      ...dashboardRules(sources.events),
      // The redrive's schedule, on the default bus.
      ...(sources.redrive?.scheduleRule ? [{ ruleName: sources.redrive.scheduleRule.name }] : []),
    ],
    deadLetterQueues: [
      ...OperationsDashboard.deadLetterQueuesOf(deadLetterRoutes),
      ...targetQueueDeadLetters(sources.events),
      ...failureQueues(env, sources),
    ],
    redriveFunctionName: sources.redrive?.functionName,
    redriveCommand: PLATFORM_REDRIVE_COMMAND,
  });
  new TerraformOutput(scope, "dashboard-url", {
    value: dashboard.consoleUrl,
    description: "The environment's operations dashboard in the CloudWatch console (docs/dashboard.md: how to read it)",
  });
  return dashboard;
}

/**
 * The DLQs of the queues event rules deliver to (their consumers' failures, after the queue's maxReceiveCount): the
 * redrive CLI replays one to its queue, found as SQS's own redrive finds it (ListDeadLetterSourceQueues).
 */
function targetQueueDeadLetters(events: EventRouting): DashboardDeadLetterQueue[] {
  return Object.entries(events.targets).flatMap(([name, t]) =>
    t.targetQueue
      ? [
          {
            name: `${name} queue`,
            queueName: t.targetQueue.deadLetterQueueName,
            queueUrl: t.targetQueue.deadLetterQueueUrl,
          },
        ]
      : [],
  );
}

/** The failure queues the redrive does not replay: each saga's needs-a-human queue and the redrive schedule's DLQ. */
function failureQueues(env: LoadedEnvironment, sources: DashboardSources): DashboardDeadLetterQueue[] {
  const sagas = env.config.sagas.map((c, i) => ({
    name: `${c.name} needs a human`,
    queueName: sources.sagas[i].needsAHumanQueue.name,
    queueUrl: sources.sagas[i].needsAHumanQueue.url,
    instructions:
      "Sagas whose compensation failed. Each message names the execution, the failed step and the error: finish the undo by hand (docs/sagas.md), then delete the message.",
  }));
  const schedule = sources.redrive?.scheduleDeadLetterQueue;
  const missedRuns = schedule && {
    name: "redrive schedule",
    queueName: schedule.name,
    queueUrl: schedule.url,
    instructions:
      "Scheduled redrive runs that did not start. Nothing to replay: the next scheduled run drains the DLQs as usual; the function's log says why this one failed.",
  };
  return missedRuns ? [...sagas, missedRuns] : sagas;
}

/** One entry per rule (its targets share AWS/Events' per-rule metrics), with its Lambda targets' function names. */
function dashboardRules(events: EventRouting): DashboardRule[] {
  const rules = new Map<string, { ruleName: string; eventBusName?: string; lambdaFunctionNames: string[] }>();
  for (const t of Object.values(events.targets)) {
    const key = t.rule.node.path;
    if (!rules.has(key))
      rules.set(key, {
        ruleName: t.rule.name,
        eventBusName: events.bus ? events.eventBusName : undefined,
        lambdaFunctionNames: [],
      });
    if (t.functionName) rules.get(key)!.lambdaFunctionNames.push(t.functionName);
  }
  return [...rules.values()];
}
