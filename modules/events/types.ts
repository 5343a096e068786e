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

/** Settings of a target queue the module creates (and of that queue's own DLQ). */
export interface TargetQueueOptions {
  /** Visibility timeout in seconds (0-43200). @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Retention in seconds (60-1209600). @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** Receives before a message moves to the queue's own DLQ (1-1000). @default the construct's `defaultMaxReceiveCount` */
  readonly maxReceiveCount?: number;
  /** Largest message accepted, in bytes (1024-1048576). @default 1048576 */
  readonly maxMessageSizeBytes?: number;
  /** Encryption of the queue and its own DLQ. @default the construct's `defaultEncryption` */
  readonly encryption?: QueueEncryption;
}

/** Delivers to an SQS queue the module creates (the consuming service owns it). */
export interface SqsTargetOptions extends EventTargetBase {
  readonly kind: "sqs";
  /** The queue's settings. @default all defaults */
  readonly queue?: TargetQueueOptions;
}

/**
 * What happens to an event after Lambda accepted it from the rule (asynchronous invocation): the
 * module configures it (`executionRoleArn` given: retries, event age and an on-failure destination
 * queue it creates) or the function's owner does (`ownedByAnotherStack`: its destination named).
 * Give exactly one of the two.
 */
export interface LambdaAsyncInvokeOptions {
  /** ARN of the function's execution role, in the stack's account: it is allowed to send to the destination queue (and use its key); exclusive with ownedByAnotherStack. @default none */
  readonly executionRoleArn?: string;
  /** Lambda's retries after a failed attempt (0-2). @default 2 (Lambda's own: two more tries ride out a transient error before the event goes to the queue) */
  readonly maximumRetryAttempts?: number;
  /** Seconds Lambda keeps an accepted event before giving up on it (60-21600). @default 3600 (a stuck event reaches the alarmed queue within the hour, not Lambda's 6 h) */
  readonly maximumEventAgeInSeconds?: number;
  /** Encryption of the destination queue the module creates. @default the construct's `defaultEncryption` */
  readonly encryption?: QueueEncryption;
  /** The function's event invoke config belongs to another stack (only one may manage it): name the on-failure destination queue it sends to, so the redrive drains it. @default none (the module configures the function) */
  readonly ownedByAnotherStack?: { readonly onFailureDestination: ExistingDeadLetterQueue };
}

/** Delivers to an existing Lambda function; the module adds the invoke permission for the rule. Give exactly one of `functionArn` and `functionName`. */
export interface LambdaTargetOptions extends EventTargetBase {
  readonly kind: "lambda";
  /** ARN of the function (optionally with a version or alias), in the rule's region and account. @default none */
  readonly functionArn?: string;
  /** Name of the function in the stack's own account and region (optionally `name:alias`). @default none */
  readonly functionName?: string;
  /** Where the function's failures go once Lambda accepted the event; required (without it they are dropped). */
  readonly asyncInvoke: LambdaAsyncInvokeOptions;
}

/** Delivers to another event bus (usually in another account) through a role EventBridge assumes. */
export interface EventBusTargetOptions extends EventTargetBase {
  readonly kind: "event-bus";
  /** ARN of the receiving bus; its own resource policy must accept this account's events; required. */
  readonly eventBusArn: string;
}

/** One target of a rule. */
export type EventTargetOptions = SqsTargetOptions | LambdaTargetOptions | EventBusTargetOptions;

/** One rule: an event pattern and the targets matching events are delivered to. */
export interface EventRuleOptions {
  /** Rule name, unique in the construct (same character set as target names); required. */
  readonly name: string;
  /** Description shown in the console. @default none */
  readonly description?: string;
  /** Whether the rule delivers events. @default true */
  readonly enabled?: boolean;
  /** Event pattern: an object, or a string holding a JSON object; required. */
  readonly eventPattern: EventPattern;
  /** Targets (1-5, EventBridge's limit per rule); required. */
  readonly targets: readonly EventTargetOptions[];
}

/** The bus the rules listen on. */
export type EventBusOptions =
  | {
      readonly kind: "custom";
      /** Bus name; default `<namePrefix>-events`. */
      readonly name?: string;
    }
  | { readonly kind: "default" };

/** An archive of the bus's events, so they can be replayed. */
export interface EventArchiveOptions {
  /** Days events are kept; 0 keeps them forever; required. */
  readonly retentionDays: number;
  /** Archive only the events matching this pattern. @default every event on the bus */
  readonly eventPattern?: EventPattern;
}
