import type { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import { nonZeroAlarms } from "../shared/nonzero-alarms";
import type { Construct } from "constructs";

/**
 * Pipe metrics that mean records are not becoming events (AWS/EventBridge/Pipes, dimension PipeName:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-monitoring.html), each alarmed at any non-zero
 * minute: a failed, timed-out or throttled execution, a target stage (PutEvents) that failed.
 */
export const PIPE_ALARM_METRICS = [
  { metric: "ExecutionFailed", meaning: "executions failed (records retried, then sent to the DLQ)" },
  { metric: "ExecutionTimeout", meaning: "executions timed out" },
  { metric: "ExecutionThrottled", meaning: "executions were throttled (events delayed)" },
  { metric: "TargetStageFailed", meaning: "puts on the bus failed" },
] as const;

/** One alarm per metric of one pipe, on the environment's topic (and its recovery). */
export function createPipeAlarms(scope: Construct, pipeName: string, topicArn: string): CloudwatchMetricAlarm[] {
  return nonZeroAlarms(scope, {
    namespace: "AWS/EventBridge/Pipes",
    dimensions: { PipeName: pipeName },
    metrics: PIPE_ALARM_METRICS,
    idOf: (metric) => `${pipeName}-${metric}`,
    nameOf: (metric) => `${pipeName}-${metric}`,
    describe: (meaning) =>
      `Pipe ${pipeName}: ${meaning}. Its failures reach the outbox DLQ; redrive them (docs/outbox.md).`,
    topicArn,
  });
}
