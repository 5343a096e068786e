import { graph, heading, metricsOf, type Widget } from "../widgets";
import type { Section } from "./section";

/**
 * Event routing: per rule, invocations, failed invocations, retries, and events sent to (or lost on the way to) the
 * DLQ; per Lambda target, its errors, throttles and dropped asynchronous events. AWS/Events publishes per rule, with
 * EventBusName too when the bus is not the default one (eb-monitoring.html), so the targets of one rule share its graph.
 */
export const rulesSection: Section = (ctx) => {
  if (ctx.props.rules.length === 0) return [];
  const widgets: Widget[] = [
    heading(
      "## Event routing\nA retry is EventBridge trying again; a failed invocation went to the target's DLQ. Anything in *failed to reach the DLQ* is lost: page.",
    ),
  ];
  for (const rule of ctx.props.rules) {
    const dimensions: Record<string, string> = rule.eventBusName
      ? { EventBusName: rule.eventBusName, RuleName: rule.ruleName }
      : { RuleName: rule.ruleName };
    const m = metricsOf("AWS/Events", dimensions, "Sum");
    widgets.push(
      graph(
        `Rule ${rule.ruleName}`,
        [
          m("Invocations", "invocations"),
          m("FailedInvocations", "failed"),
          m("RetryInvocationAttempts", "retries"),
          m("InvocationsSentToDlq", "sent to the DLQ"),
          m("InvocationsFailedToBeSentToDlq", "failed to reach the DLQ"),
        ],
        ctx,
      ),
    );
    for (const fn of rule.lambdaFunctionNames) widgets.push(lambdaTargetGraph(fn, ctx));
  }
  return widgets;
};

function lambdaTargetGraph(functionName: string, ctx: Parameters<Section>[0]): Widget {
  const m = metricsOf("AWS/Lambda", { FunctionName: functionName }, "Sum");
  return graph(
    `Target ${functionName}`,
    [
      m("Errors", "errors"),
      m("Throttles", "throttles"),
      m("AsyncEventsDropped", "dropped"),
      m("DestinationDeliveryFailures", "on-failure delivery failed"),
    ],
    ctx,
  );
}
