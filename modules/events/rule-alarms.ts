import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { parseProps } from "../shared/parse-props";

/** CloudWatch name of EventBridge's "could not write to the DLQ" metric (AWS/Events, case-sensitive). */
export const FAILED_TO_DEAD_LETTER_METRIC = "InvocationsFailedToBeSentToDlq";

/** Props of RuleAlarms. */
export interface RuleAlarmsProps {
  /** Name of the watched rule (the `RuleName` dimension); required. */
  readonly ruleName: string;
  /** Custom bus the rule is on (the `EventBusName` dimension). @default none: the rule is on the default bus */
  readonly eventBusName?: string;
  /** SNS topic the alarms (and their recoveries) publish to; required. */
  readonly alarmTopicArn: string;
}

/** RuleAlarmsProps, parsed once at the construct's door (every problem at once). */
export const ruleAlarmsPropsSchema = z.strictObject({
  ruleName: z.string(),
  eventBusName: z.string().optional(),
  alarmTopicArn: z.string(),
});

/**
 * Two alarms on an EventBridge rule: `FailedInvocations` (an event exhausted its retries or failed
 * for good: it went to the DLQ or was lost) and `InvocationsFailedToBeSentToDlq` (an event could
 * not even be dead-lettered: it is lost unless the cause is fixed, e.g. the DLQ's policy or key).
 * Metric names are case-sensitive: the AWS/Events metrics reference spells this one "Dlq" (the
 * EventBridge DLQ guide's prose writes "DLQ", which CloudWatch would never match).
 */
export class RuleAlarms extends Construct {
  /** Fires on any failed invocation. */
  readonly failedInvocations: CloudwatchMetricAlarm;
  /** Fires when an event could not be written to the target's DLQ. */
  readonly failedToDeadLetter: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: RuleAlarmsProps) {
    super(scope, id);
    parseProps(`RuleAlarms ${id}`, ruleAlarmsPropsSchema, props);
    const actions = [props.alarmTopicArn];
    const dimensions: Record<string, string> = props.eventBusName
      ? { EventBusName: props.eventBusName, RuleName: props.ruleName }
      : { RuleName: props.ruleName };
    const common = {
      namespace: "AWS/Events",
      dimensions,
      period: 60,
      evaluationPeriods: 1,
      statistic: "Sum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
      alarmActions: actions,
      okActions: actions,
    };
    this.failedInvocations = new CloudwatchMetricAlarm(this, "failed-invocations", {
      ...common,
      alarmName: `${props.ruleName}-failed-invocations`,
      alarmDescription: `Rule ${props.ruleName} failed to deliver events; they are in the targets' dead-letter queues.`,
      metricName: "FailedInvocations",
    });
    this.failedToDeadLetter = new CloudwatchMetricAlarm(this, "failed-to-dlq", {
      ...common,
      alarmName: `${props.ruleName}-failed-to-dlq`,
      alarmDescription: `Rule ${props.ruleName} could not write failed events to a dead-letter queue: check the DLQ's policy and key; those events are lost.`,
      metricName: FAILED_TO_DEAD_LETTER_METRIC,
    });
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _RuleAlarmsSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof ruleAlarmsPropsSchema>, RuleAlarmsProps>
>;
