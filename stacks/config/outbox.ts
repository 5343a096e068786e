import { z } from "zod";
import { outboxFields, outboxRules } from "../../modules/outbox/outbox-schema";

/**
 * The `outbox` section of env/<name>.json: the outbox module's props (modules/outbox) in the environment's terms. The
 * events go to the environment's bus (events.bus), alarms to its topic; `writers` names the consumers that write
 * the state table. Every field rule is the module's own; `name` is prefixed with the environment's name.
 */
const f = outboxFields;

export const outboxSchema = z
  .strictObject({
    /** The outbox's name; its resources are `<env>-<name>-...` (at most 20 characters). */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, {
      message: "expected a name of at most 20 lower-case letters, digits and '-', starting with a letter",
    }),
    table: f.table,
    events: f.events,
    /** Consumers (by name) whose business step writes the state table: each gets the write grant and its name. */
    writers: z.array(z.string()).default([]),
    startingPosition: f.startingPosition,
    batchSize: f.batchSize,
    maximumBatchingWindowSeconds: f.maximumBatchingWindowSeconds,
    maximumRetryAttempts: f.maximumRetryAttempts,
    maximumRecordAgeSeconds: f.maximumRecordAgeSeconds,
    parallelizationFactor: f.parallelizationFactor,
    kmsKeyArn: f.kmsKeyArn,
    logLevel: f.logLevel,
    includeExecutionData: f.includeExecutionData,
    logRetentionDays: f.logRetentionDays,
    dlqOldestMessageAgeAlarmSeconds: f.dlqOldestMessageAgeAlarmSeconds,
  })
  .superRefine(outboxRules);

/** A validated `outbox` section. */
export type OutboxConfig = z.infer<typeof outboxSchema>;

/** Problems of the outbox against the consumers: each writer is a consumer of this environment, once. */
export function outboxWriterProblems(
  outbox: OutboxConfig | undefined,
  consumers: readonly { readonly name: string }[],
): { path: (string | number)[]; message: string }[] {
  if (!outbox) return [];
  const names = consumers.map((c) => c.name);
  return outbox.writers.flatMap((w, i) => [
    ...(names.includes(w)
      ? []
      : [
          {
            path: ["writers", i],
            message: `"${w}" is not a consumer of this environment (consumers: ${names.join(", ") || "none"})`,
          },
        ]),
    ...(outbox.writers.indexOf(w) !== i ? [{ path: ["writers", i], message: `"${w}" is listed twice` }] : []),
  ]);
}
