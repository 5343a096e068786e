import type { EventRoutingProps } from "../../modules/events/event-routing";
import type { LoadedEnvironment } from "./loaded-environment";

/** The EventRouting props an environment's `events` config composes (the stack builds it from them; module-checks.ts validates the same props). */
export function eventRoutingProps(env: LoadedEnvironment, alarmTopicArn: string): EventRoutingProps {
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
    rules: events.rules,
  };
}
