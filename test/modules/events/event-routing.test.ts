import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { Lazy, TerraformOutput, Testing, TerraformStack } from "cdktn";
import { EventRouting, type EventRoutingProps } from "../../../modules/events/event-routing";
import type { EventTargetOptions } from "../../../modules/events/targets";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:test-alarms";
const PARTNER_BUS = "arn:aws:events:eu-west-1:222222222222:event-bus/partner";
const FUNCTION = "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order";
const ROLE = "arn:aws:iam::111111111111:role/cancel-order";
const ASYNC = { executionRoleArn: ROLE };

const BASE: EventRoutingProps = {
  namePrefix: "test",
  alarmTopicArn: TOPIC,
  region: "eu-west-1",
  accountId: "111111111111",
  defaultRetryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 600 },
  dlqOldestMessageAgeAlarmSeconds: 900,
  archive: { retentionDays: 3 },
  rules: [
    {
      name: "placed",
      description: "orders placed",
      eventPattern: { source: ["acme.orders"], "detail-type": ["order.placed"] },
      targets: [
        { kind: "sqs", name: "orders", queue: { maxReceiveCount: 7, visibilityTimeoutSeconds: 90 } },
        { kind: "event-bus", name: "partner", eventBusArn: PARTNER_BUS },
      ],
    },
    {
      name: "cancelled",
      eventPattern: '{ "source": ["acme.orders"], "detail-type": ["order.cancelled"] }',
      targets: [
        {
          kind: "lambda",
          name: "cancel",
          functionArn: FUNCTION,
          asyncInvoke: ASYNC,
          retryPolicy: { maximumRetryAttempts: 2 },
          inputTransformer: { inputPaths: { id: "$.detail.id" }, inputTemplate: '{"id": <id>}' },
        },
      ],
    },
  ],
};

/** Synthesizes one EventRouting in a scratch stack; returns the JSON and the construct. */
function synth(props: EventRoutingProps): { json: TerraformJson; routing: EventRouting } {
  let routing!: EventRouting;
  const text = synthScratch((stack) => {
    routing = new EventRouting(stack, "events", props);
  });
  return { json: JSON.parse(text), routing };
}

/** Synthesizes EventRouting and renders `pick(routing)` through Terraform outputs, so that its tokens read as references. */
function rendered(props: EventRoutingProps, pick: (r: EventRouting) => Record<string, unknown>): Record<string, any> {
  const text = synthScratch((stack) => {
    const r = new EventRouting(stack, "events", props);
    for (const [key, value] of Object.entries(pick(r))) new TerraformOutput(stack, key, { value });
  });
  return Object.fromEntries(Object.entries(JSON.parse(text).output).map(([k, v]: [string, any]) => [k, v.value]));
}

/** The problems of a PropsError thrown while constructing EventRouting with `props`. */
function problemsOf(
  props: EventRoutingProps,
  withProvider?: { region: string; allowedAccountIds: string[] },
): string[] {
  const stack = new TerraformStack(Testing.app(), "bad");
  if (withProvider) new AwsProvider(stack, "aws", withProvider);
  try {
    new EventRouting(stack, "events", props);
  } catch (err) {
    expect(err).toBeInstanceOf(PropsError);
    return [...(err as PropsError).problems];
  }
  throw new Error("expected a PropsError");
}

/** BASE with the targets of rule `rule` replaced. */
function withTargets(rule: number, targets: EventTargetOptions[]): EventRoutingProps {
  return { ...BASE, rules: BASE.rules!.map((r, i) => (i === rule ? { ...r, targets } : r)) };
}

const byName = (json: TerraformJson, type: string, name: string): [string, any] => {
  const hit = Object.entries(json.resource[type] ?? {}).find(
    ([, r]) => r.name === name || r.alarm_name === name || r.target_id === name,
  );
  if (!hit) throw new Error(`no ${type} named ${name}`);
  return hit;
};
const ref = (type: string, id: string, attr: string) => `\${${type}.${id}.${attr}}`;
const policyOn = (json: TerraformJson, queueId: string): any => {
  const hit = Object.values(json.resource.aws_sqs_queue_policy).find(
    (p: any) => p.queue_url === ref("aws_sqs_queue", queueId, "url"),
  );
  if (!hit) throw new Error(`no policy on ${queueId}`);
  return JSON.parse((hit as any).policy);
};

