/**
 * A run's metrics (modules/shared/contract/redrive-metrics.ts) from its summary: replayed, failed, skipped and its
 * duration, for the DLQ it drained. A dry run changes nothing and publishes nothing.
 */
import { REDRIVE_METRICS } from "../../../modules/shared/contract/redrive-metrics";
import type { RedriveSummary } from "./model";

export interface RunMetric {
  readonly name: keyof typeof REDRIVE_METRICS;
  readonly unit: (typeof REDRIVE_METRICS)[keyof typeof REDRIVE_METRICS];
  readonly value: number;
}

/** The queue's name in its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
export const queueNameOf = (queueUrl: string) => queueUrl.slice(queueUrl.lastIndexOf("/") + 1);

/** The metrics of a run over one DLQ, or none for a dry run. */
export function runMetrics(summary: RedriveSummary): { queueName: string; metrics: RunMetric[] } | undefined {
  if (summary.dryRun || summary.queues.length !== 1) return undefined;
  const values: Record<keyof typeof REDRIVE_METRICS, number> = {
    Replayed: summary.replayed,
    Failed: summary.failed,
    Skipped: summary.skippedTotal,
    Duration: summary.durationMs,
  };
  return {
    queueName: queueNameOf(summary.queues[0]),
    metrics: (Object.keys(REDRIVE_METRICS) as (keyof typeof REDRIVE_METRICS)[]).map((name) => ({
      name,
      unit: REDRIVE_METRICS[name],
      value: values[name],
    })),
  };
}
