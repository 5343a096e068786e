/**
 * What a game day needs to know about an environment, read from its env file (the same validation as the synth): the
 * async route it sends orders to, that route's queue and DLQ (named as the API module names them), the consumer, the
 * state table the consumer writes (where a processed order is found), and whether the environment is production.
 */
import {
  asyncRouteStem,
  DEFAULT_API_STAGE,
  FIS_DEFAULT_SLOW_POLL_SECONDS,
} from "../../modules/shared/contract/game-day";
import type { LoadedEnvironment } from "../../stacks/config/loaded-environment";

export interface GamedayPlan {
  readonly env: string;
  readonly production: boolean;
  readonly region: string;
  readonly accountId: string;
  /** The REST API's name and stage (the stage URL is found from them when no --endpoint is given). */
  readonly apiName: string;
  readonly stageName: string;
  /** The route as a method key ("POST /orders") and its parts. */
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  /** The consumer's function name (`<env>-<name>`). */
  readonly consumer: string;
  /** The outbox's state table, where the consumer records each order it processed. */
  readonly stateTable: string;
  /** The experiment's name as the env file declares it, and the extension's slow poll (faults start up to this late). */
  readonly experiment: string;
  readonly slowPollIntervalSeconds: number;
}

/** A plan that cannot be made: the message names the env file's field. */
export class PlanError extends Error {}

type Config = LoadedEnvironment["config"];

/** The consumer of `route` (or the first consumer that writes the outbox's state table). */
function chooseConsumer(env: LoadedEnvironment, route: string | undefined) {
  const { consumers, outbox } = env.config;
  const writers = new Set(outbox?.writers ?? []);
  const c = route ? consumers.find((x) => x.route === route) : consumers.find((x) => writers.has(x.name));
  if (!c)
    throw new PlanError(
      route
        ? `${env.file}: consumers: no consumer reads ${route} (consumers: ${consumers.map((x) => x.route).join(", ") || "none"})`
        : `${env.file}: consumers: no consumer writes the outbox's state table (outbox.writers): the game day finds processed orders there`,
    );
  if (!outbox || !writers.has(c.name))
    throw new PlanError(
      `${env.file}: outbox.writers: consumer ${c.name} (${c.route}) does not write the outbox's state table, where the game day finds processed orders`,
    );
  return { consumer: c, outbox };
}

function tableName(env: LoadedEnvironment, outbox: NonNullable<Config["outbox"]>): string {
  return outbox.table.kind === "existing"
    ? outbox.table.arn.slice(outbox.table.arn.indexOf(":table/") + ":table/".length)
    : `${env.name}-${outbox.name}-state`;
}

/** The plan for `experiment` in `env`, sending to `route` (default: the state table writer's route). */
export function planGameday(env: LoadedEnvironment, experiment: string, route?: string): GamedayPlan {
  const fi = env.config.faultInjection;
  const names = fi?.experiments.map((x) => x.name) ?? [];
  if (!names.includes(experiment))
    throw new PlanError(
      `${env.file}: faultInjection.experiments: no experiment named ${experiment} (${names.length ? `experiments: ${names.join(", ")}` : "the file has no faultInjection section"})`,
    );
  const { consumer, outbox } = chooseConsumer(env, route);
  const [method, path] = consumer.route.split(" ");
  const integration = env.config.api!.resources[path][method as "POST"]!.integration;
  const queueName =
    (integration.type === "SQS" ? integration.queue?.name : undefined) ??
    asyncRouteStem(env.config.api!.name, path, method);
  return {
    env: env.name,
    production: env.config.production,
    region: env.config.account.region,
    accountId: env.config.account.id,
    apiName: env.config.api!.name,
    stageName: env.config.api!.stageName ?? DEFAULT_API_STAGE,
    route: consumer.route,
    method,
    path,
    queueName,
    deadLetterQueueName: `${queueName}-dlq`,
    consumer: `${env.name}-${consumer.name}`,
    stateTable: tableName(env, outbox),
    experiment,
    slowPollIntervalSeconds: fi?.slowPollIntervalSeconds ?? FIS_DEFAULT_SLOW_POLL_SECONDS,
  };
}
