import { Testing, TerraformOutput, TerraformStack } from "cdktn";
import { EventRouting, type EventRoutingProps } from "../../../modules/events/event-routing";
import type { LambdaTargetOptions } from "../../../modules/events/targets";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:alarms";
const FUNCTION = "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order";
const ROLE = "arn:aws:iam::111111111111:role/service/cancel-order-role";
const OWNED_QUEUE = "arn:aws:sqs:eu-west-1:111111111111:billing-refund-failures";

const lambda = (name: string, extra: Partial<LambdaTargetOptions>): LambdaTargetOptions => ({
  kind: "lambda",
  name,
  asyncInvoke: { executionRoleArn: ROLE },
  ...extra,
});

const PROPS: EventRoutingProps = {
  namePrefix: "t",
  alarmTopicArn: TOPIC,
  region: "eu-west-1",
  accountId: "111111111111",
  rules: [
    {
      name: "cancelled",
      eventPattern: { source: ["acme.orders"] },
      targets: [
        lambda("cancel", { functionArn: FUNCTION }),
        lambda("notify", {
          functionName: "notify:live",
          asyncInvoke: {
            executionRoleArn: ROLE,
            maximumRetryAttempts: 0,
            maximumEventAgeInSeconds: 600,
            encryption: "kms",
          },
        }),
        lambda("refund", {
          functionName: "refund",
          asyncInvoke: { ownedByAnotherStack: { onFailureDestination: { arn: OWNED_QUEUE } } },
        }),
      ],
    },
  ],
};

const ref = (type: string, id: string, attr: string) => `\${${type}.${id}.${attr}}`;
const byName = (json: TerraformJson, type: string, field: string, value: string): [string, any] => {
  const hit = Object.entries(json.resource[type] ?? {}).find(([, body]) => (body as any)[field] === value);
  if (!hit) throw new Error(`no ${type} with ${field} ${value}`);
  return hit as [string, any];
};

