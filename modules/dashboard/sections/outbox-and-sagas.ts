import { graph, heading, type MetricSpec, type Widget } from "../widgets";
import type { Section } from "./section";

const sum =
  (namespace: string, dimensions: Record<string, string>) =>
  (metricName: string, label: string): MetricSpec => ({
    namespace,
    metricName,
    dimensions,
    stat: "Sum",
    label,
  });

/** The outbox's pipes: executions failed, timed out and throttled, and puts on the bus that failed. */
export const pipesSection: Section = (ctx) => {
  if (ctx.props.pipeNames.length === 0) return [];
  const widgets: Widget[] = [
    heading(
      "## Outbox pipes\nA failed execution is retried, then its records' sequence range goes to the outbox DLQ below.",
    ),
  ];
  for (const pipe of ctx.props.pipeNames) {
    const m = sum("AWS/EventBridge/Pipes", { PipeName: pipe });
    widgets.push(
      graph(
        `Pipe ${pipe}`,
        [
          m("ExecutionFailed", "failed"),
          m("ExecutionPartiallyFailed", "partially failed"),
          m("ExecutionTimeout", "timed out"),
          m("ExecutionThrottled", "throttled"),
          m("TargetStageFailed", "put on the bus failed"),
        ],
        ctx,
      ),
    );
  }
  return widgets;
};

/** Sagas: executions started and how they ended. */
export const sagasSection: Section = (ctx) => {
  if (ctx.props.stateMachines.length === 0) return [];
  const widgets: Widget[] = [
    heading(
      "## Sagas\nA failed execution has been compensated or waits for a human; redrive it with `--state-machine`.",
    ),
  ];
  for (const sm of ctx.props.stateMachines) {
    const m = sum("AWS/States", { StateMachineArn: sm.stateMachineArn });
    widgets.push(
      graph(
        `Saga ${sm.name}`,
        [
          m("ExecutionsStarted", "started"),
          m("ExecutionsSucceeded", "succeeded"),
          m("ExecutionsFailed", "failed"),
          m("ExecutionsTimedOut", "timed out"),
          m("ExecutionsAborted", "aborted"),
        ],
        ctx,
      ),
    );
  }
  return widgets;
};
