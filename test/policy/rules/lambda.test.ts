import { CloudwatchEventRule } from "@cdktn/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { LambdaEventSourceMapping } from "@cdktn/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction, type LambdaFunctionConfig } from "@cdktn/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import type { TerraformStack } from "cdktn";
import { lambdaLogRetention, lambdaReservedConcurrency, lambdaXray } from "../../../policy/rules/lambda";
import { finding, findings } from "../scratch";

function fn(stack: TerraformStack, extra: Partial<LambdaFunctionConfig> = {}): LambdaFunction {
  return new LambdaFunction(stack, "fn", {
    functionName: "redrive",
    role: "arn:aws:iam::111111111111:role/redrive",
    runtime: "nodejs22.x",
    handler: "index.handler",
    filename: "dist/redrive.zip",
    tracingConfig: { mode: "Active" },
    reservedConcurrentExecutions: 2,
    ...extra,
  });
}

describe("lambda-xray (CKV_AWS_50)", () => {
  it("fails a function without tracing and one in PassThrough mode", () => {
    expect(findings(lambdaXray, (s) => fn(s, { tracingConfig: undefined }))).toEqual([
      finding(lambdaXray, "aws_lambda_function.fn", 'tracing_config.mode is "unset", expected "Active"'),
    ]);
    expect(findings(lambdaXray, (s) => fn(s, { tracingConfig: { mode: "PassThrough" } }))).toEqual([
      finding(lambdaXray, "aws_lambda_function.fn", 'tracing_config.mode is "PassThrough", expected "Active"'),
    ]);
  });

  it("passes Active tracing", () => {
    expect(findings(lambdaXray, (s) => fn(s))).toEqual([]);
  });
});

describe("lambda-reserved-concurrency (CKV_AWS_115)", () => {
  const at = "aws_lambda_function.fn";
  /** A permission for API Gateway to invoke the function: an event source, unbounded. */
  const invokedByApi = (s: any, f: LambdaFunction) =>
    new LambdaPermission(s, "api", {
      action: "lambda:InvokeFunction",
      functionName: f.functionName,
      principal: "apigateway.amazonaws.com",
    });

  it("fails a function without reserved concurrency that an event source may invoke", () => {
    expect(
      findings(lambdaReservedConcurrency, (s) => invokedByApi(s, fn(s, { reservedConcurrentExecutions: undefined }))),
    ).toEqual([
      finding(lambdaReservedConcurrency, at, 'reserved_concurrent_executions is "unset", expected an integer >= 1'),
    ]);
  });

  it("fails 0, which disables the function", () => {
    expect(findings(lambdaReservedConcurrency, (s) => fn(s, { reservedConcurrentExecutions: 0 }))).toEqual([
      finding(
        lambdaReservedConcurrency,
        at,
        "reserved_concurrent_executions is 0, which disables the function (every invocation is throttled); expected an integer >= 1",
      ),
    ]);
  });

  it("fails -1 (explicitly unreserved) unless waived, and a value below -1", () => {
    expect(
      findings(lambdaReservedConcurrency, (s) => invokedByApi(s, fn(s, { reservedConcurrentExecutions: -1 }))),
    ).toEqual([
      finding(
        lambdaReservedConcurrency,
        at,
        "reserved_concurrent_executions is -1 (unreserved): the function draws on the account's unreserved pool; reserve >= 1, or waive it saying why running unreserved is safe (an app: `resilient-edge check --waivers <file.json>`; the platform: policy/waivers.ts)",
      ),
    ]);
    expect(findings(lambdaReservedConcurrency, (s) => fn(s, { reservedConcurrentExecutions: -2 }))).toEqual([
      finding(lambdaReservedConcurrency, at, "reserved_concurrent_executions is -2, expected an integer >= 1"),
    ]);
  });

  it("passes an unreserved function that only SQS event source mappings with maximum_concurrency invoke; fails it without the cap or with another invoker", () => {
    const consumer = (s: any, mapping: Record<string, unknown>, permission = false) => {
      const f = fn(s, { reservedConcurrentExecutions: undefined });
      new LambdaEventSourceMapping(s, "mapping", {
        eventSourceArn: "arn:aws:sqs:eu-west-1:111111111111:orders",
        functionName: f.arn,
        ...mapping,
      });
      if (permission)
        new LambdaPermission(s, "invoke", {
          action: "lambda:InvokeFunction",
          functionName: f.functionName,
          principal: "events.amazonaws.com",
        });
    };
    expect(
      findings(lambdaReservedConcurrency, (s) => consumer(s, { scalingConfig: { maximumConcurrency: 5 } })),
    ).toEqual([]);
    const unset = [
      finding(lambdaReservedConcurrency, at, 'reserved_concurrent_executions is "unset", expected an integer >= 1'),
    ];
    expect(findings(lambdaReservedConcurrency, (s) => consumer(s, {}))).toEqual(unset);
    expect(
      findings(lambdaReservedConcurrency, (s) => consumer(s, { scalingConfig: { maximumConcurrency: 5 } }, true)),
    ).toEqual(unset);
  });

  it("passes an unreserved function only people and schedule rules invoke; fails it once a pattern rule, another service or a role may", () => {
    const unset = [
      finding(lambdaReservedConcurrency, at, 'reserved_concurrent_executions is "unset", expected an integer >= 1'),
    ];
    const byRule = (s: any, rule: { scheduleExpression?: string; eventPattern?: string }) => {
      const f = fn(s, { reservedConcurrentExecutions: -1 });
      const r = new CloudwatchEventRule(s, "rule", { name: "runs", ...rule });
      new LambdaPermission(s, "schedule", {
        action: "lambda:InvokeFunction",
        functionName: f.functionName,
        principal: "events.amazonaws.com",
        sourceArn: r.arn,
      });
      return f;
    };
    const invokeGrant = (s: any, resource: string) =>
      new IamRolePolicy(s, "grant", {
        role: "worker",
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: resource }],
        }),
      });
    // By hand only (no permission, mapping or grant), or also by a schedule: bounded.
    expect(findings(lambdaReservedConcurrency, (s) => fn(s, { reservedConcurrentExecutions: -1 }))).toEqual([]);
    expect(findings(lambdaReservedConcurrency, (s) => byRule(s, { scheduleExpression: "rate(1 hour)" }))).toEqual([]);
    // An event pattern, another service, or a role of the stack allowed to invoke it (by its ARN or on "*"): not.
    const pattern = JSON.stringify({ source: ["acme"] });
    expect(findings(lambdaReservedConcurrency, (s) => byRule(s, { eventPattern: pattern })).length).toBe(1);
    expect(
      findings(lambdaReservedConcurrency, (s) => invokedByApi(s, fn(s, { reservedConcurrentExecutions: undefined }))),
    ).toEqual(unset);
    expect(
      findings(lambdaReservedConcurrency, (s) => {
        const f = fn(s, { reservedConcurrentExecutions: undefined });
        invokeGrant(s, f.arn);
      }),
    ).toEqual(unset);
    expect(
      findings(lambdaReservedConcurrency, (s) => {
        fn(s, { reservedConcurrentExecutions: undefined });
        invokeGrant(s, "*");
      }),
    ).toEqual(unset);
  });

  it("passes a reservation of 1 or more", () => {
    expect(findings(lambdaReservedConcurrency, (s) => fn(s))).toEqual([]);
    expect(findings(lambdaReservedConcurrency, (s) => fn(s, { reservedConcurrentExecutions: 1 }))).toEqual([]);
  });
});

