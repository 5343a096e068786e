/**
 * The limits and timing rule of an SQS-triggered consumer, as plain data and functions: the
 * QueueConsumer props schema (queue-consumer-schema.ts) is built from them, and the environment config
 * checks consumers against their routes' queues with the same timing rule, so both report the same problems.
 */

/** `{ min, max }`, both inclusive. */
const range = (min: number, max: number) => Object.freeze({ min, max });

/** Inclusive bounds of each numeric QueueConsumer prop. */
export const QUEUE_CONSUMER_LIMITS = Object.freeze({
  /** Function timeout in seconds. */
  timeoutSeconds: range(1, 900),
  /** Function memory in MB. */
  memorySize: range(128, 10_240),
  /** Records per batch of a standard queue (above `batchSizeWithoutWindow` needs a batching window of at least 1 s). */
  batchSize: range(1, 10_000),
  /** `maximum_batching_window_in_seconds` bounds. */
  maximumBatchingWindowSeconds: range(0, 300),
  /** `scaling_config.maximum_concurrency` bounds (consumers per queue). */
  maximumConcurrency: range(2, 1000),
  /** Reserved concurrency of the function. */
  reservedConcurrency: range(1, 1000),
  /** Seconds an idempotency record is kept. */
  idempotencyTtlSeconds: range(60, 2_592_000),
  /** Age of the queue's oldest record at which the backlog alarm fires (SQS keeps a message 14 days at most). */
  oldestMessageAgeAlarmSeconds: range(60, 1_209_600),
  /** The consumed queue's visibility timeout (SQS's bounds). */
  queueVisibilityTimeoutSeconds: range(0, 43_200),
  /** Largest batch that needs no batching window. */
  batchSizeWithoutWindow: 10,
});

/** Lambda's advice: the queue's visibility timeout is at least this many function timeouts (plus the window). */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Defaults of a consumer. */
export const CONSUMER_DEFAULTS = Object.freeze({
  timeoutSeconds: 30,
  memorySize: 256,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  maximumConcurrency: 2,
  logRetentionDays: 90,
  idempotencyTtlSeconds: 86400,
  oldestMessageAgeAlarmSeconds: 900,
} as const);

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
 * reserved concurrency leaves room for the event source's maximum concurrency. A rule whose fields
 * are not all within their limits is left out: the fields' own problems say what is wrong.
 */
export function consumerTimingProblems(t: ConsumerTiming): ConsumerProblem[] {
  const out: ConsumerProblem[] = [];
  const L = QUEUE_CONSUMER_LIMITS;
  const ok = (n: unknown, { min, max }: { min: number; max: number }): n is number =>
    Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
  const timeout = t.timeoutSeconds ?? CONSUMER_DEFAULTS.timeoutSeconds;
  const window = t.maximumBatchingWindowSeconds ?? CONSUMER_DEFAULTS.maximumBatchingWindowSeconds;
  const batchSize = t.batchSize ?? CONSUMER_DEFAULTS.batchSize;
  const maximumConcurrency = t.maximumConcurrency ?? CONSUMER_DEFAULTS.maximumConcurrency;
  const visibility = t.visibilityTimeoutSeconds;
  if (
    ok(visibility, L.queueVisibilityTimeoutSeconds) &&
    ok(timeout, L.timeoutSeconds) &&
    ok(window, L.maximumBatchingWindowSeconds) &&
    visibility < VISIBILITY_TIMEOUT_FACTOR * timeout + window
  ) {
    const needed = VISIBILITY_TIMEOUT_FACTOR * timeout + window;
    out.push({
      field: "visibilityTimeoutSeconds",
      message: `the queue's visibility timeout is ${t.visibilityTimeoutSeconds} s, expected at least ${needed} s (${VISIBILITY_TIMEOUT_FACTOR} x timeoutSeconds ${timeout} + maximumBatchingWindowSeconds ${window}): raise it or lower timeoutSeconds`,
    });
  }
  if (
    ok(batchSize, L.batchSize) &&
    ok(window, L.maximumBatchingWindowSeconds) &&
    batchSize > L.batchSizeWithoutWindow &&
    window < 1
  ) {
    out.push({
      field: "maximumBatchingWindowSeconds",
      message: `a batchSize above ${QUEUE_CONSUMER_LIMITS.batchSizeWithoutWindow} needs a batching window of at least 1 s, got ${window}`,
    });
  }
  const reserved = t.reservedConcurrency;
  if (
    ok(reserved, L.reservedConcurrency) &&
    ok(maximumConcurrency, L.maximumConcurrency) &&
    reserved < maximumConcurrency
  ) {
    out.push({
      field: "reservedConcurrency",
      message: `expected at least maximumConcurrency (${maximumConcurrency}), got ${t.reservedConcurrency}: the event source would be throttled`,
    });
  }
  return out;
}
