import { REDRIVE_METRICS_DIMENSION, REDRIVE_METRICS_NAMESPACE } from "../../shared/contract/redrive-metrics";
import { graph, graphs, heading, type MetricSpec, metricsOf, type Widget } from "../widgets";
import type { Section } from "./section";

/**
 * The redrive's own runs, from the metrics each run publishes per DLQ (CLI and Lambda, contract/redrive-metrics.ts):
 * what was replayed, what failed or was skipped, and how long the runs took; and the function's errors.
 */
export const redriveSection: Section = (ctx) => {
  const { redriveFunctionName } = ctx.props;
  // The queues the redrive replays (the others' texts say what to do instead).
  const deadLetterQueues = ctx.props.deadLetterQueues.filter((q) => !q.instructions);
  if (deadLetterQueues.length === 0 && !redriveFunctionName) return [];
  const perQueue = (metricName: string, stat: string): MetricSpec[] =>
    deadLetterQueues.map((q) => ({
      namespace: REDRIVE_METRICS_NAMESPACE,
      metricName,
      dimensions: { [REDRIVE_METRICS_DIMENSION]: q.queueName },
      stat,
      label: `${q.name} ${metricName.toLowerCase()}`,
    }));
  const widgets: Widget[] = [
    heading(
      "## Redrive runs\nWhat each run replayed, failed to replay or skipped, per DLQ; the audit trail has every message.",
    ),
  ];
  if (deadLetterQueues.length > 0)
    widgets.push(
      ...graphs("Replayed", perQueue("Replayed", "Sum"), ctx),
      ...graphs("Failed and skipped", [...perQueue("Failed", "Sum"), ...perQueue("Skipped", "Sum")], ctx),
      ...graphs("Run duration (ms)", perQueue("Duration", "Maximum"), ctx),
    );
  if (redriveFunctionName) {
    const fn = metricsOf("AWS/Lambda", { FunctionName: redriveFunctionName }, "Sum");
    widgets.push(graph("Redrive function", [fn("Invocations", "runs"), fn("Errors", "errors")], ctx));
  }
  return widgets;
};
