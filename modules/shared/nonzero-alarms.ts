import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import type { Construct } from "constructs";

/** Alarms that fire on any non-zero minute of a metric (a failure count), one per metric. */
export interface NonZeroAlarms {
  readonly namespace: string;
  readonly dimensions: Record<string, string>;
  readonly metrics: ReadonlyArray<{ readonly metric: string; readonly meaning: string }>;
  /** Construct id and alarm name of one metric's alarm. */
  readonly idOf: (metric: string) => string;
  readonly nameOf: (metric: string) => string;
  /** The alarm's description, from the metric's meaning. */
  readonly describe: (meaning: string) => string;
  readonly topicArn: string;
}

/** The alarms (Sum over a minute > 0, missing data not breaching), to the topic with their recoveries. */
export function nonZeroAlarms(scope: Construct, a: NonZeroAlarms): CloudwatchMetricAlarm[] {
  return a.metrics.map(
    ({ metric, meaning }) =>
      new CloudwatchMetricAlarm(scope, a.idOf(metric), {
        alarmName: a.nameOf(metric),
        alarmDescription: a.describe(meaning),
        namespace: a.namespace,
        metricName: metric,
        dimensions: a.dimensions,
        statistic: "Sum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        alarmActions: [a.topicArn],
        okActions: [a.topicArn],
      }),
  );
}
