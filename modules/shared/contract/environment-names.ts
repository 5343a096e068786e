/**
 * Names of the environment variables the modules write and the Lambda runtimes read: the contract between
 * modules/ (RedriveFunction, QueueConsumer) and lambdas/ (their readers), in the leaf both import.
 */

/** The redrive function's variables (lambdas/redrive/environment.ts reads them), by what they hold. */
export const REDRIVE_ENV = {
  sourceQueueUrls: "REDRIVE_SOURCE_QUEUE_URLS",
  maxRedrives: "REDRIVE_MAX_REDRIVES",
  concurrency: "REDRIVE_CONCURRENCY",
  rate: "REDRIVE_RATE",
  visibilityTimeout: "REDRIVE_VISIBILITY_TIMEOUT",
  maxMessages: "REDRIVE_MAX_MESSAGES",
  fifoGroupId: "REDRIVE_FIFO_GROUP_ID",
  deadlineMarginMs: "REDRIVE_DEADLINE_MARGIN_MS",
} as const;

/** The consumer function's variables (lambdas/consumer/environment.ts reads them). */
export const CONSUMER_ENV = {
  /** Name of the idempotency table (DynamoDB). */
  idempotencyTable: "CONSUMER_IDEMPOTENCY_TABLE",
  /** Seconds an idempotency record (and the saved result) is kept. */
  idempotencyTtlSeconds: "CONSUMER_IDEMPOTENCY_TTL_SECONDS",
  /** Name of the outbox's state table the business step writes (set when the consumer is one of its writers). */
  stateTable: "CONSUMER_STATE_TABLE",
} as const;