describe("lambda-log-retention", () => {
  it("fails a function with no managed log group", () => {
    expect(findings(lambdaLogRetention, (s) => fn(s))).toEqual([
      finding(
        lambdaLogRetention,
        "aws_lambda_function.fn",
        "no aws_cloudwatch_log_group for the function's logs (/aws/lambda/redrive): Lambda would create one that never expires",
      ),
    ]);
  });

  it("fails a function whose /aws/lambda/<name> log group never expires", () => {
    const result = findings(lambdaLogRetention, (s) => {
      fn(s);
      new CloudwatchLogGroup(s, "logs", { name: "/aws/lambda/redrive" });
    });
    expect(result).toEqual([
      finding(
        lambdaLogRetention,
        "aws_lambda_function.fn",
        'its log group aws_cloudwatch_log_group.logs has retention_in_days "unset": logs never expire',
      ),
    ]);
  });

  it("passes a log group found by literal name, by function-name reference, or by logging_config", () => {
    const byName = findings(lambdaLogRetention, (s) => {
      fn(s);
      new CloudwatchLogGroup(s, "logs", { name: "/aws/lambda/redrive", retentionInDays: 30 });
    });
    expect(byName).toEqual([]);
    const byRef = findings(lambdaLogRetention, (s) => {
      const f = fn(s);
      new CloudwatchLogGroup(s, "logs", { name: `/aws/lambda/${f.functionName}`, retentionInDays: 30 });
    });
    expect(byRef).toEqual([]);
    const byConfig = findings(lambdaLogRetention, (s) => {
      const g = new CloudwatchLogGroup(s, "logs", { name: "/platform/redrive", retentionInDays: 90 });
      fn(s, { loggingConfig: { logFormat: "JSON", logGroup: g.name } });
    });
    expect(byConfig).toEqual([]);
  });
});
