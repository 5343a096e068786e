/** EventBridge rules: no target drops events silently. */
import type { Rule, Violation } from "../rule";
import { block, isExpression, type StackView, type TfResource } from "../terraform-json";

const TARGET = "aws_cloudwatch_event_target";

/** True when a target delivers to an event bus (same or cross account), which takes no retry policy. */
function isEventBusTarget(stack: StackView, target: TfResource): boolean {
  const arn = target.body.arn;
  if (stack.referenced(arn).some((r) => r.type === "aws_cloudwatch_event_bus")) return true;
  return typeof arn === "string" && /:event-bus\//.test(arn);
}

export const eventBridgeTargetRetryDlq: Rule = {
  id: "eventbridge-target-retry-dlq",
  meaning:
    "every EventBridge target has a standard-queue DLQ (dead_letter_config.arn) and an explicit retry_policy, except event-bus targets, which take no retry policy",
  kinds: [TARGET],
  check(stack) {
    const out: Violation[] = [];
    for (const t of stack.resources(TARGET)) {
      const dlqArn = block(t.body.dead_letter_config)?.arn;
      if (!dlqArn) out.push({ address: t.address, reason: "dead_letter_config.arn is not set: events that exhaust retries are dropped" });
      else {
        const fifo = stack.referenced(dlqArn, "aws_sqs_queue").find((q) => q.body.fifo_queue === true);
        if (fifo || (typeof dlqArn === "string" && !isExpression(dlqArn) && dlqArn.endsWith(".fifo"))) {
          out.push({ address: t.address, reason: `dead_letter_config.arn names a FIFO queue (${fifo?.address ?? dlqArn}); EventBridge needs a standard queue` });
        }
      }
      const retry = block(t.body.retry_policy);
      const hasRetry = retry !== undefined && (retry.maximum_retry_attempts !== undefined || retry.maximum_event_age_in_seconds !== undefined);
      if (isEventBusTarget(stack, t)) {
        if (retry) out.push({ address: t.address, reason: "retry_policy is set on an event-bus target, which takes none" });
      } else if (!hasRetry) {
        out.push({ address: t.address, reason: "retry_policy (maximum_retry_attempts, maximum_event_age_in_seconds) is not set explicitly" });
      }
    }
    return out;
  },
};

/** EventBridge rules, in report order. */
export const EVENTBRIDGE_RULES: readonly Rule[] = [eventBridgeTargetRetryDlq];
