import { TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import { Saga } from "../modules/saga/saga";
import type { LoadedEnvironment } from "./config/loaded-environment";

/**
 * The environment's sagas (modules/saga) from its `sagas` config, each state machine `<env>-<name>`, and an output
 * naming each one's state machine and needs-a-human queue for operators.
 */
export function addSagas(scope: Construct, env: LoadedEnvironment, alarmTopicArn: string): Saga[] {
  const sagas = env.config.sagas.map(
    (c) => new Saga(scope, `saga-${c.name}`, { ...c, name: `${env.name}-${c.name}`, alarmTopicArn }),
  );
  if (sagas.length > 0)
    new TerraformOutput(scope, "sagas", {
      value: Object.fromEntries(
        sagas.map((s, i) => [
          env.config.sagas[i].name,
          { stateMachineArn: s.stateMachineArn, needsAHumanQueueUrl: s.needsAHumanQueue.url },
        ]),
      ),
      description: "Sagas by name: state machine and needs-a-human queue (docs/sagas.md)",
    });
  return sagas;
}