describe("EventRouting: Lambda targets' on-failure destinations", () => {
  let json: TerraformJson;
  let routing: EventRouting;
  let rendered: Record<string, any>;
  beforeAll(() => {
    const text = synthScratch((stack) => {
      routing = new EventRouting(stack, "events", PROPS);
      for (const [i, r] of routing.deadLetterRoutes.entries())
        new TerraformOutput(stack, `route-${i}`, { value: { ...r } });
    });
    json = JSON.parse(text);
    rendered = Object.fromEntries(Object.entries((json as any).output).map(([k, v]: [string, any]) => [k, v.value]));
  });

  it("configures the function's asynchronous invocation: explicit retries and event age (defaults 2 / 3600 s), on failure to its own queue", () => {
    const configs = json.resource.aws_lambda_function_event_invoke_config;
    expect(Object.keys(configs)).toHaveLength(2);
    const [cancelQueueId] = byName(json, "aws_sqs_queue", "name", "t-cancel-async-failures");
    const [, cancel] = byName(json, "aws_lambda_function_event_invoke_config", "function_name", FUNCTION);
    expect(cancel).toMatchObject({
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
      destination_config: { on_failure: { destination: ref("aws_sqs_queue", cancelQueueId, "arn") } },
    });
    expect(cancel.qualifier).toBeUndefined();
    const [policyId] = byName(json, "aws_iam_role_policy", "name", "t-cancel-async-failures-send");
    expect(cancel.depends_on).toEqual([`aws_iam_role_policy.${policyId}`]);
    const [, notify] = byName(json, "aws_lambda_function_event_invoke_config", "function_name", "notify");
    expect(notify).toMatchObject({ qualifier: "live", maximum_retry_attempts: 0, maximum_event_age_in_seconds: 600 });
  });

  it("creates a standard queue per function: encrypted (SQS-managed by default, else the module's key), 14-day retention, 1 MiB, no SQS sources", () => {
    const [, cancel] = byName(json, "aws_sqs_queue", "name", "t-cancel-async-failures");
    expect(cancel).toMatchObject({
      fifo_queue: false,
      message_retention_seconds: 1209600,
      max_message_size: 1048576,
      sqs_managed_sse_enabled: true,
      redrive_allow_policy: JSON.stringify({ redrivePermission: "denyAll" }),
    });
    const [, notify] = byName(json, "aws_sqs_queue", "name", "t-notify-async-failures");
    expect(notify.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(() => byName(json, "aws_sqs_queue", "name", "t-refund-async-failures")).toThrow();
  });

  it("lets only the function's execution role send to its queue, and grants the role exactly that (and the key through SQS)", () => {
    const [queueId] = byName(json, "aws_sqs_queue", "name", "t-cancel-async-failures");
    const queueArn = ref("aws_sqs_queue", queueId, "arn");
    const [, policy] = Object.entries(json.resource.aws_sqs_queue_policy).find(
      ([, p]: [string, any]) => p.queue_url === ref("aws_sqs_queue", queueId, "url"),
    ) as [string, any];
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: "FunctionRoleSendsFailureRecords",
        Effect: "Allow",
        Principal: { AWS: ROLE },
        Action: "sqs:SendMessage",
        Resource: queueArn,
      },
      {
        Sid: "DenySendFromAnyoneElse",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnNotEquals: { "aws:PrincipalArn": ROLE } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    const [, rolePolicy] = byName(json, "aws_iam_role_policy", "name", "t-cancel-async-failures-send");
    expect(rolePolicy.role).toBe("cancel-order-role");
    expect(JSON.parse(rolePolicy.policy).Statement).toEqual([
      { Sid: "SendFailureRecords", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: queueArn },
    ]);
    const [, kmsPolicy] = byName(json, "aws_iam_role_policy", "name", "t-notify-async-failures-send");
    expect(JSON.parse(kmsPolicy.policy).Statement[1]).toEqual({
      Sid: "EncryptFailureRecords",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/),
      Condition: {
        StringEquals: {
          "kms:ViaService": expect.stringMatching(
            /^sqs\.\$\{data\.aws_region\..+\}\.\$\{data\.aws_partition\..+\.dns_suffix\}$/,
          ),
        },
      },
    });
  });

  it("alarms on the queue's depth and age and on the function's AsyncEventsDropped and DestinationDeliveryFailures, to the topic", () => {
    const alarm = (name: string) => byName(json, "aws_cloudwatch_metric_alarm", "alarm_name", name)[1];
    expect(alarm("t-cancel-async-failures-visible-messages")).toMatchObject({
      namespace: "AWS/SQS",
      metric_name: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "t-cancel-async-failures" },
      threshold: 0,
    });
    expect(alarm("t-cancel-async-failures-oldest-message-age")).toMatchObject({
      metric_name: "ApproximateAgeOfOldestMessage",
    });
    for (const [name, metric] of [
      ["t-cancel-async-events-dropped", "AsyncEventsDropped"],
      ["t-cancel-destination-delivery-failures", "DestinationDeliveryFailures"],
      ["t-notify-async-events-dropped", "AsyncEventsDropped"],
    ]) {
      const fn = name.startsWith("t-cancel") ? "cancel-order" : "notify";
      expect(alarm(name)).toEqual(
        expect.objectContaining({
          namespace: "AWS/Lambda",
          metric_name: metric,
          dimensions: { FunctionName: fn },
          statistic: "Sum",
          comparison_operator: "GreaterThanThreshold",
          threshold: 0,
          alarm_actions: [TOPIC],
          ok_actions: [TOPIC],
        }),
      );
    }
    // The function configured by another stack is alarmed by its owner: no alarm here names it.
    expect(
      Object.values(json.resource.aws_cloudwatch_metric_alarm).filter(
        (a: any) => /refund/.test(a.alarm_name) && a.namespace !== "AWS/SQS",
      ),
    ).toEqual([]);
  });

  it("adds each destination queue to the dead-letter routes (source lambda-on-failure), including the one another stack owns", () => {
    const routes = routing.deadLetterRoutes.map((r, i) => ({
      ...rendered[`route-${i}`],
      source: r.source ?? "eventbridge",
    }));
    const failures = routes.filter((r) => r.source === "lambda-on-failure");
    const [cancelQueueId] = byName(json, "aws_sqs_queue", "name", "t-cancel-async-failures");
    expect(failures.map((r) => r.targetName)).toEqual(["cancel", "notify", "refund"]);
    expect(failures[0]).toMatchObject({
      targetKind: "lambda",
      targetArn: FUNCTION,
      dlqArn: ref("aws_sqs_queue", cancelQueueId, "arn"),
      dlqUrl: ref("aws_sqs_queue", cancelQueueId, "url"),
    });
    expect(failures[1].dlqKmsKeyArn).toMatch(/aws_kms_key/);
    expect(failures[2]).toMatchObject({
      dlqArn: OWNED_QUEUE,
      dlqUrl: expect.stringMatching(/^https:\/\/sqs\.eu-west-1\..+\/111111111111\/billing-refund-failures$/),
    });
    // The by-name lookup still gives the EventBridge DLQ.
    expect(routing.deadLetterRoute("cancel").source).toBeUndefined();
  });
});

