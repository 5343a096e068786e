import type { DlqMessage } from "../engine/model";
import { eventBridgeDeadLetter } from "./eventbridge-dlq";
import type { FailureSource } from "./failure-source";
import { lambdaOnFailureRecord } from "./lambda-on-failure";
import { pipeStreamFailure } from "./pipe-stream-failure";
import { plainSqsDeadLetter } from "./sqs-dlq";

export type { Decoded, DeadLetterInfo, FailureSource } from "./failure-source";
export { CONTEXT_ATTRIBUTE } from "./redrive-context";

/**
 * The failure sources the redrive drains, in recognition order (first match wins; the plain SQS dead letter matches
 * everything, so it is last). A new source (a pipe's stream failures, a saga's failed executions) is its file beside
 * these and one entry here.
 */
export const FAILURE_SOURCES: readonly FailureSource[] = [
  pipeStreamFailure,
  lambdaOnFailureRecord,
  eventBridgeDeadLetter,
  plainSqsDeadLetter,
];

/** The source of a dead letter. */
export function sourceOf(msg: DlqMessage): FailureSource {
  return FAILURE_SOURCES.find((s) => s.recognise(msg)) ?? plainSqsDeadLetter;
}
