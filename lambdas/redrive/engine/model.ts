/** The redrive engine's vocabulary: messages as read from a DLQ, destinations, and what happened to each message. */
import type { TemplateNode } from "../../../modules/shared/contract/outbox-template";

/** An SQS message attribute value, as the SQS API carries it. */
export interface AttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: Uint8Array;
}

/** One message received from a dead-letter queue. */
export interface DlqMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** The body, exactly as received. */
  readonly body: string;
  /** System attributes (SentTimestamp, ApproximateReceiveCount, MessageGroupId, ...). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Message attributes, EventBridge's six included. */
  readonly messageAttributes: Readonly<Record<string, AttributeValue>>;
}

/** A queue a replay can be sent to, as resolved from the destination's attributes. */
export interface QueueDestination {
  readonly kind: "sqs";
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly fifo: boolean;
  /** The queue's MaximumMessageSize in bytes. */
  readonly maxMessageSize: number;
}

/** A Lambda function a replay is invoked on asynchronously (InvocationType Event), from a TARGET_ARN. */
export interface FunctionDestination {
  readonly kind: "lambda";
  /** The function ARN exactly as in TARGET_ARN (with its qualifier, if any). */
  readonly functionArn: string;
  readonly region: string;
  /** Largest payload an asynchronous invoke takes, in bytes. */
  readonly maxPayloadSize: number;
}

/** An event bus a replay is put on (PutEvents), from a TARGET_ARN. */
export interface BusDestination {
  readonly kind: "event-bus";
  readonly busArn: string;
  readonly region: string;
  /** Largest PutEvents entry, in bytes (as EventBridge counts it). */
  readonly maxEntrySize: number;
}

/** A state machine a replay starts (StartExecution with the event as input), from a TARGET_ARN. */
export interface StateMachineDestination {
  readonly kind: "step-functions";
  readonly stateMachineArn: string;
  readonly region: string;
  /** Largest execution input, in bytes. */
  readonly maxInputSize: number;
}

/**
 * An outbox pipe whose failures are replayed from its stream (lambdas/redrive/outbox/): read by DescribePipe, its
 * filter and template applied to the records read back, the events put on its bus.
 */
export interface OutboxDestination {
  readonly kind: "outbox-pipe";
  readonly pipeArn: string;
  readonly streamArn: string;
  readonly busArn: string;
  /** The pipe's filter patterns (a record matching any one is taken; none: every record). */
  readonly patterns: readonly Readonly<Record<string, unknown>>[];
  readonly template: TemplateNode;
  readonly detailType: string;
  readonly source: string;
  /** Stream records (eventID) this run has put on the bus: a range seen twice (bisected failures) puts each once. */
  readonly replayed: Set<string>;
}

/** Where a replay goes. */
export type Destination =
  | QueueDestination
  | FunctionDestination
  | BusDestination
  | StateMachineDestination
  | OutboxDestination;

/** A PutEvents entry rebuilt from a dead-lettered EventBridge event. */
export interface BusEntry {
  readonly source: string;
  readonly detailType: string;
  /** The event's `detail`, as the text it had in the dead-lettered body. */
  readonly detail: string;
  readonly resources: readonly string[];
  /** The event's `time`, when it has a valid one. */
  readonly time?: Date;
}

