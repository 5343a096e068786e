/** The checks every dashboard body passes at synth: each one fails on the mutation it exists for, naming the widget. */
import { dashboardBodyProblems } from "../../../modules/dashboard/body-checks";
import { dashboardBody } from "../../../modules/dashboard/dashboard-body";
import { OperationsDashboardSchema } from "../../../modules/dashboard/dashboard-schema";
import { METRIC_CATALOGUE } from "../../../modules/dashboard/metric-catalogue";

// Own fixture: a body with one of everything, built by the module's own code.
const props = OperationsDashboardSchema.parse({
  name: "shop-operations",
  api: { apiName: "shop", stageName: "v1", accessLogGroupName: "/aws/apigateway/shop" },
  consumers: [
    { name: "orders", queueName: "shop-orders", functionName: "shop-orders", logGroupName: "/aws/lambda/shop-orders" },
  ],
  pipeNames: ["shop-outbox-placed"],
  stateMachines: [
    { name: "fulfil", stateMachineArn: "arn:aws:states:eu-west-1:111111111111:stateMachine:shop-fulfil" },
  ],
  rules: [{ ruleName: "shop-placed", eventBusName: "shop", lambdaFunctionNames: ["notify"] }],
  deadLetterQueues: [
    {
      name: "orders",
      queueName: "shop-orders-dlq",
      queueUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/shop-orders-dlq",
    },
  ],
  redriveFunctionName: "shop-redrive",
});
const valid = () =>
  structuredClone(dashboardBody(props, "eu-west-1", ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a"])) as any;
const firstOf = (body: any, type: string) => body.widgets.findIndex((w: any) => w.type === type);

describe("dashboard body checks", () => {
  it("pass the module's own body with one of everything", () => {
    expect(dashboardBodyProblems(valid())).toEqual([]);
  });

  it.each([
    [
      "a width past 24 columns",
      (w: any) => Object.assign(w, { width: 25 }),
      /\.width: expected an integer 1-24, got 25/,
    ],
    [
      "a widget running past the grid",
      (w: any) => Object.assign(w, { x: 20, width: 8 }),
      /x 20 \+ width 8 runs past the grid's 24 columns/,
    ],
    ["a height of 0", (w: any) => Object.assign(w, { height: 0 }), /\.height: expected an integer 1-1000, got 0/],
    ["a fractional x", (w: any) => Object.assign(w, { x: 1.5 }), /\.x: expected an integer 0-23/],
    [
      "an unknown type",
      (w: any) => Object.assign(w, { type: "chart" }),
      /\.type: expected one of metric, text, alarm, log, got chart/,
    ],
  ])("report %s", (_, mutate, message) => {
    const body = valid();
    mutate(body.widgets[firstOf(body, "metric")]);
    expect(dashboardBodyProblems(body).join("\n")).toMatch(message);
  });

  it("report widgets that overlap", () => {
    const body = valid();
    const i = firstOf(body, "metric");
    Object.assign(body.widgets[i + 1], { x: body.widgets[i].x, y: body.widgets[i].y });
    expect(dashboardBodyProblems(body)).toContain(`widgets[${i + 1}]: overlaps widgets[${i}]`);
  });

  it.each([
    [
      "a metric AWS does not publish",
      (m: any[]) => (m[1] = "5xxError"),
      /AWS\/ApiGateway has no metric 5xxError \(https:\/\/docs\.aws\.amazon\.com\/apigateway/,
    ],
    [
      "a namespace outside the catalogue",
      (m: any[]) => (m[0] = "AWS/ApiGatewayV2"),
      /namespace AWS\/ApiGatewayV2 is not in the metric catalogue/,
    ],
    [
      "a dimension set AWS does not publish",
      (m: any[]) => m.splice(2, 2),
      /AWS\/ApiGateway Count is not published with dimensions \[Stage\]; AWS publishes it with \[ApiName\] or/,
    ],
    [
      "an unknown statistic",
      (m: any[]) => (m.at(-1).stat = "Median"),
      /expected a statistic \(Sum, Average, Minimum, Maximum, SampleCount or pNN\), got Median/,
    ],
    [
      "an empty dimension value",
      (m: any[]) => (m[3] = ""),
      /expected dimension name\/value pairs with non-empty values/,
    ],
  ])("report %s", (_, mutate, message) => {
    const body = valid();
    const i = firstOf(body, "metric");
    mutate(body.widgets[i].properties.metrics[0]);
    const problems = dashboardBodyProblems(body);
    expect(problems.join("\n")).toMatch(message);
    expect(problems.every((p) => p.startsWith(`widgets[${i}].properties.metrics[0]`))).toBe(true);
  });

  it("accept the API's single-dimension set but not a Stage without its API", () => {
    const body = valid();
    const i = firstOf(body, "metric");
    const m = body.widgets[i].properties.metrics[0];
    m.splice(4, 2); // ApiName alone: published
    expect(dashboardBodyProblems(body)).toEqual([]);
    m.splice(2, 2, "Stage", "v1"); // Stage alone: not published
    expect(dashboardBodyProblems(body).join("\n")).toMatch(
      /not published with dimensions \[Stage\]; AWS publishes it with \[ApiName\] or \[ApiName, Stage\]/,
    );
  });

  it.each([
    [90, /period: expected a multiple of 60 seconds, got 90/],
    [undefined, /period: expected a multiple of 60 seconds, got undefined/],
  ])("report a period of %s", (period, message) => {
    const body = valid();
    body.widgets[firstOf(body, "metric")].properties.period = period;
    expect(dashboardBodyProblems(body).join("\n")).toMatch(message);
  });

  it("report an alarm widget over CloudWatch's 100 alarms, a graph over 500 metrics and a body over 500 widgets", () => {
    const body = valid();
    body.widgets[firstOf(body, "alarm")].properties.alarms = Array.from({ length: 101 }, (_, i) => `arn:${i}`);
    const graph = body.widgets[firstOf(body, "metric")].properties;
    graph.metrics = Array.from({ length: 501 }, () => graph.metrics[0]);
    const text = body.widgets[0];
    for (let k = 0; k < 500; k++) body.widgets.push({ ...text, y: 10_000 + k * 2 });
    const problems = dashboardBodyProblems(body).join("\n");
    expect(problems).toMatch(/\.alarms: expected 1-100 alarm ARNs, got 101/);
    expect(problems).toMatch(/\.metrics: expected 1-500 metrics/);
    expect(problems).toMatch(/^widgets: \d+ widgets; a dashboard holds at most 500/m);
  });

  it("report every problem at once", () => {
    const body = valid();
    const i = firstOf(body, "metric");
    body.widgets[i].height = 0;
    body.widgets[i].properties.metrics[0][1] = "Nope";
    body.widgets[firstOf(body, "log")].properties.query = "fields @message";
    expect(dashboardBodyProblems(body)).toHaveLength(3);
  });

  it("keep the catalogue's dimension sets sorted (the checks compare them sorted)", () => {
    for (const entry of Object.values(METRIC_CATALOGUE))
      for (const sets of Object.values(entry.metrics)) for (const set of sets) expect([...set].sort()).toEqual(set);
  });
});
