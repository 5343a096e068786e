/** Publishing a run's metrics from the CLI: one PutMetricData at the end of a run (the Lambda: emf-metrics.ts). */
import { type CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { REDRIVE_METRICS_DIMENSION, REDRIVE_METRICS_NAMESPACE } from "../../../modules/shared/contract/redrive-metrics";
import type { RedriveSummary } from "../engine/model";
import { runMetrics } from "../engine/run-metrics";

/** One PutMetricData with every metric of the run (CLI). Resolves with the number of metrics sent (0 for a dry run). */
export async function putRunMetrics(cw: CloudWatchClient, summary: RedriveSummary, now = new Date()): Promise<number> {
  const run = runMetrics(summary);
  if (!run) return 0;
  await cw.send(
    new PutMetricDataCommand({
      Namespace: REDRIVE_METRICS_NAMESPACE,
      MetricData: run.metrics.map((m) => ({
        MetricName: m.name,
        Dimensions: [{ Name: REDRIVE_METRICS_DIMENSION, Value: run.queueName }],
        Unit: m.unit,
        Value: m.value,
        Timestamp: now,
      })),
    }),
  );
  return run.metrics.length;
}
