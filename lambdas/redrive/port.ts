/** The queue operations the engine needs; the SQS port implements them with the AWS SDK, tests in memory. */
import type { DlqMessage, QueueDestination, ReplayEntry } from "./model";

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
};

export interface QueuePort {
  /** Receives up to `max` (1-10) messages with every attribute, hiding them for `visibilityTimeout` s. */
  receive(queueUrl: string, max: number, visibilityTimeout: number, waitTimeSeconds: number): Promise<DlqMessage[]>;
  /** Sends up to 10 entries in one call. Throws when the call as a whole failed (no entry known sent). */
  send(queueUrl: string, entries: readonly { readonly id: string; readonly entry: ReplayEntry }[]): Promise<BatchResult>;
  /** Deletes up to 10 messages in one call. */
  delete(queueUrl: string, entries: readonly { readonly id: string; readonly receiptHandle: string }[]): Promise<BatchResult>;
  /** Changes the visibility timeout of up to 10 messages in one call. */
  changeVisibility(queueUrl: string, entries: readonly { readonly id: string; readonly receiptHandle: string; readonly seconds: number }[]): Promise<BatchResult>;
  /** ARN, FIFO-ness and maximum message size of a queue. */
  describe(queueUrl: string): Promise<QueueDescription>;
  /** URL of the queue `name` owned by `account` in `region` (GetQueueUrl). */
  queueUrl(name: string, account: string, region: string): Promise<string>;
}
