/**
 * The limits and timing rule of an SQS-triggered consumer, as plain data and functions: the
 * QueueConsumer construct checks its props with them and the environment config checks consumers
 * against their routes' queues with the same functions, so both report the same problems.
 */

/** `scaling_config.maximum_concurrency` bounds (consumers per queue). */
export const MAXIMUM_CONCURRENCY = { min: 2, max: 1000 } as const;
/** Records per batch of a standard queue; above 10 needs a batching window of at least 1 s. */
export const BATCH_SIZE = { min: 1, max: 10000, withoutWindow: 10 } as const;
/** `maximum_batching_window_in_seconds` bounds. */
export const BATCHING_WINDOW_SECONDS = { min: 0, max: 300 } as const;
/** Function timeout bounds in seconds. */
export const FUNCTION_TIMEOUT_SECONDS = { min: 1, max: 900 } as const;
/** Lambda's advice: the queue's visibility timeout is at least this many function timeouts (plus the window). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Defaults of a consumer. */
export const CONSUMER_DEFAULTS = {
  timeoutSeconds: 30,
  memorySize: 256,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  maximumConcurrency: 2,
  logRetentionDays: 90,
  idempotencyTtlSeconds: 86400,
  oldestMessageAgeAlarmSeconds: 900,
} as const;

/** One problem, at a field path of the consumer's props or config. */
export interface ConsumerProblem {
  readonly field: string;
  readonly message: string;
}

/** What the timing rule relates. */
export interface ConsumerTiming {
  /** The queue's visibility timeout in seconds; required. */
  readonly visibilityTimeoutSeconds: number;
  /** Function timeout in seconds. @default 30 */
  readonly timeoutSeconds?: number;
  /** Seconds the event source waits to fill a batch. @default 0 */
  readonly maximumBatchingWindowSeconds?: number;
  /** Records per batch. @default 10 */
  readonly batchSize?: number;
  /** Concurrent invocations the event source may use. @default 2 */
  readonly maximumConcurrency?: number;
  /** Reserved concurrency of the function. @default none (not checked) */
  readonly reservedConcurrency?: number;
}

/**
 * The rules between fields: the queue's visibility timeout covers 6 function timeouts plus the
 * batching window (otherwise a record still being processed, or still waiting in a batch, becomes
 * visible again and is delivered twice), batches above 10 records wait in a window, and the
 * reserved concurrency leaves room for the event source's maximum concurrency.
 */
export function consumerTimingProblems(t: ConsumerTiming): ConsumerProblem[] {
  const out: ConsumerProblem[] = [];
  const timeout = t.timeoutSeconds ?? CONSUMER_DEFAULTS.timeoutSeconds;
  const window = t.maximumBatchingWindowSeconds ?? CONSUMER_DEFAULTS.maximumBatchingWindowSeconds;
  const needed = VISIBILITY_TIMEOUT_FACTOR * timeout + window;
  if (Number.isFinite(needed) && t.visibilityTimeoutSeconds < needed) {
    out.push({
      field: "visibilityTimeoutSeconds",
      message: `the queue's visibility timeout is ${t.visibilityTimeoutSeconds} s, expected at least ${needed} s (${VISIBILITY_TIMEOUT_FACTOR} x timeoutSeconds ${timeout} + maximumBatchingWindowSeconds ${window}): raise it or lower timeoutSeconds`,
    });
  }
  if ((t.batchSize ?? CONSUMER_DEFAULTS.batchSize) > BATCH_SIZE.withoutWindow && window < 1) {
    out.push({
      field: "maximumBatchingWindowSeconds",
      message: `a batchSize above ${BATCH_SIZE.withoutWindow} needs a batching window of at least 1 s, got ${window}`,
    });
  }
  const maximumConcurrency = t.maximumConcurrency ?? CONSUMER_DEFAULTS.maximumConcurrency;
  if (t.reservedConcurrency !== undefined && t.reservedConcurrency < maximumConcurrency) {
    out.push({
      field: "reservedConcurrency",
      message: `expected at least maximumConcurrency (${maximumConcurrency}), got ${t.reservedConcurrency}: the event source would be throttled`,
    });
  }
  return out;
}
