import type { FailureSource } from "./failure-source";
import { decodeAttributesAndContext } from "./redrive-context";

/** EventBridge's DLQ attributes: a message carrying any of them is an EventBridge dead letter. */
export const EVENTBRIDGE_MARKERS = ["RULE_ARN", "TARGET_ARN", "ERROR_CODE"] as const;

/**
 * An EventBridge target's dead letter: the event as the body, the failure in message attributes (RULE_ARN,
 * TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, EXHAUSTED_RETRY_CONDITION, RETRY_ATTEMPTS), replayed to TARGET_ARN as is.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
export const eventBridgeDeadLetter: FailureSource = {
  name: "eventbridge-target-dlq",
  recognise: (msg) => EVENTBRIDGE_MARKERS.some((name) => name in msg.messageAttributes),
  decode: decodeAttributesAndContext,
  replayBody: (msg) => msg.body,
};
