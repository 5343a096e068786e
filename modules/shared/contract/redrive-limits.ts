/**
 * The redrive's limits and defaults, written once: the RedriveFunction props schema (and through it the environment
 * config), and the Lambda handler and CLI (lambdas/redrive/engine/options.ts) all read them from here. Plain data with no
 * imports: esbuild bundles this file into the Lambda.
 */

/** `[min, max]`, both inclusive. */
export type RedriveLimit = readonly [min: number, max: number];

const range = (min: number, max: number): RedriveLimit => Object.freeze([min, max] as const);

/** Inclusive `[min, max]` of each numeric redrive option, by RedriveFunction prop name. */
export const REDRIVE_LIMITS = Object.freeze({
  /** Lambda memory in MB. */
  memorySize: range(128, 10_240),
  /** Lambda timeout in seconds: at least a minute, since a run stops taking messages 15 s before the timeout. */
  timeoutSeconds: range(60, 900),
  /** Reserved concurrent executions (0 would disable the function). */
  reservedConcurrency: range(1, 100),
  /** Redrives of one message before it is left in place. */
  maxRedrives: range(1, 1000),
  /** Parallel receive/send/delete lanes of a run. */
  concurrency: range(1, 64),
  /** Messages taken per second. */
  rate: range(1, 100_000),
  /** SQS visibility timeout of a taken message, in seconds (SQS's own bounds up to 12 hours). */
  visibilityTimeoutSeconds: range(1, 43_200),
  /** Messages taken per run. */
  maxMessages: range(1, 10_000_000),
  /** Errors-alarm period in seconds (a multiple of 60). */
  alarmPeriodSeconds: range(60, 86_400),
  /** Long-poll wait of each receive, in seconds (SQS's bounds); an option of a run, not a prop. */
  waitTimeSeconds: range(0, 20),
});

/** Retention values CloudWatch Logs accepts (for the function's log group). */
export const REDRIVE_LOG_RETENTION_DAYS = Object.freeze([
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const);

/** Defaults of RedriveFunction's props (the function's environment carries the run options among them). */
export const REDRIVE_DEFAULTS = Object.freeze({
  memorySize: 512,
  timeoutSeconds: 300,
  logRetentionDays: 90,
  maxRedrives: 3,
  // The function's runs use at most 8 lanes: enough for a DLQ backlog without starving the account's concurrency.
  concurrency: 8,
  visibilityTimeoutSeconds: 60,
  fifoGroupId: "redrive",
  alarmPeriodSeconds: 300,
} as const);

/** Defaults of one run when neither the caller nor the function's environment sets an option (the CLI's defaults). */
export const REDRIVE_RUN_DEFAULTS = Object.freeze({
  dryRun: false,
  maxRedrives: REDRIVE_DEFAULTS.maxRedrives,
  // A maximum: a run starts with min(this, 8) lanes and grows only while throughput rises (pacer.ts).
  concurrency: REDRIVE_LIMITS.concurrency[1],
  visibilityTimeout: REDRIVE_DEFAULTS.visibilityTimeoutSeconds,
  waitTimeSeconds: 1,
  fifoGroupId: REDRIVE_DEFAULTS.fifoGroupId,
} as const);