describe("EventRouting: Lambda targets' on-failure destinations, bad input", () => {
  const problemsOf = (target: LambdaTargetOptions): string[] => {
    try {
      new EventRouting(new TerraformStack(Testing.app(), "bad"), "events", {
        ...PROPS,
        rules: [{ ...PROPS.rules![0], targets: [target] }],
      });
    } catch (err) {
      expect(err).toBeInstanceOf(PropsError);
      return [...(err as PropsError).problems];
    }
    throw new Error("expected a PropsError");
  };
  const at = "rules[0].targets[0].asyncInvoke";

  it.each<[string, LambdaTargetOptions, string[]]>([
    [
      "no asyncInvoke",
      { kind: "lambda", name: "cancel", functionArn: FUNCTION } as unknown as LambdaTargetOptions,
      [
        `${at}: required field is missing: give executionRoleArn (the module creates the function's on-failure destination queue) or ownedByAnotherStack.onFailureDestination`,
      ],
    ],
    [
      "neither role nor owner",
      lambda("cancel", { functionArn: FUNCTION, asyncInvoke: {} }),
      [`${at}.executionRoleArn: expected exactly one of executionRoleArn and ownedByAnotherStack`],
    ],
    [
      "both role and owner",
      lambda("cancel", {
        functionArn: FUNCTION,
        asyncInvoke: { executionRoleArn: ROLE, ownedByAnotherStack: { onFailureDestination: { arn: OWNED_QUEUE } } },
      }),
      [`${at}.executionRoleArn: expected exactly one of executionRoleArn and ownedByAnotherStack`],
    ],
    [
      "retries and age out of Lambda's range",
      lambda("cancel", {
        functionArn: FUNCTION,
        asyncInvoke: { executionRoleArn: ROLE, maximumRetryAttempts: 3, maximumEventAgeInSeconds: 59 },
      }),
      [
        `${at}.maximumRetryAttempts: expected a number <= 2, got 3`,
        `${at}.maximumEventAgeInSeconds: expected a number >= 60, got 59`,
      ],
    ],
    [
      "a role in another account",
      lambda("cancel", {
        functionArn: FUNCTION,
        asyncInvoke: { executionRoleArn: "arn:aws:iam::999999999999:role/x" },
      }),
      [`${at}.executionRoleArn: expected the function's role in account 111111111111, got one in 999999999999`],
    ],
    [
      "not a role ARN",
      lambda("cancel", { functionArn: FUNCTION, asyncInvoke: { executionRoleArn: "cancel-order-role" } }),
      [`${at}.executionRoleArn: expected an IAM role ARN`],
    ],
    [
      "another stack's function with settings only the module applies",
      lambda("cancel", {
        functionArn: FUNCTION,
        asyncInvoke: { maximumRetryAttempts: 1, ownedByAnotherStack: { onFailureDestination: { arn: OWNED_QUEUE } } },
      }),
      [`${at}.maximumRetryAttempts: applies only when the module configures the function`],
    ],
    [
      "another stack's destination in another account",
      lambda("cancel", {
        functionArn: FUNCTION,
        asyncInvoke: { ownedByAnotherStack: { onFailureDestination: { arn: "arn:aws:sqs:eu-west-1:999999999999:q" } } },
      }),
      [
        `${at}.ownedByAnotherStack.onFailureDestination.arn: expected a queue in account 111111111111, got one in 999999999999`,
      ],
    ],
    [
      "another stack's destination not a standard queue",
      lambda("cancel", {
        functionArn: FUNCTION,
        asyncInvoke: {
          ownedByAnotherStack: { onFailureDestination: { arn: "arn:aws:sqs:eu-west-1:111111111111:q.fifo" } },
        },
      }),
      [
        `${at}.ownedByAnotherStack.onFailureDestination.arn: expected a standard queue: Lambda's on-failure destination cannot be a FIFO queue`,
      ],
    ],
  ])("%s: PropsError names the field", (_case, target, expected) => {
    const problems = problemsOf(target);
    expect(problems).toHaveLength(expected.length);
    for (const [i, text] of expected.entries()) expect(problems[i].startsWith(text)).toBe(true);
  });
});
