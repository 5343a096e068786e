import { TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import type { StateTableAccess } from "../modules/consumer/queue-consumer-schema";
import { Outbox } from "../modules/outbox/outbox";
import type { LoadedEnvironment } from "./config/loaded-environment";

/** The environment's outbox and what its writers get: the state table's access. */
export interface EnvironmentOutbox {
  readonly outbox: Outbox;
  readonly stateTable: StateTableAccess;
  readonly writers: readonly string[];
}

/**
 * The environment's outbox (modules/outbox) from its `outbox` config, onto the environment's bus, plus an output
 * naming its table, pipes and DLQ for operators.
 */
export function addOutbox(
  scope: Construct,
  env: LoadedEnvironment,
  eventBusArn: string,
  alarmTopicArn: string,
): EnvironmentOutbox | undefined {
  const c = env.config.outbox;
  if (!c) return undefined;
  const { writers, name, ...settings } = c;
  const outbox = new Outbox(scope, "outbox", { ...settings, name: `${env.name}-${name}`, eventBusArn, alarmTopicArn });
  const t = outbox.table;
  new TerraformOutput(scope, "outbox-summary", {
    value: {
      tableArn: t.tableArn,
      streamArn: t.streamArn,
      dlqUrl: outbox.deadLetterQueue.url,
      pipes: Object.fromEntries(Object.entries(outbox.pipes).map(([k, p]) => [k, p.arn])),
    },
    description: "The outbox: state table and stream, pipes by event, DLQ (docs/outbox.md)",
  });
  return {
    outbox,
    stateTable: { arn: t.tableArn, name: t.tableName, kmsKeyArn: t.kmsKeyArn },
    writers,
  };
}
