import type { TargetKindName } from "./contract/target-kinds";

/**
 * Where one EventBridge target's failed events go, and where they were going: the contract between
 * the event delivery module (which creates the DLQs) and the redrive module (which drains them).
 * A queue consumer's own DLQ is a route too (kind "sqs", no rule): its records go back to the queue.
 */
export interface DeadLetterRoute {
  /** Target name, unique within the environment (also the stem of resource ids). */
  readonly targetName: string;
  /** Kind of target the events were meant for. */
  readonly targetKind: TargetKindName;
  /** ARN of the rule that routed the events; absent for a consumer queue's own DLQ. */
  readonly ruleArn?: string;
  /** ARN of the target (queue, function or event bus): where a replay goes. */
  readonly targetArn: string;
  /** ARN of the target's dead-letter queue. */
  readonly dlqArn: string;
  /** URL of the target's dead-letter queue. */
  readonly dlqUrl: string;
  /** Name of the dead-letter queue (SQS metrics' QueueName), when the module knows it. @default derived from `dlqArn` */
  readonly dlqName?: string;
  /** Customer KMS key of the DLQ, when it is not SQS-managed SSE. */
  readonly dlqKmsKeyArn?: string;
  /** Customer KMS key of the target queue (SQS targets), when it is not SQS-managed SSE. */
  readonly targetKmsKeyArn?: string;
  /**
   * Who writes to the queue: EventBridge (the target's dead letters; the default when absent) or
   * Lambda (on-failure records of the function's asynchronous invocations, Lambda targets only).
   */
  readonly source?: "eventbridge" | "lambda-on-failure" | "pipe-stream";
  /**
   * An outbox's pipes (source "pipe-stream"): their failure records name a shard's sequence range, which the redrive
   * reads back from the stream, filters and maps as the pipe does, and puts on the bus (`targetArn`).
   */
  readonly pipe?: {
    /** ARNs of the pipes whose failures the DLQ holds (the redrive reads each one's filter and template). */
    readonly pipeArns: readonly string[];
    /** ARN of the stream the pipes read. */
    readonly streamArn: string;
    /** Customer key of the table (stream records are decrypted with it), when it has one. */
    readonly streamKmsKeyArn?: string;
  };
}
