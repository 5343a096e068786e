/**
 * Every default of the outbox module, in one place, each with its reason; the props docs quote them.
 */
export const OUTBOX_DEFAULTS = Object.freeze({
  /** Both images: a MODIFY event can compare the old status with the new (a cancellation is a change *to* cancelled). */
  streamViewType: "NEW_AND_OLD_IMAGES" as const,
  /** A new pipe reads what the stream already holds: items written before the pipe existed still become events. */
  startingPosition: "TRIM_HORIZON" as const,
  /** Records per batch: small batches keep a poison record's blast radius (and bisect steps) small. */
  batchSize: 10,
  /** Seconds a batch may wait to fill: one, so events leave within about a second of the write. */
  maximumBatchingWindowSeconds: 1,
  /** Retries of a failing batch (bisected on partial failure) before it goes to the DLQ: never the infinite -1. */
  maximumRetryAttempts: 10,
  /**
   * Age at which a record goes to the DLQ instead of being retried: 6 h, never the infinite -1. The DLQ then names
   * the records' place in the stream, which keeps them 24 h: 18 h are left to redrive them from there.
   */
  maximumRecordAgeSeconds: 21_600,
  /** One batch per shard at a time: the bus gets each item's changes in the order they were made. */
  parallelizationFactor: 1,
  /** ERROR logs without execution data: failures are visible, item contents (PII) never reach the logs. */
  logLevel: "ERROR" as const,
  /** Log retention in days. */
  logRetentionDays: 90,
  /** Age of the oldest DLQ message at which its alarm fires: an hour, far inside the stream's 24 h retention. */
  dlqOldestMessageAgeAlarmSeconds: 3600,
  /** A table the module creates cannot be destroyed by Terraform: it holds the business state. */
  deletionProtection: true,
  /** Type of a created table's key attribute: a string, DynamoDB's most common key. */
  keyType: "S" as const,
  /** Seconds the pipe's creation waits for its role to propagate (provider issue #40572 needs more than 90). */
  iamPropagationSeconds: 120,
  /** Days KMS waits before deleting the module's key: the longest window, to undo a mistake. */
  keyDeletionWindowDays: 30,
});

/** How long DynamoDB Streams keeps a record (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html). */
export const STREAM_RETENTION_SECONDS = 86_400;

/**
 * Readers of one stream shard at a time without throttling: "No more than two processes at most should be reading
 * from the same streams shard at the same time" (DynamoDB developer guide, Streams): one pipe per event, at most two.
 */
export const MAX_PIPES_PER_STREAM = 2;
