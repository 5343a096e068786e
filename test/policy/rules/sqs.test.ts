import { CloudwatchEventRule } from "@cdktn/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktn/provider-aws/lib/cloudwatch-event-target";
import { DataAwsIamPolicyDocument } from "@cdktn/provider-aws/lib/data-aws-iam-policy-document";
import { SqsQueue, type SqsQueueConfig } from "@cdktn/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktn/provider-aws/lib/sqs-queue-policy";
import { type TerraformStack, TerraformVariable } from "cdktn";
import { sqsDlqRetention, sqsEncrypted, sqsEventBridgeSourceArn, sqsPolicyNotPublic } from "../../../policy/rules/sqs";
import { finding, findings } from "../scratch";

const FOURTEEN_DAYS = 1209600;

function queue(stack: TerraformStack, id: string, extra: Partial<SqsQueueConfig> = {}): SqsQueue {
  return new SqsQueue(stack, id, { name: id, sqsManagedSseEnabled: true, ...extra });
}

function policy(stack: TerraformStack, q: SqsQueue, statements: Record<string, unknown>[]): SqsQueuePolicy {
  return new SqsQueuePolicy(stack, `${q.node.id}-policy`, {
    queueUrl: q.url,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  });
}

/** A rule feeding a target queue whose DLQ is another queue; `statements` builds each queue's policy (none when it returns undefined). */
function eventBridgeFed(
  stack: TerraformStack,
  statements: (q: SqsQueue, rule: CloudwatchEventRule) => Record<string, unknown>[] | undefined,
  ruleName = "orders",
) {
  const rule = new CloudwatchEventRule(stack, "orders", {
    name: ruleName,
    eventPattern: JSON.stringify({ source: ["shop.orders"] }),
  });
  const target = queue(stack, "target");
  const dlq = queue(stack, "dlq", { messageRetentionSeconds: FOURTEEN_DAYS });
  for (const q of [target, dlq]) {
    const s = statements(q, rule);
    if (s) policy(stack, q, s);
  }
  new CloudwatchEventTarget(stack, "to-target", {
    rule: rule.name,
    arn: target.arn,
    deadLetterConfig: { arn: dlq.arn },
    retryPolicy: { maximumRetryAttempts: 24, maximumEventAgeInSeconds: 3600 },
  });
}

const eventsSend = (q: SqsQueue, condition?: Record<string, unknown>) => ({
  Sid: "EventBridgeSends",
  Effect: "Allow",
  Principal: { Service: "events.amazonaws.com" },
  Action: "sqs:SendMessage",
  Resource: q.arn,
  ...(condition ? { Condition: condition } : {}),
});

describe("sqs-encrypted (CKV_AWS_27)", () => {
  it("fails a queue without SSE-SQS or a KMS key", () => {
    expect(findings(sqsEncrypted, (s) => queue(s, "plain", { sqsManagedSseEnabled: false }))).toEqual([
      finding(
        sqsEncrypted,
        "aws_sqs_queue.plain",
        "neither sqs_managed_sse_enabled = true nor kms_master_key_id is set",
      ),
    ]);
  });

  it("passes SSE-SQS and a customer KMS key", () => {
    expect(findings(sqsEncrypted, (s) => queue(s, "sse"))).toEqual([]);
    expect(
      findings(sqsEncrypted, (s) =>
        queue(s, "kms", { sqsManagedSseEnabled: undefined, kmsMasterKeyId: "alias/orders" }),
      ),
    ).toEqual([]);
  });
});