/** A message ready to send: body unchanged, attributes plus redrive-context. */
export interface ReplayEntry {
  readonly body: string;
  readonly messageAttributes: Record<string, AttributeValue>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

/** Why and where an event failed, from EventBridge's six DLQ attributes (null where a message has none). */
export interface FailureDetails {
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly exhaustedRetryCondition: string | null;
  readonly retryAttempts: number | null;
  readonly ruleArn: string | null;
  readonly targetArn: string | null;
  /** Lambda on-failure records only (lambda-failure-record.ts): `requestContext.approximateInvokeCount`. */
  readonly invokeCount?: number;
}

/** The `redrive-context` message attribute (JSON) every replayed message carries. */
export interface RedriveContext extends FailureDetails {
  readonly sourceQueueArn: string;
  /** Id of the message when it first reached a DLQ (kept across repeated redrives). */
  readonly originalMessageId: string;
  /** Id of the DLQ message this replay was made from. */
  readonly dlqMessageId: string;
  /** When the message reached the DLQ (ISO 8601, from SentTimestamp), or null if unknown. */
  readonly deadLetteredAt: string | null;
  /** 1 on the first redrive, previous count + 1 after. */
  readonly redriveCount: number;
  readonly redrivenAt: string;
  /** Same for the same DLQ message and count: consumers drop a second copy with an id they have seen. */
  readonly redriveId: string;
}

/** Why a message was deliberately left in the DLQ. */
export type SkipReason =
  | "filtered-error-code"
  | "filtered-rule-arn"
  | "filtered-target-arn"
  | "max-redrives-reached"
  | "no-destination"
  | "unsupported-target"
  | "not-an-event"
  | "too-many-attributes"
  | "too-large";

/** Every skip reason, in report order. */
export const SKIP_REASONS: readonly SkipReason[] = [
  "filtered-error-code",
  "filtered-rule-arn",
  "filtered-target-arn",
  "max-redrives-reached",
  "no-destination",
  "unsupported-target",
  "not-an-event",
  "too-many-attributes",
  "too-large",
];

/**
 * The redrive-context of a replay that cannot carry it (Lambda and event-bus destinations take no
 * message attributes): the audit record is then the only place it is kept.
 */
type LoggedContext = { readonly context?: RedriveContext };

/** What happened to one message. */
export type Outcome =
  | ({
      readonly outcome: "replayed";
      readonly destination: string;
      readonly redriveId: string;
      readonly redriveCount: number;
      readonly deleted: boolean;
      /**
       * The run's hold on the message may have ended before its delete returned: another receiver may
       * have taken it meanwhile and replayed it too (same redriveId), and the delete may have been
       * ignored (SQS accepts a stale receipt handle and deletes nothing). Never reported deleted.
       */
      readonly holdLapsed?: true;
    } & LoggedContext)
  | ({
      readonly outcome: "would-replay";
      readonly destination: string;
      readonly redriveId: string;
      readonly redriveCount: number;
    } & LoggedContext)
  | { readonly outcome: "skipped"; readonly reason: SkipReason; readonly detail: string }
  | ({
      readonly outcome: "failed";
      readonly error: string;
      readonly destination?: string;
      readonly redriveId?: string;
    } & LoggedContext);

/** One audit record: a message, where it came from, and its outcome. */
export type OutcomeRecord = Outcome & {
  readonly messageId: string;
  readonly sourceQueueUrl: string;
  readonly errorCode: string | null;
  readonly ruleArn: string | null;
  readonly targetArn: string | null;
};

/** Totals of one run over one or more DLQs. */
export interface RedriveSummary {
  readonly dryRun: boolean;
  readonly queues: readonly string[];
  /** Messages taken from the DLQ(s) and decided on. */
  readonly received: number;
  readonly replayed: number;
  /** Dry run: messages a real run would replay. */
  readonly wouldReplay: number;
  /** Left in the DLQ on purpose, by reason. */
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  readonly skippedTotal: number;
  /** Replays that did not happen because of an error (left in the DLQ). */
  readonly failed: number;
  /** Replayed, but the DLQ copy could not be deleted: a later run replays it again (same redriveId). */
  readonly notDeleted: number;
  /** Of notDeleted: replays whose hold on the message may have lapsed before the delete returned (possible duplicates, same redriveId). */
  readonly holdLapsed: number;
  /** Messages received, by ERROR_CODE ("none" for messages without one). */
  readonly byErrorCode: Readonly<Record<string, number>>;
  /** Messages received, by RULE_ARN ("none" for messages without one). */
  readonly byRuleArn: Readonly<Record<string, number>>;
  /** Messages received, by TARGET_ARN ("none" for messages without one). */
  readonly byTargetArn: Readonly<Record<string, number>>;
  readonly durationMs: number;
  /**
   * Why the run stopped taking messages: drained; max-messages; deadline (Lambda); aborted (signal,
   * or a receive that kept failing); receive-limit (it received twice the DLQ's starting depth: messages
   * came back or kept arriving, so it stopped rather than loop).
   */
  readonly stoppedBecause: "drained" | "max-messages" | "deadline" | "aborted" | "receive-limit";
  /** Set when the run could not go on (a receive that kept failing): some messages may not have been looked at. */
  readonly error?: string;
}
