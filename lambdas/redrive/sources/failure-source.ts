import type { DlqMessage, FailureDetails } from "../engine/model";

/** What a dead letter says about its failure, and an earlier redrive's context when it was replayed before. */
export interface DeadLetterInfo extends FailureDetails {
  /** From an earlier redrive-context: how often it was redriven and its first DLQ message id. */
  readonly previous: { readonly redriveCount: number; readonly originalMessageId: string } | null;
}

/** A message's failure details, or why they cannot be read (the message is then left in place and reported). */
export type Decoded = { readonly info: DeadLetterInfo } | { readonly error: string };

/**
 * One kind of failure record the redrive drains, as a plug-in (./index.ts lists them, first match wins): how to
 * recognise it, decode its error context, and what a replay sends. Every source today is an SQS queue, so the
 * engine acknowledges a replayed message the same way for all of them (DeleteMessage with its receipt handle).
 */
export interface FailureSource {
  /** The source's name in docs and logs. */
  readonly name: string;
  /** Whether this message is one of this source's records. */
  recognise(msg: DlqMessage): boolean;
  /** Its failure details, in the vocabulary of EventBridge's dead letters, with any earlier redrive-context. */
  decode(msg: DlqMessage): Decoded;
  /** The body a replay sends (the original event, text unchanged). */
  replayBody(msg: DlqMessage): string;
}