describe("sqs-policy-not-public (CKV_AWS_168)", () => {
  it("fails a queue policy that allows principal *", () => {
    const result = findings(sqsPolicyNotPublic, (s) => {
      const q = queue(s, "orders");
      policy(s, q, [{ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: q.arn }]);
    });
    expect(result).toEqual([
      finding(
        sqsPolicyNotPublic,
        "aws_sqs_queue_policy.orders-policy",
        'statement "Anyone" allows principal "*" (sqs:SendMessage)',
      ),
    ]);
  });

  it('fails {AWS: "*"} in an aws_iam_policy_document the queue policy refers to', () => {
    const result = findings(sqsPolicyNotPublic, (s) => {
      const q = queue(s, "orders");
      const doc = new DataAwsIamPolicyDocument(s, "doc", {
        statement: [
          {
            effect: "Allow",
            principals: [{ type: "AWS", identifiers: ["*"] }],
            actions: ["sqs:ReceiveMessage"],
            resources: [q.arn],
          },
        ],
      });
      new SqsQueuePolicy(s, "orders-policy", { queueUrl: q.url, policy: doc.json });
    });
    expect(result).toEqual([
      finding(
        sqsPolicyNotPublic,
        "aws_sqs_queue_policy.orders-policy",
        'statement #1 allows principal "*" (sqs:ReceiveMessage)',
      ),
    ]);
  });

  it("passes a service principal scoped by SourceArn and a Deny to *", () => {
    const result = findings(sqsPolicyNotPublic, (s) => {
      const q = queue(s, "orders");
      policy(s, q, [
        eventsSend(q, { ArnEquals: { "aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/orders" } }),
        {
          Sid: "TlsOnly",
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:*",
          Resource: q.arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]);
    });
    expect(result).toEqual([]);
  });
});

describe("sqs-dlq-retention", () => {
  it("fails a queue's DLQ and an EventBridge target's DLQ that keep messages less than 14 days", () => {
    const result = findings(sqsDlqRetention, (s) => {
      const dlq = queue(s, "source-dlq", { messageRetentionSeconds: 345600 });
      queue(s, "source", { redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) });
      const targetDlq = queue(s, "target-dlq");
      const rule = new CloudwatchEventRule(s, "rule", { name: "orders", eventPattern: "{}" });
      new CloudwatchEventTarget(s, "target", {
        rule: rule.name,
        arn: dlq.arn,
        deadLetterConfig: { arn: targetDlq.arn },
      });
    });
    expect(result).toEqual([
      finding(
        sqsDlqRetention,
        "aws_sqs_queue.source-dlq",
        "dead-letter queue of aws_sqs_queue.source keeps messages 345600 s, expected 1209600 (14 days)",
      ),
      finding(
        sqsDlqRetention,
        "aws_sqs_queue.target-dlq",
        "dead-letter queue of aws_cloudwatch_event_target.target keeps messages 345600 s (the default), expected 1209600 (14 days)",
      ),
    ]);
  });

  it("treats a queue whose redrive_allow_policy admits sources as a DLQ, but not one that denies all", () => {
    const result = findings(sqsDlqRetention, (s) => {
      queue(s, "open-dlq", { redriveAllowPolicy: JSON.stringify({ redrivePermission: "allowAll" }) });
      queue(s, "closed", { redriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) });
    });
    expect(result).toEqual([
      finding(
        sqsDlqRetention,
        "aws_sqs_queue.open-dlq",
        "dead-letter queue of aws_sqs_queue.open-dlq redrive_allow_policy keeps messages 345600 s (the default), expected 1209600 (14 days)",
      ),
    ]);
  });

  it("passes DLQs that keep 14 days, and ignores queues that are nobody's DLQ", () => {
    const result = findings(sqsDlqRetention, (s) => {
      const dlq = queue(s, "source-dlq", { messageRetentionSeconds: FOURTEEN_DAYS });
      queue(s, "source", {
        messageRetentionSeconds: 3600,
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
      });
    });
    expect(result).toEqual([]);
  });
});

