/** OperationsDashboard as a product team uses it on its own stack: alarms found at synth, props errors, checks at synth. */
import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import type { TerraformStack } from "cdktn";
import { OperationsDashboard } from "../../../modules/dashboard/operations-dashboard";
import { graphs } from "../../../modules/dashboard/widgets";
import { metricsOf, parseDashboardBody } from "../../helpers/dashboard-body";
import { synthScratch } from "../../helpers/synth";

function alarm(stack: TerraformStack, id: string) {
  return new CloudwatchMetricAlarm(stack, id, {
    alarmName: id,
    namespace: "AWS/SQS",
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: "q" },
    statistic: "Maximum",
    period: 60,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
  });
}

function dashboardOf(build: (stack: TerraformStack) => void) {
  const json = JSON.parse(synthScratch(build));
  const [d] = Object.values<any>(json.resource.aws_cloudwatch_dashboard);
  return { name: d.dashboard_name, body: parseDashboardBody(d.dashboard_body) };
}

describe("OperationsDashboard", () => {
  it("shows every alarm of the stack, those created after it too, a hundred to a widget", () => {
    const { body } = dashboardOf((stack) => {
      alarm(stack, "before");
      new OperationsDashboard(stack, "ops", { name: "shop-operations" });
      for (let i = 0; i < 150; i++) alarm(stack, `after-${i}`);
    });
    const widgets = body.widgets.filter((w: any) => w.type === "alarm");
    expect(widgets.map((w: any) => w.properties.alarms.length)).toEqual([100, 51]);
    expect(widgets[0].properties.alarms[0]).toMatch(/aws_cloudwatch_metric_alarm\.before\.arn/);
    expect(body.widgets[0].properties.markdown).toMatch(/^## Alarms \(151\)/);
  });

  it("shows only the alarms given when alarmArns is set, and no alarm rows for none", () => {
    const given = dashboardOf((stack) => {
      alarm(stack, "other");
      new OperationsDashboard(stack, "ops", {
        name: "a",
        alarmArns: ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:x"],
      });
    });
    expect(given.body.widgets.find((w: any) => w.type === "alarm").properties.alarms).toEqual([
      "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:x",
    ]);
    const none = dashboardOf((stack) => new OperationsDashboard(stack, "ops", { name: "b", alarmArns: [] }));
    expect(none.body.widgets).toEqual([]);
  });

  it("draws a consumer from references: queue, function, duration and the failed records from its log group", () => {
    const { body } = dashboardOf((stack) => {
      const a = alarm(stack, "x");
      new OperationsDashboard(stack, "ops", {
        name: "shop-operations",
        consumers: [
          {
            name: "orders",
            queueName: a.alarmName,
            functionName: "shop-orders",
            logGroupName: "/aws/lambda/shop-orders",
          },
        ],
        alarmArns: [],
      });
    });
    const metrics = metricsOf(body);
    expect(metrics.map((m) => `${m.namespace} ${m.name} ${m.stat}`)).toEqual([
      "AWS/SQS ApproximateNumberOfMessagesVisible Maximum",
      "AWS/SQS ApproximateAgeOfOldestMessage Maximum",
      "AWS/Lambda Errors Sum",
      "AWS/Lambda Throttles Sum",
      "AWS/Lambda Duration p50",
      "AWS/Lambda Duration p99",
      "AWS/Lambda Duration Maximum",
    ]);
    expect(metrics[0].dimensions).toEqual({ QueueName: "<ref aws_cloudwatch_metric_alarm.x.alarm_name>" });
    const log = body.widgets.find((w: any) => w.type === "log");
    expect(log.properties.query).toBe(
      `SOURCE '/aws/lambda/shop-orders' | filter event = "consumer.record-failed" | stats count(*) as failedRecords by bin(300s)`,
    );
  });

  it("fails the synth, naming CloudWatch's limit, when a stack has more than a dashboard holds", () => {
    const queues = Array.from({ length: 300 }, (_, i) => ({
      name: `q${i}`,
      queueName: `q${i}`,
      queueUrl: `https://sqs.eu-west-1.amazonaws.com/111111111111/q${i}`,
    }));
    expect(() =>
      synthScratch(
        (stack) => new OperationsDashboard(stack, "ops", { name: "big", deadLetterQueues: queues, alarmArns: [] }),
      ),
    ).toThrow(/OperationsDashboard ops: invalid props:\n {2}widgets: 606 widgets; a dashboard holds at most 500/);
  });

  it("splits a graph at CloudWatch's 500 metrics per graph", () => {
    const metric = {
      namespace: "AWS/SQS",
      metricName: "NumberOfMessagesSent",
      dimensions: { QueueName: "q" },
      stat: "Sum",
    };
    const split = graphs("Sent", Array(1001).fill(metric), { region: "eu-west-1", periodSeconds: 60 });
    expect(split.map((w) => [w.properties.title, (w.properties.metrics as unknown[]).length])).toEqual([
      ["Sent (1 of 3)", 500],
      ["Sent (2 of 3)", 500],
      ["Sent (3 of 3)", 1],
    ]);
  });

  it("reports every bad prop at once, by path", () => {
    expect(() =>
      synthScratch(
        (stack) =>
          new OperationsDashboard(stack, "ops", {
            name: "shop operations",
            periodSeconds: 90,
            consumers: [{ name: "", queueName: "q", functionName: "f" }],
            deadLetterQueues: [{ name: "d", queueName: "d" } as never],
          }),
      ),
    ).toThrow(
      /OperationsDashboard ops: invalid props:\n {2}name: expected letters, digits, '-' or '_'.*\n {2}consumers\[0\]\.name: expected at least 1 character.*\n {2}deadLetterQueues\[0\]\.queueUrl: .*\n {2}periodSeconds: expected a multiple of 60/s,
    );
  });
});
