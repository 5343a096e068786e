import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget, type CloudwatchEventTargetConfig } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import type { TerraformStack } from "cdktf";
import { eventBridgeTargetRetryDlq } from "../../../policy/rules/eventbridge";
import { finding, findings } from "../scratch";

const RETRY = { maximumRetryAttempts: 24, maximumEventAgeInSeconds: 3600 };

/** A rule with one target; `shape` picks the target ARN, DLQ and retry policy. */
function target(stack: TerraformStack, shape: (parts: { queue: SqsQueue; dlq: SqsQueue; fifo: SqsQueue; bus: CloudwatchEventBus }) => Partial<CloudwatchEventTargetConfig>) {
  const rule = new CloudwatchEventRule(stack, "rule", { name: "orders", eventPattern: JSON.stringify({ source: ["shop"] }) });
  const parts = {
    queue: new SqsQueue(stack, "queue", { name: "orders", sqsManagedSseEnabled: true }),
    dlq: new SqsQueue(stack, "dlq", { name: "orders-dlq", sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 }),
    fifo: new SqsQueue(stack, "fifo", { name: "orders-dlq.fifo", fifoQueue: true, sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 }),
    bus: new CloudwatchEventBus(stack, "bus", { name: "partner" }),
  };
  new CloudwatchEventTarget(stack, "target", { rule: rule.name, arn: parts.queue.arn, ...shape(parts) });
}

describe("eventbridge-target-retry-dlq (serverless-rules aws_cloudwatch_event_target_no_dlq)", () => {
  it("fails a target with neither DLQ nor retry policy", () => {
    expect(findings(eventBridgeTargetRetryDlq, (s) => target(s, () => ({})))).toEqual([
      finding(eventBridgeTargetRetryDlq, "aws_cloudwatch_event_target.target", "dead_letter_config.arn is not set: events that exhaust retries are dropped"),
      finding(eventBridgeTargetRetryDlq, "aws_cloudwatch_event_target.target", "retry_policy (maximum_retry_attempts, maximum_event_age_in_seconds) is not set explicitly"),
    ]);
  });

  it("fails a FIFO DLQ", () => {
    expect(findings(eventBridgeTargetRetryDlq, (s) => target(s, ({ fifo }) => ({ deadLetterConfig: { arn: fifo.arn }, retryPolicy: RETRY })))).toEqual([
      finding(eventBridgeTargetRetryDlq, "aws_cloudwatch_event_target.target", "dead_letter_config.arn names a FIFO queue (aws_sqs_queue.fifo); EventBridge needs a standard queue"),
    ]);
  });

  it("fails an event-bus target with a retry policy, and one without a DLQ", () => {
    expect(findings(eventBridgeTargetRetryDlq, (s) => target(s, ({ bus, dlq }) => ({ arn: bus.arn, deadLetterConfig: { arn: dlq.arn }, retryPolicy: RETRY })))).toEqual([
      finding(eventBridgeTargetRetryDlq, "aws_cloudwatch_event_target.target", "retry_policy is set on an event-bus target, which takes none"),
    ]);
    const crossAccountBus = "arn:aws:events:eu-west-1:222222222222:event-bus/central";
    expect(findings(eventBridgeTargetRetryDlq, (s) => target(s, () => ({ arn: crossAccountBus })))).toEqual([
      finding(eventBridgeTargetRetryDlq, "aws_cloudwatch_event_target.target", "dead_letter_config.arn is not set: events that exhaust retries are dropped"),
    ]);
  });

  it("passes a queue target with DLQ and retry policy, and an event-bus target with a DLQ and no retry policy", () => {
    expect(findings(eventBridgeTargetRetryDlq, (s) => target(s, ({ dlq }) => ({ deadLetterConfig: { arn: dlq.arn }, retryPolicy: RETRY })))).toEqual([]);
    expect(findings(eventBridgeTargetRetryDlq, (s) => target(s, ({ bus, dlq }) => ({ arn: bus.arn, deadLetterConfig: { arn: dlq.arn } })))).toEqual([]);
  });
});
