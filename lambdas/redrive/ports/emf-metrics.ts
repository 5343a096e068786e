/**
 * Publishing a run's metrics from the Lambda: the embedded metric format through Powertools Metrics, so its log
 * becomes the metrics (no API call, no permission). The CLI: cloudwatch-metrics.ts.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { REDRIVE_METRICS_DIMENSION, REDRIVE_METRICS_NAMESPACE } from "../../../modules/shared/contract/redrive-metrics";
import type { RedriveSummary } from "../engine/model";
import { runMetrics } from "../engine/run-metrics";

/** The run's metrics as one embedded-metric-format line on stdout (Lambda), through Powertools Metrics. */
export function emitRunMetrics(summary: RedriveSummary, serviceName: string): void {
  const run = runMetrics(summary);
  if (!run) return;
  const metrics = new Metrics({ namespace: REDRIVE_METRICS_NAMESPACE, serviceName });
  metrics.addDimension(REDRIVE_METRICS_DIMENSION, run.queueName);
  for (const m of run.metrics)
    metrics.addMetric(m.name, m.unit === "Count" ? MetricUnit.Count : MetricUnit.Milliseconds, m.value);
  metrics.publishStoredMetrics();
}
