import { DataAwsIamPolicyDocument } from "@cdktn/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktn/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { Fn, type TerraformStack } from "cdktn";
import { iamNoWildcardAction, iamNoWildcardResource } from "../../../policy/rules/iam";
import { finding, findings } from "../scratch";

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** A role with one inline role policy made of `statements` (built with the stack's queue). */
function rolePolicy(stack: TerraformStack, statements: (queueArn: string) => Record<string, unknown>[]) {
  const q = new SqsQueue(stack, "queue", { name: "orders", sqsManagedSseEnabled: true });
  const role = new IamRole(stack, "role", { name: "worker", assumeRolePolicy: TRUST });
  new IamRolePolicy(stack, "policy", {
    role: role.name,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: statements(q.arn) }),
  });
}

describe("iam-no-wildcard-action (CKV_AWS_63)", () => {
  it('fails "*" and "sqs:*" in a role policy', () => {
    expect(
      findings(iamNoWildcardAction, (s) =>
        rolePolicy(s, (arn) => [{ Sid: "All", Effect: "Allow", Action: ["*", "sqs:*"], Resource: arn }]),
      ),
    ).toEqual([
      finding(
        iamNoWildcardAction,
        "aws_iam_role_policy.policy",
        'statement "All" allows action "*", "sqs:*"; list the actions needed',
      ),
    ]);
  });

  it("fails NotAction in an Allow, and a wildcard in an aws_iam_policy_document (reported once, on the document)", () => {
    expect(
      findings(iamNoWildcardAction, (s) =>
        rolePolicy(s, (arn) => [{ Effect: "Allow", NotAction: "iam:*", Resource: arn }]),
      ),
    ).toEqual([
      finding(
        iamNoWildcardAction,
        "aws_iam_role_policy.policy",
        'statement #1 allows every action except NotAction ["iam:*"]',
      ),
    ]);
    const viaDoc = findings(iamNoWildcardAction, (s) => {
      const doc = new DataAwsIamPolicyDocument(s, "doc", {
        statement: [{ effect: "Allow", actions: ["*"], resources: ["*"] }],
      });
      new IamPolicy(s, "admin", { name: "admin", policy: doc.json });
    });
    expect(viaDoc).toEqual([
      finding(
        iamNoWildcardAction,
        "data.aws_iam_policy_document.doc",
        'statement #1 allows action "*"; list the actions needed',
      ),
    ]);
  });

  it("fails a policy it cannot read (an HCL expression) rather than passing it", () => {
    const result = findings(iamNoWildcardAction, (s) => {
      new IamPolicy(s, "opaque", { name: "opaque", policy: Fn.jsonencode({ Version: "2012-10-17", Statement: [] }) });
    });
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ rule: "iam-no-wildcard-action", address: "aws_iam_policy.opaque" });
    expect(result[0].reason).toMatch(/^cannot read the policy: policy is the expression "\$\{jsonencode\(/);
  });

  it("passes named actions, and a Deny of *", () => {
    const result = findings(iamNoWildcardAction, (s) =>
      rolePolicy(s, (arn) => [
        {
          Effect: "Allow",
          Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
          Resource: arn,
        },
        { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
      ]),
    );
    expect(result).toEqual([]);
  });
});

describe("iam-no-wildcard-resource (CKV_AWS_355)", () => {
  it('fails a scopable action on "Resource": "*"', () => {
    expect(
      findings(iamNoWildcardResource, (s) =>
        rolePolicy(s, () => [
          { Sid: "Send", Effect: "Allow", Action: ["sqs:SendMessage", "xray:PutTraceSegments"], Resource: "*" },
        ]),
      ),
    ).toEqual([
      finding(
        iamNoWildcardResource,
        "aws_iam_role_policy.policy",
        'statement "Send" grants "sqs:SendMessage" on "Resource": "*"; scope it to ARNs',
      ),
    ]);
  });

  it("fails NotResource", () => {
    expect(
      findings(iamNoWildcardResource, (s) =>
        rolePolicy(s, (arn) => [{ Effect: "Allow", Action: "sqs:SendMessage", NotResource: arn }]),
      ),
    ).toEqual([
      finding(
        iamNoWildcardResource,
        "aws_iam_role_policy.policy",
        "statement #1 uses NotResource, which grants every other resource",
      ),
    ]);
  });

  it("passes unscopable actions on * and scoped actions on ARNs", () => {
    const result = findings(iamNoWildcardResource, (s) =>
      rolePolicy(s, (arn) => [
        {
          Effect: "Allow",
          Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "cloudwatch:PutMetricData"],
          Resource: "*",
        },
        { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: arn },
      ]),
    );
    expect(result).toEqual([]);
  });
});
