import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { parseProps } from "../shared/parse-props";

/** Props of LambdaAsyncAlarms. */
export interface LambdaAsyncAlarmsProps {
  /** Name of the watched function, without a qualifier (the `FunctionName` dimension); required. */
  readonly functionName: string;
  /** Stem of the alarm names (`<stem>-async-events-dropped`, `<stem>-destination-delivery-failures`); required. */
  readonly alarmNamePrefix: string;
  /** Where the function's failed events should be (for the descriptions); required. */
  readonly destination: string;
  /** SNS topic the alarms (and their recoveries) publish to; required. */
  readonly alarmTopicArn: string;
}

/** LambdaAsyncAlarmsProps, parsed once at the construct's door (every problem at once). */
export const lambdaAsyncAlarmsPropsSchema = z.strictObject({
  functionName: z.string(),
  alarmNamePrefix: z.string(),
  destination: z.string(),
  alarmTopicArn: z.string(),
});

/**
 * Two alarms on a function's asynchronous invocations (AWS/Lambda): `AsyncEventsDropped` (Lambda
 * dropped events it had accepted: no destination took them) and `DestinationDeliveryFailures`
 * (Lambda could not write a failure record to the on-failure destination: check the queue's
 * policy, the role's permissions and the key). Either means events are lost.
 */
export class LambdaAsyncAlarms extends Construct {
  /** Fires when Lambda dropped an accepted event. */
  readonly eventsDropped: CloudwatchMetricAlarm;
  /** Fires when Lambda could not deliver to the on-failure destination. */
  readonly destinationDeliveryFailures: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: LambdaAsyncAlarmsProps) {
    super(scope, id);
    parseProps(`LambdaAsyncAlarms ${id}`, lambdaAsyncAlarmsPropsSchema, props);
    const actions = [props.alarmTopicArn];
    const common = {
      namespace: "AWS/Lambda",
      dimensions: { FunctionName: props.functionName },
      period: 60,
      evaluationPeriods: 1,
      statistic: "Sum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
      alarmActions: actions,
      okActions: actions,
    };
    this.eventsDropped = new CloudwatchMetricAlarm(this, "events-dropped", {
      ...common,
      alarmName: `${props.alarmNamePrefix}-async-events-dropped`,
      alarmDescription: `Lambda dropped events ${props.functionName} had accepted, instead of sending them to ${props.destination}: those events are lost. Check the function's event invoke config.`,
      metricName: "AsyncEventsDropped",
    });
    this.destinationDeliveryFailures = new CloudwatchMetricAlarm(this, "destination-delivery-failures", {
      ...common,
      alarmName: `${props.alarmNamePrefix}-destination-delivery-failures`,
      alarmDescription: `Lambda could not write failure records of ${props.functionName} to ${props.destination}: check the queue's policy, the execution role's permissions and the key; those events are lost.`,
      metricName: "DestinationDeliveryFailures",
    });
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _LambdaAsyncAlarmsSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof lambdaAsyncAlarmsPropsSchema>, LambdaAsyncAlarmsProps>
>;
