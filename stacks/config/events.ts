import { z } from "zod";
import { EVENTS_DEFAULTS } from "../../modules/events/defaults";
import {
  dlqOldestMessageAgeSchema,
  eventArchiveSchema,
  eventBusSchema,
  eventRulesSchema,
  maxReceiveCountSchema,
  queueEncryptionSchema,
  retryPolicySchema,
} from "../../modules/events/event-routing-schema";

/**
 * The `events` section of env/<name>.json: the event delivery module's props (modules/events) in the environment's
 * terms. Every field rule is the module's own schema object; this file only arranges them (`defaults.retryPolicy`
 * is the module's `defaultRetryPolicy`, ...) and fills the environment's defaults. Rules that need the account,
 * region or environment name run through the module in module-checks.ts.
 */
export const eventsSchema = z.strictObject({
  /** Custom bus `<env>-events` (default) or the account's default bus. */
  bus: eventBusSchema.default({ kind: "custom" }),
  /** Archive of the bus's events for replay; retentionDays 0 keeps them forever. */
  archive: eventArchiveSchema.optional(),
  /** The environment's documented defaults; every target may override them. */
  defaults: z.strictObject({
    /** Required: every target gets an explicit retry policy, never EventBridge's implicit 185 attempts / 24 h. */
    retryPolicy: retryPolicySchema,
    encryption: queueEncryptionSchema.default(EVENTS_DEFAULTS.encryption),
    maxReceiveCount: maxReceiveCountSchema.default(EVENTS_DEFAULTS.maxReceiveCount),
  }),
  alarms: z
    .strictObject({
      dlqOldestMessageAgeSeconds: dlqOldestMessageAgeSchema.default(EVENTS_DEFAULTS.dlqOldestMessageAgeAlarmSeconds),
    })
    .prefault({}),
  rules: eventRulesSchema.default([]),
});

/** A validated `events` section. */
export type EventsConfig = z.infer<typeof eventsSchema>;
