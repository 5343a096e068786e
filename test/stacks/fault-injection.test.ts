/** The `faultInjection` section: references resolved to the environment's own functions and alarms, refused when they cannot be. */
import { configProblemsOf, exampleConfig } from "../helpers/env-fixtures";
import { environmentJson } from "../helpers/synth";
import { all, one } from "../modules/api/fixtures";

const staging = environmentJson("staging");
const name = (ref: string) => ref.replace(/^\$\{([^.]+)\.([^.]+)\..*$/, "$1.$2");

/** The staging fixture with its faultInjection section changed. */
function withFaults(edit: (fi: any, c: any) => void): Record<string, any> {
  const c = exampleConfig("staging");
  edit(c.faultInjection, c);
  return c;
}

describe("faultInjection in an environment", () => {
  it("templates each experiment on the faulted consumer, stopped by the API's 5XX and the consumer's DLQ and backlog alarms", () => {
    const t = one(staging, "aws_fis_experiment_template", (x) => x.tags.Name === "staging-orders-errors");
    expect(t.target[0].resource_arns.map(name)).toEqual([
      expect.stringMatching(/^aws_lambda_function\.consumer-orders_function_/),
    ]);
    expect(t.stop_condition.map((c: any) => name(c.value))).toEqual([
      expect.stringMatching(/^aws_cloudwatch_metric_alarm\.api_alarms_server-errors_/),
      expect.stringMatching(/^aws_cloudwatch_metric_alarm\.consumer-orders_alarms_dead-letters_/),
      expect.stringMatching(/^aws_cloudwatch_metric_alarm\.consumer-orders_alarms_oldest-message-age_/),
    ]);
    expect(staging.output?.["fault-injection-experiments"]).toBeDefined();
  });

  it("readies only the faulted functions: the consumer carries the extension, the redrive does not", () => {
    const fns = all(staging, "aws_lambda_function");
    const consumer = fns.find((f) => f.function_name === "staging-orders")!;
    const redrive = fns.find((f) => f.function_name === "staging-redrive")!;
    expect(consumer.layers).toHaveLength(1);
    expect(consumer.environment.variables.AWS_LAMBDA_EXEC_WRAPPER).toBe("/opt/aws-fis/bootstrap");
    expect(redrive.layers).toBeUndefined();
    expect(redrive.environment.variables.AWS_LAMBDA_EXEC_WRAPPER).toBeUndefined();
  });

  it("creates nothing where the section is absent (dev, prod)", () => {
    for (const env of ["dev", "prod"]) {
      const json = environmentJson(env);
      expect(json.resource.aws_fis_experiment_template).toBeUndefined();
      expect(json.resource.aws_s3_bucket).toBeUndefined();
      expect(all(json, "aws_lambda_function").filter((f) => f.layers)).toEqual([]);
    }
  });

  it("refuses production without the opt-in, unknown references, and a replaced response on a consumer (a loss)", () => {
    const prod = exampleConfig("prod");
    prod.faultInjection = withFaults(() => undefined).faultInjection;
    const problems = configProblemsOf({
      prod,
      staging: withFaults((fi) => {
        fi.experiments[0].functions = ["consumer:nope", "redrive"];
        fi.experiments[0].stopOn = ["consumer:nope:errors"];
        fi.experiments[1] = {
          name: "orders-503",
          action: "invocation-http-integration-response",
          statusCode: 503,
          functions: ["consumer:orders", "lambda-target:order-cancelled/cancel-order", "lambda-target:x/y"],
          duration: "PT2M",
        };
      }),
    });
    expect(problems.map((p) => `${p.file} ${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^prod\.json faultInjection\.allowInProduction: this is a production environment/),
      "staging.json faultInjection.experiments[0].functions[0]: consumer:nope: no consumer named nope (consumers: orders)",
      "staging.json faultInjection.experiments[0].stopOn[0]: consumer:nope: no consumer named nope (consumers: orders)",
      expect.stringMatching(
        /^staging\.json faultInjection\.experiments\[1\]\.functions\[0\]: consumer:orders: a replaced response has no batchItemFailures/,
      ),
      expect.stringMatching(
        /^staging\.json faultInjection\.experiments\[1\]\.functions\[1\]: lambda-target:order-cancelled\/cancel-order: it is invoked asynchronously/,
      ),
      "staging.json faultInjection.experiments[1].functions[2]: lambda-target:x/y: events.rules has no lambda target y in rule x",
    ]);
  });

  it("asks for stop alarms when the default gives none (no API, no consumer faulted)", () => {
    const problems = configProblemsOf({
      staging: withFaults((fi, c) => {
        delete c.api;
        c.consumers = [];
        delete c.outbox;
        fi.experiments = [{ name: "r", action: "invocation-error", functions: ["redrive"], duration: "PT1M" }];
      }),
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toContainEqual(
      expect.stringMatching(/^faultInjection\.experiments\[0\]\.stopOn: name 1-5 alarms that stop it: .* gives 0$/),
    );
  });

  it("reports a malformed reference once, in the schema's words (the cross-field check leaves it alone)", () => {
    const problems = configProblemsOf({
      staging: withFaults((fi) => {
        fi.experiments[0].stopOn = ["api:5xx"];
        fi.experiments[0].functions = ["lambda:orders"];
      }),
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'faultInjection.experiments[0].functions[0]: expected consumer:<name>, redrive or lambda-target:<rule>/<target>, got "lambda:orders"',
      'faultInjection.experiments[0].stopOn[0]: expected api:5xx-errors, consumer:<name>:(errors|throttles|dead-letters|oldest-message-age) or redrive:errors, got "api:5xx"',
    ]);
  });
});
