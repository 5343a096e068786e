import { CloudwatchEventBus } from "@cdktn/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventRule } from "@cdktn/provider-aws/lib/cloudwatch-event-rule";
import {
  CloudwatchEventTarget,
  type CloudwatchEventTargetConfig,
} from "@cdktn/provider-aws/lib/cloudwatch-event-target";
import { LambdaFunction } from "@cdktn/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktn/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import type { TerraformStack } from "cdktn";
import { eventBridgeTargetRetryDlq, lambdaTargetOnFailureDestination } from "../../../policy/rules/eventbridge";
import { finding, findings } from "../scratch";

const RETRY = { maximumRetryAttempts: 24, maximumEventAgeInSeconds: 3600 };

/** A rule with one target; `shape` picks the target ARN, DLQ and retry policy. */
function target(
  stack: TerraformStack,
  shape: (parts: {
    queue: SqsQueue;
    dlq: SqsQueue;
    fifo: SqsQueue;
    bus: CloudwatchEventBus;
  }) => Partial<CloudwatchEventTargetConfig>,
) {
  const rule = new CloudwatchEventRule(stack, "rule", {
    name: "orders",
    eventPattern: JSON.stringify({ source: ["shop"] }),
  });
  const parts = {
    queue: new SqsQueue(stack, "queue", { name: "orders", sqsManagedSseEnabled: true }),
    dlq: new SqsQueue(stack, "dlq", {
      name: "orders-dlq",
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1209600,
    }),
    fifo: new SqsQueue(stack, "fifo", {
      name: "orders-dlq.fifo",
      fifoQueue: true,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1209600,
    }),
    bus: new CloudwatchEventBus(stack, "bus", { name: "partner" }),
  };
  new CloudwatchEventTarget(stack, "target", { rule: rule.name, arn: parts.queue.arn, ...shape(parts) });
}

describe("eventbridge-target-retry-dlq (serverless-rules aws_cloudwatch_event_target_no_dlq)", () => {
  it("fails a target with neither DLQ nor retry policy", () => {
    expect(findings(eventBridgeTargetRetryDlq, (s) => target(s, () => ({})))).toEqual([
      finding(
        eventBridgeTargetRetryDlq,
        "aws_cloudwatch_event_target.target",
        "dead_letter_config.arn is not set: events that exhaust retries are dropped",
      ),
      finding(
        eventBridgeTargetRetryDlq,
        "aws_cloudwatch_event_target.target",
        "retry_policy (maximum_retry_attempts, maximum_event_age_in_seconds) is not set explicitly",
      ),
    ]);
  });

  it("fails a FIFO DLQ", () => {
    expect(
      findings(eventBridgeTargetRetryDlq, (s) =>
        target(s, ({ fifo }) => ({ deadLetterConfig: { arn: fifo.arn }, retryPolicy: RETRY })),
      ),
    ).toEqual([
      finding(
        eventBridgeTargetRetryDlq,
        "aws_cloudwatch_event_target.target",
        "dead_letter_config.arn names a FIFO queue (aws_sqs_queue.fifo); EventBridge needs a standard queue",
      ),
    ]);
  });

  it("fails an event-bus target with a retry policy, and one without a DLQ", () => {
    expect(
      findings(eventBridgeTargetRetryDlq, (s) =>
        target(s, ({ bus, dlq }) => ({ arn: bus.arn, deadLetterConfig: { arn: dlq.arn }, retryPolicy: RETRY })),
      ),
    ).toEqual([
      finding(
        eventBridgeTargetRetryDlq,
        "aws_cloudwatch_event_target.target",
        "retry_policy is set on an event-bus target, which takes none",
      ),
    ]);
    const crossAccountBus = "arn:aws:events:eu-west-1:222222222222:event-bus/central";
    expect(findings(eventBridgeTargetRetryDlq, (s) => target(s, () => ({ arn: crossAccountBus })))).toEqual([
      finding(
        eventBridgeTargetRetryDlq,
        "aws_cloudwatch_event_target.target",
        "dead_letter_config.arn is not set: events that exhaust retries are dropped",
      ),
    ]);
  });

  it("passes a queue target with DLQ and retry policy, and an event-bus target with a DLQ and no retry policy", () => {
    expect(
      findings(eventBridgeTargetRetryDlq, (s) =>
        target(s, ({ dlq }) => ({ deadLetterConfig: { arn: dlq.arn }, retryPolicy: RETRY })),
      ),
    ).toEqual([]);
    expect(
      findings(eventBridgeTargetRetryDlq, (s) =>
        target(s, ({ bus, dlq }) => ({ arn: bus.arn, deadLetterConfig: { arn: dlq.arn } })),
      ),
    ).toEqual([]);
  });
});

