import type { FailureSource } from "./failure-source";
import { decodeAttributesAndContext } from "./redrive-context";

/**
 * Any other message of an SQS dead-letter queue: a replay that failed again and reached the target queue's own DLQ
 * (its redrive-context still names the failure and the target), or a consumer queue's dead letter (replayed with
 * `--to`). Recognises every message, so it is listed last.
 */
export const plainSqsDeadLetter: FailureSource = {
  name: "sqs-dlq",
  recognise: () => true,
  decode: decodeAttributesAndContext,
  replayBody: (msg) => msg.body,
};
