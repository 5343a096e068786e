/** Props shapes of the event delivery module (EventRouting and its parts). */

/** An event pattern: an object, or a string holding a JSON object (`{"source": ["acme.orders"]}`). */
export type EventPattern = string | Readonly<Record<string, unknown>>;

/** Server-side encryption of a queue: SQS-managed SSE, or the module's customer-managed KMS key. */
export type QueueEncryption = "sqs-managed" | "kms";

/** How EventBridge retries one target before giving up and sending the event to the target's DLQ. */
export interface RetryPolicy {
  /** Retries after the first attempt (0-185); required. */
  readonly maximumRetryAttempts: number;
  /** Seconds an event may wait for delivery, counted from its arrival on the bus (60-86400); required. */
  readonly maximumEventAgeInSeconds: number;
}

/** An SQS queue that already exists and should receive a target's failed events. */
export interface ExistingDeadLetterQueue {
  /** ARN of a standard (not FIFO) queue in the rule's region and account; required. */
  readonly arn: string;
  /** Customer KMS key the queue is encrypted with, for the redrive's kms:Decrypt. @default none (SQS-managed SSE) */
  readonly kmsKeyArn?: string;
}

/** The dead-letter queue of one target. */
export interface DeadLetterQueueOptions {
  /** Encryption of the DLQ the module creates. @default the construct's `defaultEncryption` */
  readonly encryption?: QueueEncryption;
  /** Largest message the created DLQ accepts, in bytes (1024-1048576). @default 1048576 (an event plus EventBridge's attributes always fits) */
  readonly maxMessageSizeBytes?: number;
  /** Use this queue instead of creating one (its queue policy is then the owner's job). @default none: the module creates the DLQ */
  readonly existingQueue?: ExistingDeadLetterQueue;
}

/** Rewrites the event before delivery (EventBridge input transformer). */
export interface InputTransformer {
  /** Variables read from the event by JSON path (`{ "id": "$.detail.id" }`), at most 100. @default none */
  readonly inputPaths?: Readonly<Record<string, string>>;
  /** Text or JSON template delivered to the target, with `<variable>` placeholders (1-8192 characters); required. */
  readonly inputTemplate: string;
}

/** What every kind of target shares. */
export interface EventTargetBase {
  /** Target name, unique in the construct: lower-case letters, digits and '-', starting with a letter; stem of resource names; required. */
  readonly name: string;
  /** Retry policy, field by field over the construct's `defaultRetryPolicy`. Must be unset for event-bus targets. @default that policy */
  readonly retryPolicy?: Partial<RetryPolicy>;
  /** Input transformer. Not allowed for event-bus targets. @default none (the whole event is delivered) */
  readonly inputTransformer?: InputTransformer;
  /** The target's dead-letter queue. @default a queue the module creates with the construct's defaults */
  readonly deadLetterQueue?: DeadLetterQueueOptions;
}
