import { graph, heading, metricsOf, type Widget } from "../widgets";
import type { Section } from "./section";

/** The outbox's pipes: executions failed, timed out and throttled, and puts on the bus that failed. */
export const pipesSection: Section = (ctx) => {
  if (ctx.props.pipeNames.length === 0) return [];
  const widgets: Widget[] = [
    heading(
      "## Outbox pipes\nA failed execution is retried, then its records' sequence range goes to the outbox DLQ below.",
    ),
  ];
  for (const pipe of ctx.props.pipeNames) {
    const m = metricsOf("AWS/EventBridge/Pipes", { PipeName: pipe }, "Sum");
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
    const m = metricsOf("AWS/States", { StateMachineArn: sm.stateMachineArn }, "Sum");
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
