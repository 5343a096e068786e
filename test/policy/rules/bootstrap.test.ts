import { IamOpenidConnectProvider } from "@cdktn/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { S3Bucket } from "@cdktn/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktn/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktn/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktn/provider-aws/lib/s3-bucket-versioning";
import type { TerraformStack } from "cdktn";
import {
  iamOidcTrustRestricted,
  s3BucketEncrypted,
  s3BucketVersioned,
  s3PublicAccessBlocked,
  s3TlsOnly,
} from "../../../policy/rules/bootstrap";
import { finding, findings } from "../scratch";

const BUCKET = "aws_s3_bucket.state";

/** A bucket with everything the rules want; `omit` leaves one part out, `edit` changes parts. */
function bucket(
  s: TerraformStack,
  omit: string[] = [],
  edit: { status?: string; sse?: string; acls?: boolean; tlsCondition?: string; objectsOnly?: boolean } = {},
) {
  const b = new S3Bucket(s, "state", { bucket: "acme-state" });
  if (!omit.includes("versioning"))
    new S3BucketVersioningA(s, "versioning", {
      bucket: b.id,
      versioningConfiguration: { status: edit.status ?? "Enabled" },
    });
  if (!omit.includes("encryption"))
    new S3BucketServerSideEncryptionConfigurationA(s, "sse", {
      bucket: b.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: edit.sse ?? "AES256" } }],
    });
  if (!omit.includes("public")) {
    new S3BucketPublicAccessBlock(s, "public", {
      bucket: b.id,
      blockPublicAcls: edit.acls ?? true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  }
  if (!omit.includes("policy")) {
    const resource = edit.objectsOnly ? [`${b.arn}/*`] : [b.arn, `${b.arn}/*`];
    new S3BucketPolicy(s, "policy", {
      bucket: b.id,
      policy: JSON.stringify({
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: resource,
            Condition: { Bool: { "aws:SecureTransport": edit.tlsCondition ?? "false" } },
          },
        ],
      }),
    });
  }
}

describe("s3-bucket-versioned (CKV_AWS_21)", () => {
  it("fails a bucket without versioning, or with versioning suspended", () => {
    expect(findings(s3BucketVersioned, (s) => bucket(s, ["versioning"]))).toEqual([
      finding(s3BucketVersioned, BUCKET, 'no aws_s3_bucket_versioning with status "Enabled" for this bucket'),
    ]);
    expect(findings(s3BucketVersioned, (s) => bucket(s, [], { status: "Suspended" }))).toEqual([
      finding(
        s3BucketVersioned,
        BUCKET,
        'aws_s3_bucket_versioning.versioning has status "Suspended", expected "Enabled"',
      ),
    ]);
  });
  it("passes a versioned bucket", () => expect(findings(s3BucketVersioned, (s) => bucket(s))).toEqual([]));
});

describe("s3-bucket-encrypted (CKV_AWS_19)", () => {
  it("fails a bucket without default encryption or with an unknown algorithm", () => {
    expect(findings(s3BucketEncrypted, (s) => bucket(s, ["encryption"]))).toEqual([
      finding(s3BucketEncrypted, BUCKET, "no aws_s3_bucket_server_side_encryption_configuration for this bucket"),
    ]);
    expect(findings(s3BucketEncrypted, (s) => bucket(s, [], { sse: "none" }))).toEqual([
      finding(
        s3BucketEncrypted,
        BUCKET,
        'aws_s3_bucket_server_side_encryption_configuration.sse sets sse_algorithm ["none"], expected one of AES256, aws:kms, aws:kms:dsse',
      ),
    ]);
  });
  it("passes AES256 and aws:kms", () => {
    expect(findings(s3BucketEncrypted, (s) => bucket(s))).toEqual([]);
    expect(findings(s3BucketEncrypted, (s) => bucket(s, [], { sse: "aws:kms" }))).toEqual([]);
  });
});

describe("s3-public-access-blocked (CKV2_AWS_6)", () => {
  it("fails a bucket without a public access block, or with a flag off", () => {
    expect(findings(s3PublicAccessBlocked, (s) => bucket(s, ["public"]))).toEqual([
      finding(s3PublicAccessBlocked, BUCKET, "no aws_s3_bucket_public_access_block for this bucket"),
    ]);
    expect(findings(s3PublicAccessBlocked, (s) => bucket(s, [], { acls: false }))).toEqual([
      finding(
        s3PublicAccessBlocked,
        BUCKET,
        "aws_s3_bucket_public_access_block.public does not set block_public_acls to true",
      ),
    ]);
  });
  it("passes all four flags on", () => expect(findings(s3PublicAccessBlocked, (s) => bucket(s))).toEqual([]));
});

