import { z } from "zod";
import { redriveFields, redriveOptionRules } from "../../modules/redrive/redrive-schema";

/**
 * The `redrive` section of env/<name>.json: the redrive function (modules/redrive) that drains the event DLQs. Every
 * field is the module's own schema (limits, defaults, patterns) and the rules between them are the module's; only
 * `enabled` is the config's, and `memoryMb` is the module's `memorySize`.
 */

const f = redriveFields;

export const redriveSchema = z
  .strictObject({
    /** Deploy the function; default true. */
    enabled: z.boolean().default(true),
    maxRedrives: f.maxRedrives,
    concurrency: f.concurrency,
    rate: f.rate,
    visibilityTimeoutSeconds: f.visibilityTimeoutSeconds,
    maxMessages: f.maxMessages,
    timeoutSeconds: f.timeoutSeconds,
    memoryMb: f.memorySize,
    /** Reserved concurrent executions of the function; default unreserved (a reservation fails in accounts whose concurrency quota is 10). */
    reservedConcurrency: f.reservedConcurrency,
    logRetentionDays: f.logRetentionDays,
    additionalDestinations: f.additionalDestinations,
    schedule: f.schedule,
  })
  .superRefine(redriveOptionRules, { when: () => true });

/** Config paths of the `redrive` section by RedriveFunction props path, where the names differ. */
export const REDRIVE_CONFIG_NAMES: Readonly<Record<string, string>> = { memorySize: "memoryMb" };

/** The validated `redrive` section. */
export type RedriveConfig = z.infer<typeof redriveSchema>;
