import { nonZeroAlarms } from "../shared/nonzero-alarms";
import type { Construct } from "constructs";

/**
 * State machine metrics that mean a saga did not complete (AWS/States, dimension StateMachineArn:
 * https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html), each alarmed at any non-zero minute.
 */
export const SAGA_ALARM_METRICS = [
  { metric: "ExecutionsFailed", meaning: "executions failed (compensated, or waiting for a human)" },
  { metric: "ExecutionsTimedOut", meaning: "executions timed out" },
  { metric: "ExecutionThrottled", meaning: "state transitions were throttled" },
  { metric: "ExecutionsAborted", meaning: "executions were aborted (their steps were not compensated)" },
] as const;

/** One alarm per metric, on the environment's topic (and its recovery). */
export function createSagaAlarms(scope: Construct, name: string, stateMachineArn: string, topicArn: string) {
  return nonZeroAlarms(scope, {
    namespace: "AWS/States",
    dimensions: { StateMachineArn: stateMachineArn },
    metrics: SAGA_ALARM_METRICS,
    idOf: (metric) => `alarm-${metric}`,
    nameOf: (metric) => `${name}-saga-${metric}`,
    describe: (meaning) =>
      `Saga ${name}: ${meaning}. Look at the execution's history; redrive it once the cause is fixed (docs/sagas.md).`,
    topicArn,
  });
}
