import type { EventRoutingProps } from "../../modules/events/event-routing";
import type { EventTargetOptions } from "../../modules/events/targets";
import type { LoadedEnvironment } from "./loaded-environment";

/** The EventRouting props an environment's `events` config composes (the stack builds it from them; module-checks.ts validates the same props). */
export function eventRoutingProps(
  env: LoadedEnvironment,
  alarmTopicArn: string,
  machineKeys: ReadonlyMap<string, string> = new Map(),
): EventRoutingProps {
  const { events, account } = env.config;
  return {
    namePrefix: env.name,
    alarmTopicArn,
    region: account.region,
    accountId: account.id,
    eventBus: events.bus,
    archive: events.archive,
    defaultRetryPolicy: events.defaults.retryPolicy,
    defaultEncryption: events.defaults.encryption,
    defaultMaxReceiveCount: events.defaults.maxReceiveCount,
    dlqOldestMessageAgeAlarmSeconds: events.alarms.dlqOldestMessageAgeSeconds,
    // The section's rules are the module's own (stacks/config/events.ts composes its schema).
    rules: events.rules.map((r) => ({ ...r, targets: r.targets.map((t) => withMachineKey(t, machineKeys)) })),
  };
}

/** A step-functions target of one of the environment's sagas gets the saga's key (StartExecution needs it). */
function withMachineKey(t: EventTargetOptions, machineKeys: ReadonlyMap<string, string>): EventTargetOptions {
  if (t.kind !== "step-functions" || t.kmsKeyArn !== undefined) return t;
  const key = machineKeys.get(t.stateMachineArn);
  return key ? { ...t, kmsKeyArn: key } : t;
}