describe("lambda-target-on-failure-destination", () => {
  const FN = "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order";
  const rule = lambdaTargetOnFailureDestination;
  const TARGET_ADDRESS = "aws_cloudwatch_event_target.target";

  /** A rule whose one target invokes `arn`, and the stack's DLQ; `more` adds the function side. */
  function lambdaTarget(
    stack: TerraformStack,
    arn: (fn: LambdaFunction) => string,
    more: (parts: { fn: LambdaFunction; failures: SqsQueue }) => void,
  ) {
    const rule = new CloudwatchEventRule(stack, "rule", {
      name: "orders",
      eventPattern: JSON.stringify({ source: ["shop"] }),
    });
    const dlq = new SqsQueue(stack, "dlq", { name: "orders-dlq", sqsManagedSseEnabled: true });
    const failures = new SqsQueue(stack, "failures", { name: "cancel-failures", sqsManagedSseEnabled: true });
    const fn = new LambdaFunction(stack, "fn", {
      functionName: "local-fn",
      role: "arn:aws:iam::111111111111:role/r",
      runtime: "nodejs22.x",
      handler: "index.handler",
      filename: "x.zip",
    });
    new CloudwatchEventTarget(stack, "target", {
      rule: rule.name,
      arn: arn(fn),
      retryPolicy: RETRY,
      deadLetterConfig: { arn: dlq.arn },
    });
    more({ fn, failures });
  }
  const onFailure = (q: SqsQueue) => ({ onFailure: { destination: q.arn } });

  it("fails a Lambda target by ARN without an event invoke config", () => {
    expect(
      findings(rule, (s) =>
        lambdaTarget(
          s,
          () => FN,
          () => undefined,
        ),
      ),
    ).toEqual([
      finding(
        rule,
        TARGET_ADDRESS,
        `the function "${FN}" has no aws_lambda_function_event_invoke_config in the stack: after Lambda's retries, events it accepted and failed are dropped`,
      ),
    ]);
  });

  it("fails a target whose function's invoke config has no on-failure destination, naming the config", () => {
    const found = findings(rule, (s) =>
      lambdaTarget(
        s,
        (fn) => fn.arn,
        ({ fn }) =>
          new LambdaFunctionEventInvokeConfig(s, "config", { functionName: fn.functionName, maximumRetryAttempts: 2 }),
      ),
    );
    expect(found).toEqual([
      finding(
        rule,
        TARGET_ADDRESS,
        "aws_lambda_function_event_invoke_config.config sets no destination_config.on_failure.destination: after Lambda's retries, events the function failed are dropped",
      ),
    ]);
  });

  it("fails when the only invoke config is for another function, or another qualifier of the same one", () => {
    const other = findings(rule, (s) =>
      lambdaTarget(
        s,
        () => FN,
        ({ failures }) =>
          new LambdaFunctionEventInvokeConfig(s, "config", {
            functionName: "refund",
            destinationConfig: onFailure(failures),
          }),
      ),
    );
    expect(other.map((f) => f.reason)).toEqual([
      expect.stringMatching(/^the function ".*cancel-order" has no aws_lambda_function_event_invoke_config/),
    ]);
    const alias = findings(rule, (s) =>
      lambdaTarget(
        s,
        () => `${FN}:live`,
        ({ failures }) =>
          new LambdaFunctionEventInvokeConfig(s, "config", {
            functionName: FN,
            destinationConfig: onFailure(failures),
          }),
      ),
    );
    expect(alias.map((f) => f.reason)).toEqual([expect.stringMatching(/^the function ".*cancel-order:live" has no/)]);
    const account = findings(rule, (s) =>
      lambdaTarget(
        s,
        () => FN,
        ({ failures }) =>
          new LambdaFunctionEventInvokeConfig(s, "config", {
            functionName: FN.replace("111111111111", "999999999999"),
            destinationConfig: onFailure(failures),
          }),
      ),
    );
    expect(account).toHaveLength(1);
  });

  it("fails a permission that lets EventBridge invoke a function without one, and a target it cannot identify (fails closed)", () => {
    const found = findings(rule, (s) =>
      lambdaTarget(
        s,
        (fn) => fn.arn,
        ({ fn, failures }) => {
          new LambdaFunctionEventInvokeConfig(s, "config", {
            functionName: fn.functionName,
            destinationConfig: onFailure(failures),
          });
          new LambdaPermission(s, "permission", {
            action: "lambda:InvokeFunction",
            functionName: "billing",
            principal: "events.amazonaws.com",
            sourceArn: "arn:aws:events:eu-west-1:111111111111:rule/x",
          });
        },
      ),
    );
    expect(found).toEqual([
      finding(
        rule,
        "aws_lambda_permission.permission",
        'the function "billing" has no aws_lambda_function_event_invoke_config in the stack: after Lambda\'s retries, events it accepted and failed are dropped',
      ),
    ]);
    const opaque = findings(rule, (s) =>
      lambdaTarget(
        s,
        () => `\${lookup(var.functions, "cancel")}:lambda:x:function:`,
        () => undefined,
      ),
    );
    expect(opaque.map((f) => f.reason)).toEqual([
      expect.stringMatching(
        /^cannot tell which function target arn ".*" is, so no event invoke config can be matched to it/,
      ),
    ]);
  });

  it("passes targets matched by unqualified ARN and qualifier, by function resource, and by name for a name-built ARN", () => {
    expect(
      findings(rule, (s) =>
        lambdaTarget(
          s,
          () => `${FN}:live`,
          ({ failures }) =>
            new LambdaFunctionEventInvokeConfig(s, "config", {
              functionName: FN,
              qualifier: "live",
              destinationConfig: onFailure(failures),
            }),
        ),
      ),
    ).toEqual([]);
    expect(
      findings(rule, (s) =>
        lambdaTarget(
          s,
          (fn) => fn.arn,
          ({ fn, failures }) =>
            new LambdaFunctionEventInvokeConfig(s, "config", {
              functionName: fn.functionName,
              destinationConfig: onFailure(failures),
            }),
        ),
      ),
    ).toEqual([]);
    const built =
      "arn:${data.aws_partition.p.partition}:lambda:${data.aws_region.r.region}:${data.aws_caller_identity.c.account_id}:function:cancel-order";
    expect(
      findings(rule, (s) =>
        lambdaTarget(
          s,
          () => built,
          ({ failures }) =>
            new LambdaFunctionEventInvokeConfig(s, "config", {
              functionName: "cancel-order",
              destinationConfig: onFailure(failures),
            }),
        ),
      ),
    ).toEqual([]);
  });
});
