import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { EVENTS_DEFAULTS } from "./defaults";

/** Props of QueueAlarms. */
export interface QueueAlarmsProps {
  /** Name of the watched queue (the `QueueName` dimension); required. */
  readonly queueName: string;
  /** What the queue holds, for alarm descriptions (e.g. "events the rule orders-placed could not deliver to orders"); required. */
  readonly purpose: string;
  /** SNS topic the alarms (and their recoveries) publish to; required. */
  readonly alarmTopicArn: string;
  /** Age in seconds of the oldest message at which the age alarm fires (60-1209600). @default 3600 */
  readonly oldestMessageAgeSeconds?: number;
}

/** QueueAlarmsProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const queueAlarmsPropsSchema = z
  .strictObject({
    queueName: z.string(),
    purpose: z.string(),
    alarmTopicArn: z.string(),
    oldestMessageAgeSeconds: z.number().optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.integerInRange(props.oldestMessageAgeSeconds, "oldestMessageAgeSeconds", 60, 1209600);
  });

/**
 * Two alarms on a dead-letter queue: any visible message (something failed), and the oldest
 * message getting old (nobody redrove it; it expires after the queue's retention).
 */
export class QueueAlarms extends Construct {
  /** Fires when at least one message is visible. */
  readonly visibleMessages: CloudwatchMetricAlarm;
  /** Fires when the oldest message is older than the threshold. */
  readonly oldestMessageAge: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: QueueAlarmsProps) {
    super(scope, id);
    parseProps(`QueueAlarms ${id}`, queueAlarmsPropsSchema, props);
    const actions = [props.alarmTopicArn];
    const common = {
      namespace: "AWS/SQS",
      dimensions: { QueueName: props.queueName },
      period: 60,
      evaluationPeriods: 1,
      statistic: "Maximum",
      treatMissingData: "notBreaching",
      alarmActions: actions,
      okActions: actions,
    };
    this.visibleMessages = new CloudwatchMetricAlarm(this, "visible-messages", {
      ...common,
      alarmName: `${props.queueName}-visible-messages`,
      alarmDescription: `Messages are waiting in ${props.queueName}: ${props.purpose}. Find the cause, then redrive.`,
      metricName: "ApproximateNumberOfMessagesVisible",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
    });
    const age = props.oldestMessageAgeSeconds ?? EVENTS_DEFAULTS.dlqOldestMessageAgeAlarmSeconds;
    this.oldestMessageAge = new CloudwatchMetricAlarm(this, "oldest-message-age", {
      ...common,
      alarmName: `${props.queueName}-oldest-message-age`,
      alarmDescription: `The oldest message in ${props.queueName} is over ${age} s old (${props.purpose}); messages expire after the queue's retention.`,
      metricName: "ApproximateAgeOfOldestMessage",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: age,
    });
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _QueueAlarmsSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof queueAlarmsPropsSchema>, QueueAlarmsProps>
>;
