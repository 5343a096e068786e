import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";

/**
 * State machine metrics that mean a saga did not complete (AWS/States, dimension StateMachineArn:
 * https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html), each alarmed at any non-zero minute.
 */
export const SAGA_ALARM_METRICS = [
  { metric: "ExecutionsFailed", meaning: "executions failed (compensated, or waiting for a human)" },
  { metric: "ExecutionsTimedOut", meaning: "executions timed out" },
  { metric: "ExecutionThrottled", meaning: "state transitions were throttled" },
  { metric: "ExecutionsAborted", meaning: "executions were aborted (their steps were not compensated)" },
] as const;

/** One alarm per metric, on the environment's topic (and its recovery). */
export function createSagaAlarms(scope: Construct, name: string, stateMachineArn: string, topicArn: string) {
  return SAGA_ALARM_METRICS.map(
    ({ metric, meaning }) =>
      new CloudwatchMetricAlarm(scope, `alarm-${metric}`, {
        alarmName: `${name}-saga-${metric}`,
        alarmDescription: `Saga ${name}: ${meaning}. Look at the execution's history; redrive it once the cause is fixed (docs/sagas.md).`,
        namespace: "AWS/States",
        metricName: metric,
        dimensions: { StateMachineArn: stateMachineArn },
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        alarmActions: [topicArn],
        okActions: [topicArn],
      }),
  );
}
