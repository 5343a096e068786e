/**
 * The environment's dashboard against its own synthesized stack (the fixtures' dev, staging and prod): the body passes
 * the catalogue checks, and everything the stack has that can fail is on it: every DLQ, function, rule, pipe, state
 * machine and alarm, in the order a message travels.
 */
import { dashboardBodyProblems } from "../../modules/dashboard/body-checks";
import { metricsOf, parseDashboardBody } from "../helpers/dashboard-body";
import { environmentJson } from "../helpers/synth";

const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

/** `aws_sqs_queue.X` of every queue something in the stack sends its failures to. */
function deadLetterQueueIds(json: any): Set<string> {
  const text = JSON.stringify({
    queues: Object.values(json.resource.aws_sqs_queue ?? {}).map((q: any) => q.redrive_policy),
    targets: Object.values(json.resource.aws_cloudwatch_event_target ?? {}).map((t: any) => t.dead_letter_config),
    invokes: Object.values(json.resource.aws_lambda_function_event_invoke_config ?? {}).map(
      (c: any) => c.destination_config,
    ),
    pipes: Object.values(json.resource.aws_pipes_pipe ?? {}).map((p: any) => p.source_parameters),
  });
  return new Set([...text.matchAll(/aws_sqs_queue\.([\w-]+)\.arn/g)].map((m) => m[1]));
}

describe.each(ENVIRONMENTS)("the %s dashboard", (env) => {
  const json = environmentJson(env);
  const [dashboard] = Object.values<any>(json.resource.aws_cloudwatch_dashboard);
  const body = parseDashboardBody(dashboard.dashboard_body);
  const metrics = metricsOf(body);
  const dimensionValues = (namespace: string, dimension: string) =>
    new Set(metrics.filter((m) => m.namespace === namespace).map((m) => m.dimensions[dimension]));

  it("is named for the environment and passes every check of the metric catalogue", () => {
    expect(dashboard.dashboard_name).toBe(`${env}-operations`);
    expect(dashboardBodyProblems(body)).toEqual([]);
    expect(json.output?.["dashboard-url"].value).toContain(`#dashboards/dashboard/${env}-operations`);
  });

  it("draws every DLQ of the stack, with the redrive command or what to do instead", () => {
    const drawn = dimensionValues("AWS/SQS", "QueueName");
    const ids = deadLetterQueueIds(json);
    expect(ids.size).toBeGreaterThan(0);
    // A queue is drawn by its literal name or by a reference to it.
    const drawnQueue = (id: string) =>
      [json.resource.aws_sqs_queue[id].name, `<ref aws_sqs_queue.${id}.name>`].find((v) => drawn.has(v)) ?? id;
    for (const id of ids) expect(drawn).toContain(drawnQueue(id));
    const texts = body.widgets
      .filter((w: any) => w.type === "text")
      .map((w: any) => w.properties.markdown)
      .join("\n");
    for (const id of ids)
      expect(texts).toMatch(new RegExp(`aws_sqs_queue\\.${id}\\.url>|\\*\\*redrive schedule\\*\\*`));
  });

  it("graphs every function, rule, pipe and state machine, and shows every alarm", () => {
    const functions = dimensionValues("AWS/Lambda", "FunctionName");
    for (const id of Object.keys(json.resource.aws_lambda_function))
      expect(functions).toContain(`<ref aws_lambda_function.${id}.function_name>`);
    const rules = dimensionValues("AWS/Events", "RuleName");
    for (const id of Object.keys(json.resource.aws_cloudwatch_event_rule))
      expect(rules).toContain(`<ref aws_cloudwatch_event_rule.${id}.name>`);
    const pipes = dimensionValues("AWS/EventBridge/Pipes", "PipeName");
    for (const id of Object.keys(json.resource.aws_pipes_pipe ?? {}))
      expect(pipes).toContain(`<ref aws_pipes_pipe.${id}.name>`);
    const machines = dimensionValues("AWS/States", "StateMachineArn");
    for (const id of Object.keys(json.resource.aws_sfn_state_machine ?? {}))
      expect(machines).toContain(`<ref aws_sfn_state_machine.${id}.arn>`);
    const alarms = body.widgets.filter((w: any) => w.type === "alarm").flatMap((w: any) => w.properties.alarms);
    expect(alarms.sort()).toEqual(
      Object.keys(json.resource.aws_cloudwatch_metric_alarm)
        .map((id) => `<ref aws_cloudwatch_metric_alarm.${id}.arn>`)
        .sort(),
    );
  });

  it("reads in the order a message travels", () => {
    const headings = body.widgets
      .filter((w: any) => w.type === "text" && w.width === 24)
      .map((w: any) => w.properties.markdown.split("\n")[0].replace(/^## (\w+).*/, "$1"));
    const order = ["Alarms", "API", "Async", "Outbox", "Sagas", "Event", "Dead", "Redrive"];
    const seen = headings.map((h: string) => order.indexOf(h));
    expect(seen.every((i: number) => i >= 0)).toBe(true);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(headings[0]).toBe("Alarms");
  });
});
