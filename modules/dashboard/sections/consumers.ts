import { graph, heading, logQuery, metricsOf, type Widget } from "../widgets";
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
    const queue = metricsOf("AWS/SQS", { QueueName: c.queueName }, "Maximum");
    const fn = metricsOf("AWS/Lambda", { FunctionName: c.functionName }, "Sum");
    widgets.push(
      graph(
        `${c.name}: queue`,
        [queue("ApproximateNumberOfMessagesVisible", "depth"), queue("ApproximateAgeOfOldestMessage", "oldest (s)")],
        ctx,
        WIDTH,
      ),
      graph(`${c.name}: errors and throttles`, [fn("Errors", "errors"), fn("Throttles", "throttles")], ctx, WIDTH),
      graph(
        `${c.name}: duration (ms)`,
        [fn("Duration", "p50", "p50"), fn("Duration", "p99", "p99"), fn("Duration", "max", "Maximum")],
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