describe("EventRouting", () => {
  const { json, routing } = synth(BASE);
  const [placedId] = byName(json, "aws_cloudwatch_event_rule", "test-placed");
  const [cancelledId] = byName(json, "aws_cloudwatch_event_rule", "test-cancelled");
  const placedArn = ref("aws_cloudwatch_event_rule", placedId, "arn");
  const cancelledArn = ref("aws_cloudwatch_event_rule", cancelledId, "arn");

  it("creates a custom bus, and rules on it with the event pattern as compact JSON", () => {
    const [busId, bus] = byName(json, "aws_cloudwatch_event_bus", "test-events");
    expect(bus.name).toBe("test-events");
    const [, rule] = byName(json, "aws_cloudwatch_event_rule", "test-cancelled");
    expect(rule).toMatchObject({
      event_bus_name: ref("aws_cloudwatch_event_bus", busId, "name"),
      event_pattern: '{"source":["acme.orders"],"detail-type":["order.cancelled"]}',
      state: "ENABLED",
    });
    expect(routing.eventBusName).toBe("test-events");
  });

  it("archives the bus's events with the given retention", () => {
    const [busId] = byName(json, "aws_cloudwatch_event_bus", "test-events");
    expect(Object.values(json.resource.aws_cloudwatch_event_archive)).toEqual([
      expect.objectContaining({
        name: "test-events-archive",
        event_source_arn: ref("aws_cloudwatch_event_bus", busId, "arn"),
        retention_days: 3,
      }),
    ]);
  });

  it("gives SQS and Lambda targets an explicit retry policy: the default, overridden field by field", () => {
    expect(byName(json, "aws_cloudwatch_event_target", "orders")[1].retry_policy).toEqual({
      maximum_retry_attempts: 5,
      maximum_event_age_in_seconds: 600,
    });
    expect(byName(json, "aws_cloudwatch_event_target", "cancel")[1].retry_policy).toEqual({
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 600,
    });
  });

  it("uses EventBridge's own defaults nowhere: without a default in props, targets still get 24 attempts / 3600 s", () => {
    const { json: j } = synth({ ...BASE, defaultRetryPolicy: undefined });
    expect(byName(j, "aws_cloudwatch_event_target", "orders")[1].retry_policy).toEqual({
      maximum_retry_attempts: 24,
      maximum_event_age_in_seconds: 3600,
    });
  });

  it("gives an event-bus target no retry policy, and the role EventBridge assumes", () => {
    const [, target] = byName(json, "aws_cloudwatch_event_target", "partner");
    expect(target.retry_policy).toBeUndefined();
    const [roleId] = byName(json, "aws_iam_role", "test-partner-put-events");
    expect(target.role_arn).toBe(ref("aws_iam_role", roleId, "arn"));
    expect(target.arn).toBe(PARTNER_BUS);
  });

  it("points every target's dead_letter_config at its own DLQ", () => {
    for (const name of ["orders", "partner", "cancel"]) {
      const [, target] = byName(json, "aws_cloudwatch_event_target", name);
      const [dlqId] = byName(json, "aws_sqs_queue", `test-${name}-delivery-dlq`);
      expect(target.dead_letter_config).toEqual({ arn: ref("aws_sqs_queue", dlqId, "arn") });
    }
  });

  it("makes each DLQ a standard queue, SQS-managed SSE by default, 14-day retention, explicit max message size, no SQS sources", () => {
    for (const name of ["orders", "partner", "cancel"]) {
      const [, dlq] = byName(json, "aws_sqs_queue", `test-${name}-delivery-dlq`);
      expect(dlq).toMatchObject({
        fifo_queue: false,
        sqs_managed_sse_enabled: true,
        message_retention_seconds: 1209600,
        max_message_size: 1048576,
      });
      expect(dlq.kms_master_key_id).toBeUndefined();
      expect(JSON.parse(dlq.redrive_allow_policy)).toEqual({ redrivePermission: "denyAll" });
    }
    expect(json.resource.aws_kms_key).toBeUndefined();
  });

  it("lets only EventBridge, for that target's rule, send to a DLQ (exact policy)", () => {
    for (const [name, ruleArn] of [
      ["orders", placedArn],
      ["partner", placedArn],
      ["cancel", cancelledArn],
    ]) {
      const [dlqId] = byName(json, "aws_sqs_queue", `test-${name}-delivery-dlq`);
      const dlqArn = ref("aws_sqs_queue", dlqId, "arn");
      expect(policyOn(json, dlqId)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EventBridgeRuleSendsFailedEvents",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: dlqArn,
            Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
          },
          {
            Sid: "DenySendFromAnyoneElse",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:SendMessage",
            Resource: dlqArn,
            Condition: { ArnNotEquals: { "aws:SourceArn": ruleArn } },
          },
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:*",
            Resource: dlqArn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      });
    }
  });

  it("gives a target queue its own DLQ (redrive_policy with maxReceiveCount) and a redrive-allow policy naming the queue", () => {
    const [queueId, queue] = byName(json, "aws_sqs_queue", "test-orders");
    const [dlqId, dlq] = byName(json, "aws_sqs_queue", "test-orders-dlq");
    expect(queue).toMatchObject({
      visibility_timeout_seconds: 90,
      message_retention_seconds: 345600,
      max_message_size: 1048576,
      sqs_managed_sse_enabled: true,
    });
    expect(JSON.parse(queue.redrive_policy)).toEqual({
      deadLetterTargetArn: ref("aws_sqs_queue", dlqId, "arn"),
      maxReceiveCount: 7,
    });
    expect(dlq).toMatchObject({ message_retention_seconds: 1209600, sqs_managed_sse_enabled: true });
    const allows = Object.values(json.resource.aws_sqs_queue_redrive_allow_policy);
    expect(allows).toEqual([
      {
        queue_url: ref("aws_sqs_queue", dlqId, "url"),
        redrive_allow_policy: JSON.stringify({
          redrivePermission: "byQueue",
          sourceQueueArns: [ref("aws_sqs_queue", queueId, "arn")],
        }),
      },
    ]);
  });

  it("lets only the rule send to a target queue", () => {
    const [queueId] = byName(json, "aws_sqs_queue", "test-orders");
    const allow = policyOn(json, queueId).Statement.filter((s: any) => s.Effect === "Allow");
    expect(allow).toEqual([
      {
        Sid: "EventBridgeRuleDelivers",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: ref("aws_sqs_queue", queueId, "arn"),
        Condition: { ArnEquals: { "aws:SourceArn": placedArn } },
      },
    ]);
  });

  it("defaults a target queue's maxReceiveCount to the construct's default", () => {
    const { json: j } = synth({ ...withTargets(0, [{ kind: "sqs", name: "orders" }]), defaultMaxReceiveCount: 3 });
    expect(JSON.parse(byName(j, "aws_sqs_queue", "test-orders")[1].redrive_policy).maxReceiveCount).toBe(3);
  });

  it("adds the invoke permission of a Lambda target for events.amazonaws.com, scoped to the rule", () => {
    expect(Object.values(json.resource.aws_lambda_permission)).toEqual([
      {
        statement_id: "events-test-cancelled-cancel",
        action: "lambda:InvokeFunction",
        function_name: FUNCTION,
        principal: "events.amazonaws.com",
        source_arn: cancelledArn,
      },
    ]);
  });

  it("builds a Lambda target's ARN from a function name in the stack's own account and region", () => {
    const { json: j } = synth(
      withTargets(1, [{ kind: "lambda", name: "cancel", asyncInvoke: ASYNC, functionName: "cancel-order:live" }]),
    );
    const [, target] = byName(j, "aws_cloudwatch_event_target", "cancel");
    expect(target.arn).toMatch(
      /^arn:\$\{data\.aws_partition\..+\.partition\}:lambda:\$\{data\.aws_region\..+\.region\}:\$\{data\.aws_caller_identity\..+\.account_id\}:function:cancel-order:live$/,
    );
    expect((Object.values(j.resource.aws_lambda_permission)[0] as any).function_name).toBe(target.arn);
  });

  it("passes an input transformer through", () => {
    expect(byName(json, "aws_cloudwatch_event_target", "cancel")[1].input_transformer).toEqual({
      input_paths: { id: "$.detail.id" },
      input_template: '{"id": <id>}',
    });
  });

  it("lets EventBridge assume the event-bus role only for that rule in this account, and put events only on that bus", () => {
    const [roleId, role] = byName(json, "aws_iam_role", "test-partner-put-events");
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) },
          ArnEquals: { "aws:SourceArn": placedArn },
        },
      }),
    ]);
    const policies = (Object.values(json.resource.aws_iam_role_policy) as any[]).filter(
      (p) => p.role === ref("aws_iam_role", roleId, "id"),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0].role).toBe(ref("aws_iam_role", roleId, "id"));
    expect(JSON.parse(policies[0].policy).Statement).toEqual([
      { Sid: "PutEventsOnTargetBus", Effect: "Allow", Action: "events:PutEvents", Resource: PARTNER_BUS },
    ]);
  });

  it("alarms on every DLQ (visible messages > 0, oldest message age) and every rule (FailedInvocations, InvocationsFailedToBeSentToDlq), to the topic", () => {
    const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm) as any[];
    for (const a of alarms) {
      expect(a.alarm_actions).toEqual([TOPIC]);
      expect(a.ok_actions).toEqual([TOPIC]);
      expect(a.treat_missing_data).toBe("notBreaching");
    }
    for (const queue of [
      "test-orders-delivery-dlq",
      "test-partner-delivery-dlq",
      "test-cancel-delivery-dlq",
      "test-orders-dlq",
      "test-cancel-async-failures",
    ]) {
      expect(byName(json, "aws_cloudwatch_metric_alarm", `${queue}-visible-messages`)[1]).toMatchObject({
        namespace: "AWS/SQS",
        metric_name: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: queue },
        statistic: "Maximum",
        period: 60,
        evaluation_periods: 1,
        comparison_operator: "GreaterThanThreshold",
        threshold: 0,
      });
      expect(byName(json, "aws_cloudwatch_metric_alarm", `${queue}-oldest-message-age`)[1]).toMatchObject({
        namespace: "AWS/SQS",
        metric_name: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: queue },
        statistic: "Maximum",
        period: 60,
        evaluation_periods: 1,
        comparison_operator: "GreaterThanOrEqualToThreshold",
        threshold: 900,
      });
    }
    // toMatchObject matches nested objects partially: an alarm with an extra dimension watches no metric, so pin them exactly.
    const dimensions: Record<string, string[]> = {
      "AWS/SQS": ["QueueName"],
      "AWS/Lambda": ["FunctionName"],
      "AWS/Events": ["EventBusName", "RuleName"],
    };
    for (const a of alarms) expect(Object.keys(a.dimensions).sort()).toEqual(dimensions[a.namespace]);
    for (const rule of ["test-placed", "test-cancelled"]) {
      for (const [suffix, metric] of [
        ["failed-invocations", "FailedInvocations"],
        ["failed-to-dlq", "InvocationsFailedToBeSentToDlq"],
      ]) {
        expect(byName(json, "aws_cloudwatch_metric_alarm", `${rule}-${suffix}`)[1]).toMatchObject({
          namespace: "AWS/Events",
          metric_name: metric,
          dimensions: { RuleName: rule, EventBusName: "test-events" },
          statistic: "Sum",
          period: 60,
          evaluation_periods: 1,
          comparison_operator: "GreaterThanThreshold",
          threshold: 0,
        });
      }
    }
    expect(alarms).toHaveLength(5 * 2 + 2 * 2 + 2);
  });

  it("exposes one dead-letter route per target, and a lookup by target name", () => {
    const [ordersQueueId] = byName(json, "aws_sqs_queue", "test-orders");
    const [ordersDlqId] = byName(json, "aws_sqs_queue", "test-orders-delivery-dlq");
    expect(routing.deadLetterRoutes.map((r) => [r.targetName, r.targetKind])).toEqual([
      ["orders", "sqs"],
      ["partner", "event-bus"],
      ["cancel", "lambda"],
      ["cancel", "lambda"],
    ]);
    expect(routing.deadLetterRoutes.map((r) => r.source ?? "eventbridge")).toEqual([
      "eventbridge",
      "eventbridge",
      "eventbridge",
      "lambda-on-failure",
    ]);
    const orders = routing.deadLetterRoute("orders");
    expect(orders.dlqKmsKeyArn).toBeUndefined();
    expect(routing.deadLetterRoute("partner").targetArn).toBe(PARTNER_BUS);
    expect(routing.deadLetterRoute("cancel").targetArn).toBe(FUNCTION);
    expect(() => routing.deadLetterRoute("nope")).toThrow(
      /no target named "nope" \(targets: orders, partner, cancel\)/,
    );
    expect(Object.keys(routing.ruleArns)).toEqual(["placed", "cancelled"]);
    // The tokens resolve to the resources above.
    const out = rendered(BASE, (r) =>
      Object.fromEntries(
        r.deadLetterRoutes.map(({ targetName, ruleArn, targetArn, dlqArn, dlqUrl }) => [
          targetName,
          { ruleArn, targetArn, dlqArn, dlqUrl },
        ]),
      ),
    );
    expect(out.orders).toEqual({
      ruleArn: placedArn,
      targetArn: ref("aws_sqs_queue", ordersQueueId, "arn"),
      dlqArn: ref("aws_sqs_queue", ordersDlqId, "arn"),
      dlqUrl: ref("aws_sqs_queue", ordersDlqId, "url"),
    });
  });

  describe("with KMS encryption", () => {
    const { json: kms, routing: kmsRouting } = synth({ ...BASE, defaultEncryption: "kms" });
    const [keyId, key] = Object.entries(kms.resource.aws_kms_key)[0];
    const keyArn = ref("aws_kms_key", keyId, "arn");

    it("encrypts DLQs and target queues with the module's rotated key", () => {
      expect(key.enable_key_rotation).toBe(true);
      for (const name of [
        "test-orders",
        "test-orders-dlq",
        "test-orders-delivery-dlq",
        "test-partner-delivery-dlq",
        "test-cancel-delivery-dlq",
      ]) {
        const [, q] = byName(kms, "aws_sqs_queue", name);
        expect(q.kms_master_key_id).toBe(keyArn);
        expect(q.sqs_managed_sse_enabled).toBeUndefined();
      }
    });

    it("lets EventBridge use the key only for the queues it sends to (SQS's encryption context), never on aws:SourceAccount/aws:SourceArn", () => {
      const statement = JSON.parse(key.policy).Statement.find(
        (s: any) => s.Principal?.Service === "events.amazonaws.com",
      );
      const arn = (name: string) =>
        expect.stringMatching(
          new RegExp(
            `^arn:\\$\\{data\\.aws_partition\\..+\\}:sqs:\\$\\{data\\.aws_region\\..+\\}:\\$\\{data\\.aws_caller_identity\\..+\\}:${name}$`,
          ),
        );
      expect(statement).toEqual({
        Sid: "EventBridgeSendsToQueues",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: {
          StringEquals: {
            "kms:EncryptionContext:aws:sqs:arn": [
              arn("test-orders"),
              arn("test-orders-delivery-dlq"),
              arn("test-partner-delivery-dlq"),
              arn("test-cancel-delivery-dlq"),
            ],
          },
        },
      });
    });

    it("names the key in the routes, for the redrive's kms:Decrypt / GenerateDataKey", () => {
      expect(kmsRouting.deadLetterRoute("orders").dlqKmsKeyArn).toBeDefined();
      expect(kmsRouting.deadLetterRoute("orders").targetKmsKeyArn).toBe(kmsRouting.key!.keyArn);
      expect(kmsRouting.deadLetterRoute("cancel").targetKmsKeyArn).toBeUndefined();
    });

    it("grants the key only for the queues that use it, when one target opts in", () => {
      const { json: j } = synth(
        withTargets(1, [
          {
            kind: "lambda",
            name: "cancel",
            asyncInvoke: ASYNC,
            functionArn: FUNCTION,
            deadLetterQueue: { encryption: "kms" },
          },
        ]),
      );
      const keys = Object.values(j.resource.aws_kms_key) as any[];
      expect(keys).toHaveLength(1);
      const statement = JSON.parse(keys[0].policy).Statement.find(
        (s: any) => s.Principal?.Service === "events.amazonaws.com",
      );
      expect(statement.Condition.StringEquals["kms:EncryptionContext:aws:sqs:arn"]).toEqual([
        expect.stringMatching(/:test-cancel-delivery-dlq$/),
      ]);
      expect(byName(j, "aws_sqs_queue", "test-orders-delivery-dlq")[1].sqs_managed_sse_enabled).toBe(true);
    });
  });

  it("uses the default bus when asked: no bus resource, no bus name on rules, RuleName-only alarm dimensions", () => {
    const { json: j, routing: r } = synth({ ...BASE, eventBus: { kind: "default" } });
    expect(j.resource.aws_cloudwatch_event_bus).toBeUndefined();
    for (const rule of Object.values(j.resource.aws_cloudwatch_event_rule) as any[])
      expect(rule.event_bus_name).toBeUndefined();
    for (const t of Object.values(j.resource.aws_cloudwatch_event_target) as any[])
      expect(t.event_bus_name).toBeUndefined();
    expect(byName(j, "aws_cloudwatch_metric_alarm", "test-placed-failed-invocations")[1].dimensions).toEqual({
      RuleName: "test-placed",
    });
    expect(r.eventBusName).toBe("default");
    const { arn } = rendered({ ...BASE, eventBus: { kind: "default" } }, (x) => ({ arn: x.eventBusArn }));
    expect(arn).toMatch(
      /^arn:\$\{data\.aws_partition\..+\.partition\}:events:\$\{data\.aws_region\..+\.region\}:\$\{data\.aws_caller_identity\..+\.account_id\}:event-bus\/default$/,
    );
  });

  it("uses an existing standard DLQ when given: creates none, alarms on it, derives its URL for the route", () => {
    const existing = "arn:aws:sqs:eu-west-1:111111111111:shared-dlq";
    const kmsKey = "arn:aws:kms:eu-west-1:111111111111:key/0b7b2c3e-1111-2222-3333-444455556666";
    const props = withTargets(1, [
      {
        kind: "lambda",
        name: "cancel",
        asyncInvoke: ASYNC,
        functionArn: FUNCTION,
        deadLetterQueue: { existingQueue: { arn: existing, kmsKeyArn: kmsKey } },
      },
    ]);
    const { json: j, routing: r } = synth(props);
    expect(byName(j, "aws_cloudwatch_event_target", "cancel")[1].dead_letter_config).toEqual({ arn: existing });
    expect(Object.values(j.resource.aws_sqs_queue).map((q: any) => q.name)).not.toContain("test-cancel-delivery-dlq");
    expect(byName(j, "aws_cloudwatch_metric_alarm", "shared-dlq-visible-messages")[1].dimensions).toEqual({
      QueueName: "shared-dlq",
    });
    const route = r.deadLetterRoute("cancel");
    expect(route).toMatchObject({ dlqArn: existing, dlqKmsKeyArn: kmsKey });
    const { url } = rendered(props, (x) => ({ url: x.deadLetterRoute("cancel").dlqUrl }));
    expect(url).toMatch(
      /^https:\/\/sqs\.eu-west-1\.\$\{data\.aws_partition\..+\.dns_suffix\}\/111111111111\/shared-dlq$/,
    );
  });

  it("creates a disabled rule when enabled is false", () => {
    const { json: j } = synth({ ...BASE, rules: [{ ...BASE.rules![1], enabled: false }] });
    expect(byName(j, "aws_cloudwatch_event_rule", "test-cancelled")[1].state).toBe("DISABLED");
  });
});

