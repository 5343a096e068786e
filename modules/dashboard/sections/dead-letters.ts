import { graph, heading, metricsOf, note, type Widget } from "../widgets";
import type { Section } from "./section";

const WIDTH = 6;

/** Every DLQ: its depth and oldest age, beside the commands that look at it and replay it. */
export const deadLetterSection: Section = (ctx) => {
  const queues = ctx.props.deadLetterQueues;
  if (queues.length === 0) return [];
  const widgets: Widget[] = [
    heading(
      "## Dead-letter queues\nEvery message here failed every retry and is kept: look first (dry run), then replay. docs/redrive.md has the options.",
    ),
  ];
  for (const q of queues) {
    const m = metricsOf("AWS/SQS", { QueueName: q.queueName }, "Maximum");
    const command = `${ctx.props.redriveCommand} --queue-url ${q.queueUrl}`;
    widgets.push(
      graph(
        `DLQ ${q.name}`,
        [m("ApproximateNumberOfMessagesVisible", "messages"), m("ApproximateAgeOfOldestMessage", "oldest (s)")],
        ctx,
        WIDTH,
      ),
      note(
        q.instructions
          ? `**${q.name}**\n\n${q.instructions}`
          : `**Redrive ${q.name}**\n\nLook:\n\n\`${command} --dry-run\`\n\nReplay:\n\n\`${command}\``,
        WIDTH,
      ),
    );
  }
  return widgets;
};
