import { MESSAGE_SIZE_BYTES } from "./eventbridge-rules";
import type { QueueEncryption, RetryPolicy } from "./types";

/**
 * Every default of the event delivery module, in one place, each with its reason; the props docs quote them.
 */
export const EVENTS_DEFAULTS = Object.freeze({
  /** A target's retry policy: give up (to the DLQ) within an hour, not EventBridge's implicit 185 attempts / 24 h. */
  retryPolicy: Object.freeze({ maximumRetryAttempts: 24, maximumEventAgeInSeconds: 3600 }) as RetryPolicy,
  /** Queues the module creates: SSE-SQS, encryption on with no key to manage. */
  encryption: "sqs-managed" as QueueEncryption,
  /** Receives before a target queue's message moves to its own DLQ: a few tries ride out a transient failure. */
  maxReceiveCount: 5,
  /** Age of the oldest DLQ message at which its age alarm fires: an hour, well before any retention runs out. */
  dlqOldestMessageAgeAlarmSeconds: 3600,
  /** Days KMS waits before deleting the module's key: the longest window, to undo a mistake. */
  keyDeletionWindowDays: 30,
  /** A target queue's visibility timeout, SQS's own default. */
  visibilityTimeoutSeconds: 30,
  /** A target queue's retention: 4 days, SQS's own default. */
  messageRetentionSeconds: 345_600,
  /** Largest message of a queue the module creates: SQS's maximum, so an event plus EventBridge's attributes fits. */
  maxMessageSizeBytes: MESSAGE_SIZE_BYTES.max,
  /** Lambda's retries of a failed asynchronous invocation: Lambda's own two, riding out a transient error. */
  lambdaAsyncRetryAttempts: 2,
  /** Seconds Lambda keeps an accepted event: an hour, so a stuck event reaches the alarmed queue, not after 6 h. */
  lambdaAsyncEventAgeSeconds: 3600,
});