describe("s3-tls-only", () => {
  it("fails a bucket without a policy, a policy that does not deny HTTP, and one that covers only the objects", () => {
    expect(findings(s3TlsOnly, (s) => bucket(s, ["policy"]))).toEqual([
      finding(s3TlsOnly, BUCKET, "no aws_s3_bucket_policy for this bucket, so nothing refuses plain HTTP"),
    ]);
    expect(findings(s3TlsOnly, (s) => bucket(s, [], { tlsCondition: "true" }))).toEqual([
      finding(s3TlsOnly, BUCKET, 'no statement denies "s3:*" to "*" when aws:SecureTransport is "false"'),
    ]);
    expect(findings(s3TlsOnly, (s) => bucket(s, [], { objectsOnly: true }))).toEqual([
      finding(
        s3TlsOnly,
        BUCKET,
        "the aws:SecureTransport deny does not cover both the bucket and its objects (<arn> and <arn>/*)",
      ),
    ]);
  });
  it("passes a TLS-only bucket policy", () => expect(findings(s3TlsOnly, (s) => bucket(s))).toEqual([]));
});

describe("iam-oidc-trust-restricted (CKV_AWS_358)", () => {
  function role(s: TerraformStack, condition: Record<string, unknown>) {
    const oidc = new IamOpenidConnectProvider(s, "github", {
      url: "https://token.actions.githubusercontent.com",
      clientIdList: ["sts.amazonaws.com"],
    });
    new IamRole(s, "deploy", {
      name: "deploy",
      assumeRolePolicy: JSON.stringify({
        Statement: [
          {
            Sid: "GitHub",
            Effect: "Allow",
            Principal: { Federated: oidc.arn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: condition,
          },
        ],
      }),
    });
  }
  const AUD = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };

  it("fails a wildcard sub (StringLike), a sub of a whole repository, and a missing audience", () => {
    expect(
      findings(iamOidcTrustRestricted, (s) =>
        role(s, { StringEquals: AUD, StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/edge:*" } }),
      ),
    ).toEqual([
      finding(
        iamOidcTrustRestricted,
        "aws_iam_role.deploy",
        'statement "GitHub" admits GitHub tokens without a StringEquals condition on token.actions.githubusercontent.com:sub (only StringLike)',
      ),
    ]);
    expect(
      findings(iamOidcTrustRestricted, (s) =>
        role(s, {
          StringEquals: {
            ...AUD,
            "token.actions.githubusercontent.com:sub": ["repo:acme/edge:ref:refs/heads/main", "repo:acme/*"],
          },
        }),
      ),
    ).toEqual([
      finding(
        iamOidcTrustRestricted,
        "aws_iam_role.deploy",
        'statement "GitHub" admits sub "repo:acme/*", expected repo:<owner>/<repo>:ref:refs/heads/<branch>, :environment:<name> or :pull_request without wildcards',
      ),
    ]);
    expect(
      findings(iamOidcTrustRestricted, (s) =>
        role(s, { StringEquals: { "token.actions.githubusercontent.com:sub": "repo:acme/edge:environment:prod" } }),
      ),
    ).toEqual([
      finding(
        iamOidcTrustRestricted,
        "aws_iam_role.deploy",
        'statement "GitHub" does not require token.actions.githubusercontent.com:aud = "sts.amazonaws.com" (StringEquals)',
      ),
    ]);
  });

  it("passes a trust on one repository and one environment, branch or pull requests", () => {
    const sub = [
      "repo:acme/edge:environment:prod",
      "repo:acme/edge:ref:refs/heads/main",
      "repo:acme/edge:pull_request",
    ];
    expect(
      findings(iamOidcTrustRestricted, (s) =>
        role(s, { StringEquals: { ...AUD, "token.actions.githubusercontent.com:sub": sub } }),
      ),
    ).toEqual([]);
  });

  it("ignores roles GitHub cannot assume", () => {
    expect(
      findings(
        iamOidcTrustRestricted,
        (s) =>
          new IamRole(s, "svc", {
            name: "svc",
            assumeRolePolicy: JSON.stringify({
              Statement: [
                { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
              ],
            }),
          }),
      ),
    ).toEqual([]);
  });
});
