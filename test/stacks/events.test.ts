import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../stacks/app";
import { exampleConfig, FIXTURE_ENV_DIR, setPath, writeEnvDir } from "../helpers/env-fixtures";
import { environmentJson, type TerraformJson } from "../helpers/synth";

const ENVS = ["dev", "staging", "prod"] as const;

const ref = (type: string, id: string, attr: string) => `\${${type}.${id}.${attr}}`;
/** The logical id a `${type.id.attr}` reference names. */
const idOf = (reference: string, type: string): string => {
  const m = new RegExp(`^\\$\\{${type}\\.([^.]+)\\.[a-z_]+\\}$`).exec(reference);
  if (!m) throw new Error(`not a ${type} reference: ${reference}`);
  return m[1];
};
/** Resources of one type that the event routing created (logical ids under the `events` construct); other modules have their own. */
const mine = (json: TerraformJson, type: string): Record<string, any> =>
  Object.fromEntries(Object.entries(json.resource[type] ?? {}).filter(([id]) => id.startsWith("events_")));
const queues = (json: TerraformJson) => mine(json, "aws_sqs_queue");
const targets = (json: TerraformJson) => Object.values(mine(json, "aws_cloudwatch_event_target")) as any[];
const policyOn = (json: TerraformJson, queueId: string): any =>
  JSON.parse(
    (Object.values(json.resource.aws_sqs_queue_policy) as any[]).find(
      (p) => p.queue_url === ref("aws_sqs_queue", queueId, "url"),
    ).policy,
  );

