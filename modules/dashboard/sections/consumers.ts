import { graph, heading, logQuery, type MetricSpec, type Widget } from "../widgets";
import type { Section } from "./section";

const WIDTH = 6;

/**
 * Async routes' queues and their consumers: depth and oldest age, errors and throttles, duration, and the records
 * reported failed (partial batch failures). Lambda publishes no metric for those, so they are counted from the
 * consumer runtime's `consumer.record-failed` log lines (lambdas/consumer/consumer.ts), one per failed record.
 */
export const consumersSection: Section = (ctx) => {
  const consumers = ctx.props.consumers;
  if (consumers.length === 0) return [];
  const widgets: Widget[] = [
    heading(
      "## Async routes and consumers\nA growing depth or oldest age is a consumer falling behind; failed records are retried, then dead-lettered.",
    ),
  ];
  for (const c of consumers) {
    const queue = (metricName: string, label: string): MetricSpec => ({
      namespace: "AWS/SQS",
      metricName,
      dimensions: { QueueName: c.queueName },
      stat: "Maximum",
      label,
    });
    const fn = (metricName: string, stat: string, label: string): MetricSpec => ({
      namespace: "AWS/Lambda",
      metricName,
      dimensions: { FunctionName: c.functionName },
      stat,
      label,
    });
    widgets.push(
      graph(
        `${c.name}: queue`,
        [queue("ApproximateNumberOfMessagesVisible", "depth"), queue("ApproximateAgeOfOldestMessage", "oldest (s)")],
        ctx,
        WIDTH,
      ),
      graph(
        `${c.name}: errors and throttles`,
        [fn("Errors", "Sum", "errors"), fn("Throttles", "Sum", "throttles")],
        ctx,
        WIDTH,
      ),
      graph(
        `${c.name}: duration (ms)`,
        [fn("Duration", "p50", "p50"), fn("Duration", "p99", "p99"), fn("Duration", "Maximum", "max")],
        ctx,
        WIDTH,
      ),
    );
    if (c.logGroupName)
      widgets.push({
        ...logQuery(
          `${c.name}: records reported failed`,
          [c.logGroupName],
          `filter event = "consumer.record-failed" | stats count(*) as failedRecords by bin(${ctx.periodSeconds}s)`,
          ctx,
        ),
        width: WIDTH,
      });
  }
  return widgets;
};