describe("sqs-eventbridge-source-arn", () => {
  it("fails a statement that lets EventBridge in without aws:SourceArn", () => {
    const result = findings(sqsEventBridgeSourceArn, (s) => eventBridgeFed(s, (q) => [eventsSend(q)]));
    expect(result).toEqual([
      finding(
        sqsEventBridgeSourceArn,
        "aws_sqs_queue_policy.dlq-policy",
        'statement "EventBridgeSends" allows events.amazonaws.com without an aws:SourceArn condition (ArnEquals/ArnLike)',
      ),
      finding(
        sqsEventBridgeSourceArn,
        "aws_sqs_queue_policy.target-policy",
        'statement "EventBridgeSends" allows events.amazonaws.com without an aws:SourceArn condition (ArnEquals/ArnLike)',
      ),
    ]);
  });

  it("does not accept a negative condition (ArnNotEquals) as scoping", () => {
    const result = findings(sqsEventBridgeSourceArn, (s) =>
      eventBridgeFed(s, (q, rule) =>
        q.node.id === "dlq"
          ? [eventsSend(q, { ArnNotEquals: { "aws:SourceArn": rule.arn } })]
          : [eventsSend(q, { ArnEquals: { "aws:SourceArn": rule.arn } })],
      ),
    );
    expect(result).toEqual([
      finding(
        sqsEventBridgeSourceArn,
        "aws_sqs_queue_policy.dlq-policy",
        'statement "EventBridgeSends" allows events.amazonaws.com without an aws:SourceArn condition (ArnEquals/ArnLike)',
      ),
    ]);
  });

  it("fails a queue EventBridge feeds that has no policy, and one whose SourceArn names another rule", () => {
    const result = findings(sqsEventBridgeSourceArn, (s) =>
      eventBridgeFed(s, (q) =>
        q.node.id === "dlq"
          ? undefined
          : [eventsSend(q, { ArnEquals: { "aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/payments" } })],
      ),
    );
    expect(result).toEqual([
      finding(
        sqsEventBridgeSourceArn,
        "aws_sqs_queue.target",
        "no queue policy statement allows events.amazonaws.com with aws:SourceArn matching aws_cloudwatch_event_rule.orders",
      ),
      finding(
        sqsEventBridgeSourceArn,
        "aws_sqs_queue.dlq",
        "EventBridge delivers here (aws_cloudwatch_event_target.to-target) but no queue policy allows events.amazonaws.com sqs:SendMessage",
      ),
    ]);
  });

  it("resolves expressions: a variable, another resource or another rule in aws:SourceArn does not name the feeding rule", () => {
    const result = (sourceArn: (s: TerraformStack) => string, ruleName?: (s: TerraformStack) => string) =>
      findings(sqsEventBridgeSourceArn, (s) => {
        const arn = sourceArn(s);
        eventBridgeFed(s, (q) => [eventsSend(q, { ArnEquals: { "aws:SourceArn": arn } })], ruleName?.(s));
      }).filter((f) => f.address === "aws_sqs_queue.target");
    const uncovered = [
      finding(
        sqsEventBridgeSourceArn,
        "aws_sqs_queue.target",
        "no queue policy statement allows events.amazonaws.com with aws:SourceArn matching aws_cloudwatch_event_rule.orders",
      ),
    ];
    const variable = (s: TerraformStack, id: string) => new TerraformVariable(s, id, { type: "string" }).stringValue;
    // The rule's name is an expression; a literal ARN of another rule must not be accepted.
    expect(
      result(
        () => "arn:aws:events:eu-west-1:111111111111:rule/payments",
        (s) => variable(s, "rule_name"),
      ),
    ).toEqual(uncovered);
    // The ARN's rule part is a variable, not the rule's name.
    expect(result((s) => `arn:aws:events:eu-west-1:111111111111:rule/${variable(s, "any_rule")}`)).toEqual(uncovered);
    // The whole ARN is a variable, or another rule's ARN.
    expect(result((s) => variable(s, "rule_arn"))).toEqual(uncovered);
    expect(
      result(
        (s) =>
          new CloudwatchEventRule(s, "payments", {
            name: "payments",
            eventPattern: JSON.stringify({ source: ["shop.payments"] }),
          }).arn,
      ),
    ).toEqual(uncovered);
  });

  it("passes an ARN built from the feeding rule's own name reference, or the same expression the rule is named with", () => {
    const pass = (sourceArn: (s: TerraformStack, ruleNameText: string | undefined) => string, named?: boolean) =>
      findings(sqsEventBridgeSourceArn, (s) => {
        const name = named ? new TerraformVariable(s, "rule_name", { type: "string" }).stringValue : undefined;
        eventBridgeFed(
          s,
          (q, rule) => [eventsSend(q, { ArnEquals: { "aws:SourceArn": sourceArn(s, name ?? rule.name) } })],
          name,
        );
      });
    expect(pass((_s, name) => `arn:aws:events:eu-west-1:111111111111:rule/${name}`)).toEqual([]);
    expect(pass((_s, name) => `arn:aws:events:eu-west-1:111111111111:rule/${name}`, true)).toEqual([]);
  });

  it("passes policies conditioned on the feeding rule's ARN (by reference or literal ARN)", () => {
    expect(
      findings(sqsEventBridgeSourceArn, (s) =>
        eventBridgeFed(s, (q, rule) => [eventsSend(q, { ArnEquals: { "aws:SourceArn": rule.arn } })]),
      ),
    ).toEqual([]);
    const literal = {
      ArnLike: { "aws:SourceArn": "arn:${data.aws_partition.p.partition}:events:eu-west-1:111111111111:rule/orders" },
    };
    expect(findings(sqsEventBridgeSourceArn, (s) => eventBridgeFed(s, (q) => [eventsSend(q, literal)]))).toEqual([]);
  });
});
