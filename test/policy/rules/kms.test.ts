import { DataAwsIamPolicyDocument } from "@cdktn/provider-aws/lib/data-aws-iam-policy-document";
import { KmsKey } from "@cdktn/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktn/provider-aws/lib/kms-key-policy";
import type { TerraformStack } from "cdktn";
import { kmsServicePrincipalScoped } from "../../../policy/rules/kms";
import { finding, findings } from "../scratch";

const QUEUE = "arn:aws:sqs:eu-west-1:111111111111:orders";
const admin = {
  Sid: "Admin",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111111111111:root" },
  Action: ["kms:Describe*", "kms:Put*"],
  Resource: "*",
};
const events = (condition?: Record<string, unknown>) => ({
  Sid: "EventBridgeUsesKey",
  Effect: "Allow",
  Principal: { Service: "events.amazonaws.com" },
  Action: ["kms:GenerateDataKey", "kms:Decrypt"],
  Resource: "*",
  ...(condition ? { Condition: condition } : {}),
});
const key = (s: TerraformStack, ...statements: Record<string, unknown>[]) =>
  new KmsKey(s, "key", {
    enableKeyRotation: true,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [admin, ...statements] }),
  });
const hint =
  "scope it with kms:EncryptionContext:<the service's context key> (e.g. aws:sqs:arn, aws:sns:topicArn) or kms:ViaService";

describe("kms-service-principal-scoped", () => {
  it("fails a service principal with no condition, and one scoped only by aws:SourceAccount / aws:SourceArn", () => {
    expect(findings(kmsServicePrincipalScoped, (s) => key(s, events()))).toEqual([
      finding(
        kmsServicePrincipalScoped,
        "aws_kms_key.key",
        `statement "EventBridgeUsesKey" lets events.amazonaws.com use the key with no condition; ${hint}`,
      ),
    ]);
    const sourceOnly = events({
      StringEquals: { "aws:SourceAccount": "111111111111" },
      ArnEquals: { "aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/orders" },
    });
    expect(findings(kmsServicePrincipalScoped, (s) => key(s, sourceOnly))).toEqual([
      finding(
        kmsServicePrincipalScoped,
        "aws_kms_key.key",
        `statement "EventBridgeUsesKey" lets events.amazonaws.com use the key with only aws:SourceAccount and aws:SourceArn, which AWS does not document to reach KMS when a service encrypts through SQS or SNS; ${hint}`,
      ),
    ]);
  });

  it("does not accept conditions that hold when the key is absent (IfExists, ForAllValues) or a bare wildcard", () => {
    for (const condition of [
      { StringEqualsIfExists: { "kms:EncryptionContext:aws:sqs:arn": QUEUE } },
      { "ForAllValues:StringEquals": { "kms:EncryptionContext:aws:sqs:arn": [QUEUE] } },
      { StringLike: { "kms:EncryptionContext:aws:sqs:arn": "*" } },
    ]) {
      expect(findings(kmsServicePrincipalScoped, (s) => key(s, events(condition))).map((f) => f.reason)).toEqual([
        `statement "EventBridgeUsesKey" lets events.amazonaws.com use the key with no condition; ${hint}`,
      ]);
    }
  });

  it("reads aws_kms_key_policy resources and policy documents, and reports a policy it cannot read", () => {
    const result = findings(kmsServicePrincipalScoped, (s) => {
      const k = new KmsKey(s, "key", { enableKeyRotation: true });
      const doc = new DataAwsIamPolicyDocument(s, "doc", {
        statement: [
          {
            sid: "LogsUseKey",
            effect: "Allow",
            actions: ["kms:Encrypt"],
            resources: ["*"],
            principals: [{ type: "Service", identifiers: ["logs.amazonaws.com"] }],
          },
        ],
      });
      new KmsKeyPolicy(s, "by-doc", { keyId: k.id, policy: doc.json });
      new KmsKeyPolicy(s, "by-expression", { keyId: k.id, policy: "${var.policy}" });
    });
    expect(result).toEqual([
      finding(
        kmsServicePrincipalScoped,
        "aws_kms_key_policy.by-doc",
        `statement "LogsUseKey" lets logs.amazonaws.com use the key with no condition; ${hint}`,
      ),
      finding(
        kmsServicePrincipalScoped,
        "aws_kms_key_policy.by-expression",
        'cannot read the key policy: policy is the expression "${var.policy}", which the checks cannot read',
      ),
    ]);
  });

  it("passes the queue's or topic's encryption context, kms:ViaService, and statements without a service principal", () => {
    expect(
      findings(kmsServicePrincipalScoped, (s) =>
        key(s, events({ StringEquals: { "kms:EncryptionContext:aws:sqs:arn": [QUEUE] } })),
      ),
    ).toEqual([]);
    expect(
      findings(kmsServicePrincipalScoped, (s) =>
        key(
          s,
          events({
            "ForAnyValue:StringLike": { "kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:*:111111111111:alarms" },
          }),
        ),
      ),
    ).toEqual([]);
    expect(
      findings(kmsServicePrincipalScoped, (s) =>
        key(s, events({ StringEquals: { "kms:ViaService": "sqs.eu-west-1.amazonaws.com" } })),
      ),
    ).toEqual([]);
    expect(findings(kmsServicePrincipalScoped, (s) => key(s))).toEqual([]);
  });
});
