/**
 * What the engine needs from AWS: queue operations (SQS port), asynchronous Lambda invokes (Lambda
 * port) and PutEvents (EventBridge port). Each has an AWS SDK implementation; tests use memory ones.
 */
import type { BusEntry, DlqMessage, QueueDestination, ReplayEntry } from "../engine/model";

/** Per-entry result of a batch call: ids that succeeded and those that did not, with why. */
export interface BatchResult {
  readonly ok: readonly string[];
  readonly failed: readonly BatchFailure[];
}

/** One failed entry of a batch call. */
export interface BatchFailure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
  /** True when the request itself was wrong (retrying cannot help). */
  readonly senderFault: boolean;
}

/** A queue's identity and the limits a replay must respect. */
export type QueueDescription = Omit<QueueDestination, "kind" | "queueUrl"> & {
  /** ApproximateNumberOfMessages (visible), when known. */
  readonly approximateMessages?: number;
  /** ApproximateNumberOfMessagesDelayed (sent with a delay, not yet visible), when known. */
  readonly approximateDelayed?: number;
};

export interface QueuePort {
  /** Receives up to `max` (1-10) messages with every attribute, hiding them for `visibilityTimeout` s. */
  receive(queueUrl: string, max: number, visibilityTimeout: number, waitTimeSeconds: number): Promise<DlqMessage[]>;
  /** Sends up to 10 entries in one call. Throws when the call as a whole failed (no entry known sent). */
  send(
    queueUrl: string,
    entries: readonly { readonly id: string; readonly entry: ReplayEntry }[],
  ): Promise<BatchResult>;
  /** Deletes up to 10 messages in one call. */
  delete(
    queueUrl: string,
    entries: readonly { readonly id: string; readonly receiptHandle: string }[],
  ): Promise<BatchResult>;
  /** Changes the visibility timeout of up to 10 messages in one call. */
  changeVisibility(
    queueUrl: string,
    entries: readonly { readonly id: string; readonly receiptHandle: string; readonly seconds: number }[],
  ): Promise<BatchResult>;
  /** ARN, FIFO-ness and maximum message size of a queue. */
  describe(queueUrl: string): Promise<QueueDescription>;
  /** URL of the queue `name` owned by `account` in `region` (GetQueueUrl). */
  queueUrl(name: string, account: string, region: string): Promise<string>;
}

/** Asynchronous Lambda invocation, as EventBridge invokes a Lambda target. */
export interface FunctionPort {
  /**
   * Invokes `functionArn` (qualifier included, if any) with InvocationType Event and `payload` as
   * is; resolves with the response's HTTP status code (202 when Lambda queued the event). Throws
   * when the call failed.
   */
  invokeAsync(functionArn: string, payload: Uint8Array): Promise<number>;
}

/** PutEvents on an event bus. */
export interface EventBusPort {
  /**
   * Puts up to 10 entries on the bus `busArn` in one PutEvents call; per-entry result (an entry
   * with an ErrorCode failed, the others were accepted). Throws when the call as a whole failed.
   */
  putEvents(
    busArn: string,
    entries: readonly { readonly id: string; readonly entry: BusEntry }[],
  ): Promise<BatchResult>;
}

/** StartExecution, as EventBridge starts a state machine target. */
export interface StateMachinePort {
  /**
   * Starts `stateMachineArn` with `input` under `name`; "already-started" when an execution of that name exists
   * (ExecutionAlreadyExists: a replay that already happened). Throws when the call failed.
   */
  startExecution(stateMachineArn: string, name: string, input: string): Promise<"started" | "already-started">;
}

/** An execution that did not succeed, as the execution redrive judges it. */
export interface UnsuccessfulExecution {
  readonly executionArn: string;
  readonly status: string;
  readonly stopDate?: Date;
  /** The execution's error and cause (DescribeExecution), when it has them. */
  readonly error?: string;
  readonly cause?: string;
  /** The last state it entered (GetExecutionHistory, newest first). */
  readonly failedState?: string;
  /** Whether RedriveExecution would take it, and why not. */
  readonly redrivable: boolean;
  readonly notRedrivableReason?: string;
  readonly redriveCount: number;
}

/** Step Functions reads and RedriveExecution, for redriving a state machine's unsuccessful executions. */
export interface ExecutionsPort {
  /** ARNs of the machine's FAILED, TIMED_OUT and ABORTED executions, newest first, page by page. */
  unsuccessful(stateMachineArn: string): AsyncIterable<string>;
  describe(executionArn: string): Promise<UnsuccessfulExecution>;
  /** RedriveExecution (from the unsuccessful step); throws ExecutionNotRedrivable and the like. */
  redrive(executionArn: string): Promise<void>;
}

/** A stream record in the JSON form a pipe sees it (Lambda's DynamoDB event record: B as base64, times in epoch s). */
export type PipeStreamRecord = Readonly<Record<string, unknown>> & {
  readonly eventID: string;
  readonly eventName: string;
  readonly dynamodb: Readonly<Record<string, unknown>> & { readonly SequenceNumber: string };
};

/** One page of a shard's records, and where the next page starts (absent: the shard is closed and read to its end). */
export interface StreamPage {
  readonly records: readonly PipeStreamRecord[];
  readonly nextIterator?: string;
}

/** DynamoDB Streams reads, as the outbox's redrive needs them. */
export interface StreamPort {
  /** An iterator at (AT_SEQUENCE_NUMBER) a record of a shard. Throws TrimmedDataAccessException past the retention. */
  iteratorAt(streamArn: string, shardId: string, sequenceNumber: string): Promise<string>;
  /** One page of records of a stream from an iterator. */
  read(streamArn: string, iterator: string): Promise<StreamPage>;
}

/** A pipe as the redrive replays its failures: where it reads and writes, its filter and template. */
export interface PipeDescription {
  readonly arn: string;
  readonly source: string;
  readonly target: string;
  /** The filter patterns (JSON text), none when the pipe takes every record. */
  readonly filterPatterns: readonly string[];
  readonly inputTemplate?: string;
  readonly detailType?: string;
  readonly eventSource?: string;
  /** The enrichment's ARN, when the pipe has one. */
  readonly enrichment?: string;
}

/** EventBridge Pipes reads. */
export interface PipePort {
  /** The pipe named by an ARN (DescribePipe). */
  describe(pipeArn: string): Promise<PipeDescription>;
}
