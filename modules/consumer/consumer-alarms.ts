import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { CONSUMER_DEFAULTS, QUEUE_CONSUMER_LIMITS } from "./consumer-rules";

/** Props of ConsumerAlarms. */
export interface ConsumerAlarmsProps {
  /** Name of the consuming function; required. */
  readonly functionName: string;
  /** Name of the queue it consumes; required. */
  readonly queueName: string;
  /** Name of the queue's DLQ. @default none (no DLQ depth alarm: the queue's owner watches it) */
  readonly deadLetterQueueName?: string;
  /** SNS topic the alarms (and recoveries) publish to; required. */
  readonly alarmTopicArn: string;
  /** Age in seconds of the queue's oldest message at which the backlog alarm fires (60-1209600). @default 900 */
  readonly oldestMessageAgeSeconds?: number;
}

/** ConsumerAlarmsProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const consumerAlarmsPropsSchema = z
  .strictObject({
    functionName: z.string(),
    queueName: z.string(),
    deadLetterQueueName: z.string().optional(),
    alarmTopicArn: z.string(),
    oldestMessageAgeSeconds: z.number().optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    const ages = QUEUE_CONSUMER_LIMITS.oldestMessageAgeAlarmSeconds;
    v.integerInRange(props.oldestMessageAgeSeconds, "oldestMessageAgeSeconds", ages.min, ages.max);
  });

/**
 * The alarms of a queue consumer: records in the DLQ (poison records that exhausted
 * maxReceiveCount: find the cause, then redrive), the queue's oldest message getting old (the
 * consumer falls behind or keeps failing), and the function's errors and throttles.
 */
export class ConsumerAlarms extends Construct {
  readonly deadLetters?: CloudwatchMetricAlarm;
  readonly oldestMessageAge: CloudwatchMetricAlarm;
  readonly errors: CloudwatchMetricAlarm;
  readonly throttles: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: ConsumerAlarmsProps) {
    super(scope, id);
    validateProps(id, props);
    const common = commonSettings(props.alarmTopicArn);
    const fn = props.functionName;
    if (props.deadLetterQueueName) {
      this.deadLetters = new CloudwatchMetricAlarm(this, "dead-letters", {
        ...common,
        alarmName: `${props.deadLetterQueueName}-visible-messages`,
        alarmDescription: `Records of ${props.queueName} failed ${fn} on every receive and wait in ${props.deadLetterQueueName}. Fix the cause, then redrive them to ${props.queueName}.`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: props.deadLetterQueueName },
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
      });
    }
    const age = props.oldestMessageAgeSeconds ?? CONSUMER_DEFAULTS.oldestMessageAgeAlarmSeconds;
    this.oldestMessageAge = new CloudwatchMetricAlarm(this, "oldest-message-age", {
      ...common,
      alarmName: `${props.queueName}-oldest-message-age`,
      alarmDescription: `The oldest record in ${props.queueName} is over ${age} s old: ${fn} falls behind or keeps failing.`,
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: props.queueName },
      statistic: "Maximum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: age,
    });
    const lambda = (metric: string, what: string) => functionAlarm(props, metric, what);
    this.errors = new CloudwatchMetricAlarm(
      this,
      "errors",
      lambda("Errors", "failed a whole batch (every record failed, or it crashed or timed out)"),
    );
    this.throttles = new CloudwatchMetricAlarm(
      this,
      "throttles",
      lambda(
        "Throttles",
        "was throttled: its reserved concurrency is below the event source's maximum concurrency, or the account's limit is reached",
      ),
    );
  }
}

function validateProps(id: string, props: ConsumerAlarmsProps): void {
  parseProps(`ConsumerAlarms ${id}`, consumerAlarmsPropsSchema, props);
}

/** What every alarm of the consumer shares: one-minute periods, quiet without data, alarm and recovery to the topic. */
function commonSettings(alarmTopicArn: string) {
  const actions = [alarmTopicArn];
  return {
    period: 60,
    evaluationPeriods: 1,
    treatMissingData: "notBreaching",
    alarmActions: actions,
    okActions: actions,
  };
}

/** An alarm on one of the function's metrics (any error or throttle in a minute). */
function functionAlarm(props: ConsumerAlarmsProps, metric: string, what: string) {
  const fn = props.functionName;
  return {
    ...commonSettings(props.alarmTopicArn),
    alarmName: `${fn}-${metric.toLowerCase()}`,
    alarmDescription: `${fn} ${what} (consuming ${props.queueName}); see its log group /aws/lambda/${fn}.`,
    namespace: "AWS/Lambda",
    metricName: metric,
    dimensions: { FunctionName: fn },
    statistic: "Sum",
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    threshold: 1,
  };
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _ConsumerAlarmsSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof consumerAlarmsPropsSchema>, ConsumerAlarmsProps>
>;
