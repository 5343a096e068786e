import { TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import type { RestApiFrontDoor } from "../modules/api/rest-api-front-door";
import { QueueConsumer, type QueueConsumerProps } from "../modules/consumer/queue-consumer";
import type { ConsumerConfig } from "./config/consumers";
import type { AsyncRouteQueue } from "../modules/api/async-route-queue";
import type { DeadLetterRoute } from "../modules/shared/dead-letter-route";
import type { LoadedEnvironment } from "./config/loaded-environment";
import type { EnvironmentOutbox } from "./outbox";
import type { EnvironmentFaultInjection } from "./fault-injection";

/**
 * The environment's queue consumers (modules/consumer) from its `consumers` config, each on the
 * queue of one async API route, plus the consumers' DLQs as dead-letter routes for the redrive
 * (kind sqs, back to the route's queue) and an output naming each consumer's function and queues.
 */
export function addConsumers(
  scope: Construct,
  env: LoadedEnvironment,
  api: RestApiFrontDoor | undefined,
  alarmTopicArn: string,
  outbox?: Pick<EnvironmentOutbox, "stateTable" | "writers">,
  faults?: Pick<EnvironmentFaultInjection, "readiness">,
): { consumers: QueueConsumer[]; deadLetterRoutes: DeadLetterRoute[] } {
  const consumers: QueueConsumer[] = [];
  const deadLetterRoutes: DeadLetterRoute[] = [];
  const summary: Record<string, unknown> = {};
  for (const c of env.config.consumers) {
    // Validation guarantees the route is an async route whose queue the API module created.
    const queue = api!.asyncRoutes[c.route].createdQueue!;
    const consumer = new QueueConsumer(scope, `consumer-${c.name}`, {
      ...consumerProps(env, c, queue, alarmTopicArn, outbox),
      faultInjection: faults?.readiness(`consumer:${c.name}`),
    });
    consumers.push(consumer);
    deadLetterRoutes.push(queue.deadLetterRoute(`consumer-${c.name}`));
    summary[c.name] = {
      route: c.route,
      functionName: consumer.functionName,
      queueUrl: queue.queueUrl,
      dlqUrl: queue.deadLetterQueueUrl,
    };
  }
  if (consumers.length > 0) {
    new TerraformOutput(scope, "consumers", {
      value: summary,
      description:
        "Queue consumers by name: route, function, queue and DLQ URLs (redrive a DLQ with `to` = its queue URL; README: Async front door)",
    });
  }
  return { consumers, deadLetterRoutes };
}

/** One consumer's QueueConsumer props from its config and its route's queue (and the outbox's table, for a writer). */
function consumerProps(
  env: LoadedEnvironment,
  c: ConsumerConfig,
  queue: AsyncRouteQueue,
  alarmTopicArn: string,
  outbox?: Pick<EnvironmentOutbox, "stateTable" | "writers">,
): QueueConsumerProps {
  return {
    functionName: `${env.name}-${c.name}`,
    queue: queue.consumedQueue(),
    alarmTopicArn,
    environment: c.environment,
    timeoutSeconds: c.timeoutSeconds,
    memorySize: c.memoryMb,
    batchSize: c.batchSize,
    maximumBatchingWindowSeconds: c.maximumBatchingWindowSeconds,
    maximumConcurrency: c.maximumConcurrency,
    reservedConcurrency: c.reservedConcurrency,
    logRetentionDays: c.logRetentionDays,
    idempotencyTtlSeconds: c.idempotencyTtlSeconds,
    tableKmsKeyArn: c.tableKmsKeyArn,
    oldestMessageAgeAlarmSeconds: c.oldestMessageAgeAlarmSeconds,
    stateTable: outbox?.writers.includes(c.name) ? outbox.stateTable : undefined,
  };
}