describe.each(ENVS)("%s event routing", (name) => {
  const json = environmentJson(name);
  const config = exampleConfig(name).events;
  const configTargets = (config.rules as any[]).flatMap((r) => r.targets.map((t: any) => ({ ...t, rule: r.name })));
  const kms = config.defaults.encryption === "kms";

  it("has one EventBridge target per configured target, on the environment's custom bus", () => {
    expect(
      targets(json)
        .map((t) => t.target_id)
        .sort(),
    ).toEqual(configTargets.map((t) => t.name).sort());
    const bus = Object.values(mine(json, "aws_cloudwatch_event_bus")) as any[];
    expect(bus.map((b) => b.name)).toEqual([`${name}-events`]);
  });

  it("gives every non-bus target the environment's retry policy (or its override), and event-bus targets none", () => {
    for (const t of configTargets) {
      const target = targets(json).find((x) => x.target_id === t.name);
      if (t.kind === "event-bus") expect(target.retry_policy).toBeUndefined();
      else {
        const want = { ...config.defaults.retryPolicy, ...(t.retryPolicy ?? {}) };
        expect(target.retry_policy).toEqual({
          maximum_retry_attempts: want.maximumRetryAttempts,
          maximum_event_age_in_seconds: want.maximumEventAgeInSeconds,
        });
      }
    }
  });

  it("gives every target a dead_letter_config to its own encrypted, 14-day, standard DLQ that only its rule may write to", () => {
    const dlqs = new Set<string>();
    for (const target of targets(json)) {
      const dlqId = idOf(target.dead_letter_config.arn, "aws_sqs_queue");
      dlqs.add(dlqId);
      const dlq = queues(json)[dlqId];
      expect(dlq.name).toBe(`${name}-${target.target_id}-delivery-dlq`);
      expect(dlq).toMatchObject({ fifo_queue: false, message_retention_seconds: 1209600, max_message_size: 1048576 });
      if (kms) expect(dlq.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.events_key_.+\.arn\}$/);
      else expect(dlq.sqs_managed_sse_enabled).toBe(true);
      const ruleArn = target.rule.replace(/\.name\}$/, ".arn}");
      const dlqArn = ref("aws_sqs_queue", dlqId, "arn");
      // Exactly: EventBridge for this rule may send; any caller without this rule as aws:SourceArn is denied (a missing key
      // makes ArnNotEquals true, so IAM principals are denied too); plain HTTP is denied.
      expect(policyOn(json, dlqId).Statement).toEqual([
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
      ]);
      expect(JSON.parse(dlq.redrive_allow_policy)).toEqual({ redrivePermission: "denyAll" });
    }
    expect(dlqs.size).toBe(configTargets.length);
  });

  it("gives every target queue its own DLQ with the configured maxReceiveCount, and a redrive-allow policy naming the queue", () => {
    for (const t of configTargets.filter((x) => x.kind === "sqs")) {
      const [queueId, queue] = Object.entries(queues(json)).find(([, q]) => q.name === `${name}-${t.name}`)!;
      const [dlqId] = Object.entries(queues(json)).find(([, q]) => q.name === `${name}-${t.name}-dlq`)!;
      expect(JSON.parse(queue.redrive_policy)).toEqual({
        deadLetterTargetArn: ref("aws_sqs_queue", dlqId, "arn"),
        maxReceiveCount: t.queue?.maxReceiveCount ?? config.defaults.maxReceiveCount,
      });
      const allow = (Object.values(json.resource.aws_sqs_queue_redrive_allow_policy) as any[]).find(
        (p) => p.queue_url === ref("aws_sqs_queue", dlqId, "url"),
      );
      expect(JSON.parse(allow.redrive_allow_policy)).toEqual({
        redrivePermission: "byQueue",
        sourceQueueArns: [ref("aws_sqs_queue", queueId, "arn")],
      });
    }
  });

  it("lets only the target's rule send to a target queue (the only grant in its queue policy)", () => {
    for (const t of configTargets.filter((x) => x.kind === "sqs")) {
      const [queueId, queue] = Object.entries(queues(json)).find(([, q]) => q.name === `${name}-${t.name}`)!;
      const target = targets(json).find((x) => x.target_id === t.name);
      expect(target.arn).toBe(ref("aws_sqs_queue", queueId, "arn"));
      const ruleArn = target.rule.replace(/\.name\}$/, ".arn}");
      expect(policyOn(json, queueId).Statement.filter((s: any) => s.Effect === "Allow")).toEqual([
        {
          Sid: "EventBridgeRuleDelivers",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: ref("aws_sqs_queue", queueId, "arn"),
          Condition: { ArnEquals: { "aws:SourceArn": ruleArn } },
        },
      ]);
      if (kms) expect(queue.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.events_key_.+\.arn\}$/);
      else expect(queue.sqs_managed_sse_enabled).toBe(true);
    }
  });

  it("with KMS, lets EventBridge use the key for exactly the queues it sends to under the key (SQS's encryption context); without, creates no key", () => {
    const keys = Object.values(mine(json, "aws_kms_key")) as any[];
    if (!kms) {
      expect(keys).toEqual([]);
      return;
    }
    expect(keys).toHaveLength(1);
    const statement = JSON.parse(keys[0].policy).Statement.find(
      (s: any) => s.Principal?.Service === "events.amazonaws.com",
    );
    expect(statement).toEqual({
      Sid: "EventBridgeSendsToQueues",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "kms:EncryptionContext:aws:sqs:arn": expect.any(Array) } },
    });
    // Every queue EventBridge sends to (target queues and delivery DLQs) that uses the key, and no other:
    // not the consumers' DLQs (SQS feeds them) nor Lambda's on-failure queues (the function's role writes them).
    const keyed = Object.values(queues(json)).filter(
      (q: any) =>
        /^\$\{aws_kms_key\.events_key_/.test(q.kms_master_key_id ?? "") &&
        !/-dlq$/.test(q.name.replace(/-delivery-dlq$/, "")) &&
        !/-async-failures$/.test(q.name),
    );
    const names = statement.Condition.StringEquals["kms:EncryptionContext:aws:sqs:arn"].map((arn: string) =>
      arn.split(":").pop(),
    );
    expect([...names].sort()).toEqual(keyed.map((q: any) => q.name).sort());
    expect(keys[0].enable_key_rotation).toBe(true);
  });

  it("gives every Lambda target an event invoke config with explicit retries and age, on failure to its own queue that the redrive drains", () => {
    const lambdas = configTargets.filter((t) => t.kind === "lambda");
    const configs = Object.values(mine(json, "aws_lambda_function_event_invoke_config")) as any[];
    expect(configs).toHaveLength(lambdas.length);
    const redrivePolicy = JSON.parse(
      (Object.values(json.resource.aws_iam_role_policy) as any[]).find((p) => p.name === `${name}-redrive-redrive`)
        .policy,
    );
    const drained = redrivePolicy.Statement.find((st: any) => st.Sid === "DrainDeadLetterQueues").Resource;
    for (const t of lambdas) {
      const [queueId, queue] = Object.entries(queues(json)).find(
        ([, q]) => q.name === `${name}-${t.name}-async-failures`,
      )!;
      expect(queue.message_retention_seconds).toBe(1209600);
      const c = configs.find(
        (x) => x.destination_config.on_failure.destination === ref("aws_sqs_queue", queueId, "arn"),
      );
      expect(c).toMatchObject({
        maximum_retry_attempts: expect.any(Number),
        maximum_event_age_in_seconds: expect.any(Number),
      });
      expect(drained).toContain(ref("aws_sqs_queue", queueId, "arn"));
    }
  });

  it("alarms on every DLQ and every rule, to the environment's alarm topic", () => {
    const [topicId] = Object.entries(json.resource.aws_sns_topic).find(
      ([, t]) => t.name === `${name}-platform-alarms`,
    )!;
    const alarms = Object.values(mine(json, "aws_cloudwatch_metric_alarm")) as any[];
    const metricsOf = (dimension: string, value: string) =>
      alarms
        .filter((a) => a.dimensions?.[dimension] === value)
        .map((a) => a.metric_name)
        .sort();
    const dlqNames = Object.values(queues(json))
      .map((q) => q.name)
      .filter((n: string) => n.endsWith("-dlq"));
    expect(dlqNames.length).toBeGreaterThan(0);
    for (const dlq of dlqNames)
      expect(metricsOf("QueueName", dlq)).toEqual([
        "ApproximateAgeOfOldestMessage",
        "ApproximateNumberOfMessagesVisible",
      ]);
    for (const rule of config.rules) {
      const ruleAlarms = alarms.filter((a) => a.dimensions?.RuleName === `${name}-${rule.name}`);
      expect(ruleAlarms.map((a) => a.metric_name).sort()).toEqual([
        "FailedInvocations",
        "InvocationsFailedToBeSentToDlq",
      ]);
      for (const a of ruleAlarms) expect(a.dimensions.EventBusName).toBe(`${name}-events`);
    }
    const lambdas = configTargets.filter((t) => t.kind === "lambda");
    for (const t of lambdas) {
      expect(metricsOf("QueueName", `${name}-${t.name}-async-failures`)).toEqual([
        "ApproximateAgeOfOldestMessage",
        "ApproximateNumberOfMessagesVisible",
      ]);
      expect(metricsOf("FunctionName", (t.functionName ?? t.functionArn.split(":")[6]).split(":")[0])).toEqual([
        "AsyncEventsDropped",
        "DestinationDeliveryFailures",
      ]);
    }
    expect(alarms.length).toBe(dlqNames.length * 2 + config.rules.length * 2 + lambdas.length * 4);
    for (const a of alarms) {
      expect(a.alarm_actions).toEqual([ref("aws_sns_topic", topicId, "arn")]);
      expect(a.ok_actions).toEqual([ref("aws_sns_topic", topicId, "arn")]);
      expect(a.treat_missing_data).toBe("notBreaching");
      if (a.namespace === "AWS/SQS") {
        expect(a).toMatchObject({ statistic: "Maximum", period: 60, evaluation_periods: 1 });
        expect(Object.keys(a.dimensions)).toEqual(["QueueName"]);
        if (a.metric_name === "ApproximateNumberOfMessagesVisible")
          expect(a).toMatchObject({ comparison_operator: "GreaterThanThreshold", threshold: 0 });
        else
          expect(a).toMatchObject({
            comparison_operator: "GreaterThanOrEqualToThreshold",
            threshold: config.alarms.dlqOldestMessageAgeSeconds,
          });
      } else if (a.namespace === "AWS/Lambda") {
        expect(a).toMatchObject({
          statistic: "Sum",
          period: 60,
          evaluation_periods: 1,
          comparison_operator: "GreaterThanThreshold",
          threshold: 0,
        });
        expect(Object.keys(a.dimensions)).toEqual(["FunctionName"]);
      } else {
        expect(a).toMatchObject({
          namespace: "AWS/Events",
          statistic: "Sum",
          period: 60,
          evaluation_periods: 1,
          comparison_operator: "GreaterThanThreshold",
          threshold: 0,
        });
        expect(Object.keys(a.dimensions).sort()).toEqual(["EventBusName", "RuleName"]);
      }
    }
    const age = alarms.find((a) => a.metric_name === "ApproximateAgeOfOldestMessage");
    expect(age.threshold).toBe(config.alarms.dlqOldestMessageAgeSeconds);
  });

  it("archives the bus with the configured retention", () => {
    expect(Object.values(mine(json, "aws_cloudwatch_event_archive"))).toEqual([
      expect.objectContaining({ name: `${name}-events-archive`, retention_days: config.archive.retentionDays }),
    ]);
  });

  it("outputs the target -> DLQ map as JSON, the rule ARNs and the bus ARN", () => {
    const out = json.output!;
    const routes = out["events-dead-letter-routes"].value as string;
    expect(routes).toMatch(/^\$\{jsonencode\(\{/);
    for (const t of configTargets) {
      const target = targets(json).find((x) => x.target_id === t.name);
      const dlqId = idOf(target.dead_letter_config.arn, "aws_sqs_queue");
      expect(routes).toContain(`"${t.name}" = {"kind" = "${t.kind}"`);
      expect(routes).toContain(`"dlqArn" = aws_sqs_queue.${dlqId}.arn, "dlqUrl" = aws_sqs_queue.${dlqId}.url`);
      if (t.kind === "lambda")
        expect(routes).toMatch(
          new RegExp(
            `"onFailureQueueArn" = aws_sqs_queue\\.events_${t.name}-async-failures_queue_\\w+\\.arn, "onFailureQueueUrl" = `,
          ),
        );
    }
    expect(Object.keys(out["events-rule-arns"].value as object).sort()).toEqual(
      config.rules.map((r: any) => r.name).sort(),
    );
    expect(out["events-bus-arn"].value).toMatch(/^\$\{aws_cloudwatch_event_bus\..+\.arn\}$/);
  });
});

describe("event routing across environments", () => {
  it("prod routes to every target kind: SQS queue, Lambda function, cross-account event bus", () => {
    const json = environmentJson("prod");
    const byId = Object.fromEntries(targets(json).map((t) => [t.target_id, t]));
    expect(byId.orders.arn).toMatch(/^\$\{aws_sqs_queue\..+\.arn\}$/);
    expect(byId["cancel-order"].arn).toBe("arn:aws:lambda:eu-west-1:333333333333:function:cancel-order");
    expect(byId["partner-orders"].arn).toBe("arn:aws:events:eu-west-1:555555555555:event-bus/partner-orders");
    expect(byId["partner-orders"].role_arn).toMatch(/^\$\{aws_iam_role\..+\.arn\}$/);
    expect(Object.values(mine(json, "aws_lambda_permission"))).toEqual([
      expect.objectContaining({
        principal: "events.amazonaws.com",
        function_name: byId["cancel-order"].arn,
        source_arn: byId["cancel-order"].rule.replace(/\.name\}$/, ".arn}"),
      }),
    ]);
  });

  it("exposes stack.events.deadLetterRoutes, one per target, for the redrive wiring", () => {
    const { stacks } = buildApp({ envDir: FIXTURE_ENV_DIR, outdir: mkdtempSync(join(tmpdir(), "synth-")) });
    for (const stack of stacks) {
      // One route per target, and a second (its on-failure destination queue) per Lambda target.
      const names = (exampleConfig(stack.node.id as "dev").events.rules as any[]).flatMap((r) =>
        r.targets.flatMap((t: any) => (t.kind === "lambda" ? [t.name, t.name] : [t.name])),
      );
      expect(stack.events.deadLetterRoutes.map((r) => r.targetName)).toEqual(names);
      expect(stack.events.deadLetterRoute("orders").targetKind).toBe("sqs");
    }
  });

  it("uses the default bus when the config says so", () => {
    const dev = setPath(exampleConfig("dev"), "events.bus", { kind: "default" });
    const json = environmentJson("dev", writeEnvDir({ dev }));
    expect(mine(json, "aws_cloudwatch_event_bus")).toEqual({});
    for (const t of targets(json)) expect(t.event_bus_name).toBeUndefined();
  });
});