describe("EventRouting bad input", () => {
  const sqs = (name: string, extra: Partial<EventTargetOptions> = {}): EventTargetOptions =>
    ({ kind: "sqs", name, ...extra }) as EventTargetOptions;

  it.each<[string, EventRoutingProps, string, RegExp]>([
    [
      "retry attempts above 185",
      withTargets(0, [sqs("orders", { retryPolicy: { maximumRetryAttempts: 186 } })]),
      "rules[0].targets[0].retryPolicy.maximumRetryAttempts",
      /expected a number <= 185, got 186/,
    ],
    [
      "retry attempts below 0",
      withTargets(0, [sqs("orders", { retryPolicy: { maximumRetryAttempts: -1 } })]),
      "rules[0].targets[0].retryPolicy.maximumRetryAttempts",
      /expected a number >= 0, got -1/,
    ],
    [
      "event age below 60 s",
      withTargets(0, [sqs("orders", { retryPolicy: { maximumEventAgeInSeconds: 59 } })]),
      "rules[0].targets[0].retryPolicy.maximumEventAgeInSeconds",
      /expected a number >= 60, got 59/,
    ],
    [
      "event age above 24 h",
      { ...BASE, defaultRetryPolicy: { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 86401 } },
      "defaultRetryPolicy.maximumEventAgeInSeconds",
      /expected a number <= 86400, got 86401/,
    ],
    [
      "retry policy on an event-bus target",
      withTargets(0, [
        { kind: "event-bus", name: "partner", eventBusArn: PARTNER_BUS, retryPolicy: { maximumRetryAttempts: 3 } },
      ]),
      "rules[0].targets[0].retryPolicy",
      /event-bus targets take no retry policy/,
    ],
    [
      "input transformer on an event-bus target",
      withTargets(0, [
        { kind: "event-bus", name: "partner", eventBusArn: PARTNER_BUS, inputTransformer: { inputTemplate: "x" } },
      ]),
      "rules[0].targets[0].inputTransformer",
      /event-bus targets take no input transformer/,
    ],
    [
      "FIFO DLQ",
      withTargets(0, [
        sqs("orders", {
          deadLetterQueue: { existingQueue: { arn: "arn:aws:sqs:eu-west-1:111111111111:orders-dlq.fifo" } },
        }),
      ]),
      "rules[0].targets[0].deadLetterQueue.existingQueue.arn",
      /expected a standard queue: EventBridge cannot dead-letter to a FIFO queue/,
    ],
    [
      "DLQ in another region",
      withTargets(0, [
        sqs("orders", { deadLetterQueue: { existingQueue: { arn: "arn:aws:sqs:us-east-1:111111111111:orders-dlq" } } }),
      ]),
      "rules[0].targets[0].deadLetterQueue.existingQueue.arn",
      /expected a queue in the rule's region eu-west-1, got one in us-east-1/,
    ],
    [
      "DLQ in another account",
      withTargets(0, [
        sqs("orders", { deadLetterQueue: { existingQueue: { arn: "arn:aws:sqs:eu-west-1:999999999999:orders-dlq" } } }),
      ]),
      "rules[0].targets[0].deadLetterQueue.existingQueue.arn",
      /expected a queue in account 111111111111, got one in 999999999999/,
    ],
    [
      "encryption set on an existing DLQ",
      withTargets(0, [
        sqs("orders", {
          deadLetterQueue: {
            encryption: "kms",
            existingQueue: { arn: "arn:aws:sqs:eu-west-1:111111111111:orders-dlq" },
          },
        }),
      ]),
      "rules[0].targets[0].deadLetterQueue.encryption",
      /applies only to a DLQ the module creates/,
    ],
    [
      "two targets with the same name",
      withTargets(1, [sqs("orders")]),
      "rules[1].targets[0].name",
      /unique target name, "orders" is also rules\[0\]\.targets\[0\]\.name/,
    ],
    [
      "two rules with the same name",
      { ...BASE, rules: [BASE.rules![0], { ...BASE.rules![1], name: "placed" }] },
      "rules[1].name",
      /unique rule name/,
    ],
    [
      "event pattern not valid JSON",
      { ...BASE, rules: [{ ...BASE.rules![0], eventPattern: '{"source": ["acme.orders"' }] },
      "rules[0].eventPattern",
      /expected valid JSON/,
    ],
    [
      "event pattern field not an array",
      { ...BASE, rules: [{ ...BASE.rules![0], eventPattern: { source: "acme.orders" } }] },
      "rules[0].eventPattern",
      /"source" to be an array of match values/,
    ],
    [
      "event pattern a JSON array",
      { ...BASE, rules: [{ ...BASE.rules![0], eventPattern: "[]" }] },
      "rules[0].eventPattern",
      /expected an event pattern: a JSON object/,
    ],
    [
      "more than 5 targets",
      withTargets(
        0,
        ["a", "b", "c", "d", "e", "f"].map((n) => sqs(n)),
      ),
      "rules[0].targets",
      /expected at most 5 item\(s\)/,
    ],
    [
      "Lambda in another account",
      withTargets(1, [
        {
          kind: "lambda",
          name: "cancel",
          asyncInvoke: ASYNC,
          functionArn: "arn:aws:lambda:eu-west-1:999999999999:function:x",
        },
      ]),
      "rules[1].targets[0].functionArn",
      /account 111111111111/,
    ],
    [
      "both functionArn and functionName",
      withTargets(1, [
        { kind: "lambda", name: "cancel", asyncInvoke: ASYNC, functionArn: FUNCTION, functionName: "x" },
      ]),
      "rules[1].targets[0].functionArn",
      /exactly one of functionArn and functionName/,
    ],
    [
      "malformed function name",
      withTargets(1, [{ kind: "lambda", name: "cancel", asyncInvoke: ASYNC, functionName: "cancel order" }]),
      "rules[1].targets[0].functionName",
      /function name of 1-64/,
    ],
    [
      "malformed Lambda ARN",
      withTargets(1, [
        { kind: "lambda", name: "cancel", asyncInvoke: ASYNC, functionArn: "arn:aws:lambda:function:x" },
      ]),
      "rules[1].targets[0].functionArn",
      /Lambda function ARN/,
    ],
    [
      "malformed event bus ARN",
      withTargets(0, [
        { kind: "event-bus", name: "partner", eventBusArn: "arn:aws:events:eu-west-1:222222222222:rule/x" },
      ]),
      "rules[0].targets[0].eventBusArn",
      /event bus ARN/,
    ],
    ["bad target name", withTargets(0, [sqs("Orders_Queue")]), "rules[0].targets[0].name", /lower-case letters/],
    [
      "maxReceiveCount 0",
      withTargets(0, [sqs("orders", { queue: { maxReceiveCount: 0 } } as Partial<EventTargetOptions>)]),
      "rules[0].targets[0].queue.maxReceiveCount",
      /expected a number >= 1, got 0/,
    ],
    [
      "DLQ max message size too big",
      withTargets(0, [sqs("orders", { deadLetterQueue: { maxMessageSizeBytes: 2000000 } })]),
      "rules[0].targets[0].deadLetterQueue.maxMessageSizeBytes",
      /expected a number <= 1048576, got 2000000/,
    ],
    ["bad name prefix", { ...BASE, namePrefix: "Test" }, "namePrefix", /lower-case letters/],
    [
      "a target queue named like another target's own DLQ",
      withTargets(1, [sqs("orders-dlq")]),
      "rules[1].targets[0].name",
      /queue "<prefix>-orders-dlq" is also created for rules\[0\]\.targets\[0\]/,
    ],
    [
      "a target queue's DLQ named like another target's delivery DLQ",
      withTargets(1, [sqs("cancel"), sqs("cancel-delivery")]),
      "rules[1].targets[1].name",
      /queue "<prefix>-cancel-delivery-dlq" is also created for rules\[1\]\.targets\[0\]/,
    ],
    [
      "a Lambda permission statement id over 100 characters",
      {
        ...BASE,
        namePrefix: "p".repeat(31),
        rules: [
          {
            name: "r".repeat(32),
            eventPattern: { source: ["x"] },
            targets: [{ kind: "lambda", name: "l".repeat(32), functionArn: FUNCTION, asyncInvoke: ASYNC }],
          },
        ],
      },
      "rules[0].targets[0].name",
      /statement id "events-p{31}-r{32}-l{32}" exceeds Lambda's 100 characters/,
    ],
  ])("%s: PropsError names the field", (_case, props, path, text) => {
    const problems = problemsOf(props);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${path.replace(/[.[\]]/g, "\\$&")}: `))]);
    expect(problems[0]).toMatch(text);
  });

  it("reports every problem at once", () => {
    const props: EventRoutingProps = {
      ...BASE,
      rules: [
        {
          name: "placed",
          eventPattern: "not json",
          targets: [
            sqs("orders", { retryPolicy: { maximumRetryAttempts: 999 } }),
            { kind: "event-bus", name: "orders", eventBusArn: PARTNER_BUS, retryPolicy: { maximumRetryAttempts: 1 } },
          ],
        },
      ],
    };
    expect(problemsOf(props).map((p) => p.split(":")[0])).toEqual([
      "rules[0].eventPattern",
      "rules[0].targets[0].retryPolicy.maximumRetryAttempts",
      "rules[0].targets[1].retryPolicy",
      "rules[0].targets[1].name",
    ]);
  });

  it("takes Terraform references for ARNs it only passes on, and refuses one where it derives a queue's name and URL", () => {
    const stack = new TerraformStack(Testing.app(), "refs");
    const ref = (name: string) => Lazy.stringValue({ produce: () => `resolved-${name}` });
    const props = withTargets(1, [
      {
        kind: "lambda",
        name: "cancel",
        functionArn: ref(""),
        asyncInvoke: { executionRoleArn: ref("-role") },
        deadLetterQueue: { existingQueue: { arn: ref("-dlq"), kmsKeyArn: ref("-key") } },
      },
    ]);
    expect(() => new EventRouting(stack, "events", props)).toThrow(PropsError);
    expect(problemsOf(props)).toEqual([
      "rules[1].targets[0].deadLetterQueue.existingQueue.arn: expected a literal queue ARN (the module derives the DLQ's name and URL from it)",
    ]);
    const { deadLetterQueue: _dlq, ...withoutDlq } = props.rules![1].targets[0];
    expect(() => new EventRouting(stack, "ok", withTargets(1, [withoutDlq as EventTargetOptions]))).not.toThrow();
  });

  it("names an unknown or missing target kind, and a misspelled key with the key meant, all at once", () => {
    const props = withTargets(0, [
      { kind: "sns", name: "orders" } as unknown as EventTargetOptions,
      { name: "other" } as unknown as EventTargetOptions,
      sqs("third", { queue: { maxRecieveCount: 3 } } as unknown as Partial<EventTargetOptions>),
    ]);
    expect(problemsOf({ ...props, throttle: 1 } as EventRoutingProps)).toEqual([
      'rules[0].targets[0].kind: expected one of "sqs", "lambda", "event-bus", "step-functions", got "sns"',
      'rules[0].targets[1].kind: required field is missing (expected one of "sqs", "lambda", "event-bus", "step-functions")',
      'rules[0].targets[2].queue.maxRecieveCount: unknown field (did you mean "maxReceiveCount"?)',
      expect.stringMatching(/^throttle: unknown field \(expected one of "namePrefix", "alarmTopicArn", /),
    ]);
  });

  it("null where an object belongs is a problem at its path, also for fields with cross-field rules", () => {
    const nulls = withTargets(1, [
      { kind: "lambda", name: "cancel", functionArn: FUNCTION, asyncInvoke: null, deadLetterQueue: null },
      null,
    ] as unknown as EventTargetOptions[]);
    expect(problemsOf(nulls)).toEqual([
      "rules[1].targets[0].deadLetterQueue: expected an object, got null",
      "rules[1].targets[0].asyncInvoke: expected an object, got null",
      "rules[1].targets[1]: expected an object, got null",
    ]);
  });

  it("checks against the AWS provider's literal region when no region is given", () => {
    const props = {
      ...withTargets(0, [
        sqs("orders", { deadLetterQueue: { existingQueue: { arn: "arn:aws:sqs:us-east-1:111111111111:orders-dlq" } } }),
      ]),
      region: undefined,
      accountId: undefined,
    };
    expect(problemsOf(props, { region: "eu-west-1", allowedAccountIds: ["111111111111"] })).toEqual([
      expect.stringMatching(
        /^rules\[0\]\.targets\[0\]\.deadLetterQueue\.existingQueue\.arn: expected a queue in the rule's region eu-west-1/,
      ),
    ]);
  });
});

describe("EventRouting on an existing bus (a team subscribing to the platform's)", () => {
  const PLATFORM_BUS = "arn:aws:events:eu-west-1:111111111111:event-bus/platform-events";
  const onExisting = (arn: string): EventRoutingProps => ({
    ...BASE,
    archive: undefined,
    eventBus: { kind: "existing", arn },
    rules: [{ name: "placed", eventPattern: { source: ["acme.orders"] }, targets: [{ kind: "sqs", name: "orders" }] }],
  });

  it("creates no bus: rules, targets and rule alarms name the existing one, which the construct exposes", () => {
    const { json, routing } = synth(onExisting(PLATFORM_BUS));
    expect(json.resource.aws_cloudwatch_event_bus).toBeUndefined();
    expect(routing.eventBusArn).toBe(PLATFORM_BUS);
    expect(routing.eventBusName).toBe("platform-events");
    expect(Object.values<any>(json.resource.aws_cloudwatch_event_rule).map((r) => r.event_bus_name)).toEqual([
      "platform-events",
    ]);
    expect(Object.values<any>(json.resource.aws_cloudwatch_event_target).map((t) => t.event_bus_name)).toEqual([
      "platform-events",
    ]);
    const alarms = Object.values<any>(json.resource.aws_cloudwatch_metric_alarm).filter(
      (a) => a.namespace === "AWS/Events",
    );
    expect(alarms.map((a) => a.dimensions)).toEqual([
      { EventBusName: "platform-events", RuleName: "test-placed" },
      { EventBusName: "platform-events", RuleName: "test-placed" },
    ]);
  });

  it("refuses a bus of another account or region, a reference and a non-bus ARN, naming eventBus.arn", () => {
    const problems = (arn: string) => {
      try {
        EventRouting.validateProps("events", onExisting(arn));
      } catch (err) {
        if (err instanceof PropsError) return err.problems;
        throw err;
      }
      return [];
    };
    expect(problems("arn:aws:events:eu-west-1:222222222222:event-bus/platform-events")).toEqual([
      "eventBus.arn: expected an event bus in account 111111111111, got one in 222222222222",
    ]);
    expect(problems("arn:aws:events:us-east-1:111111111111:event-bus/platform-events")).toEqual([
      "eventBus.arn: expected an event bus in the rule's region eu-west-1, got one in us-east-1",
    ]);
    expect(problems(Lazy.stringValue({ produce: () => PLATFORM_BUS }))).toEqual([
      "eventBus.arn: expected the bus's literal ARN (the module names the rules' bus from it)",
    ]);
    expect(problems("arn:aws:sqs:eu-west-1:111111111111:platform-events")).toEqual([
      expect.stringMatching(/^eventBus\.arn: expected an event bus ARN such as /),
    ]);
  });
});
