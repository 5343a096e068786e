/**
 * Rules for what an account's bootstrap creates: the Terraform state bucket (versioned, encrypted,
 * public access blocked, TLS only) and the roles GitHub Actions assume (OIDC trust restricted to
 * one repository and a ref, environment or pull requests).
 */
import { conditionOn, isPublicPrincipal, readPolicy, statementLabel, type PolicyStatement } from "../policy-document";
import type { Rule, Violation } from "../rule";
import { block, blocks, type StackView, strings, type TfResource } from "../terraform-json";

const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];
const GITHUB_ISSUER = "token.actions.githubusercontent.com";
/** A GitHub token subject of one repository and one branch/tag, GitHub environment or pull requests, without wildcards. */
const RESTRICTED_SUB =
  /^repo:[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+:(ref:refs\/(heads|tags)\/[^*?]+|environment:[^*?]+|pull_request)$/;

/** The bucket-level resources of `type` that configure `bucket` (by reference or by its literal name). */
function configurationsOf(stack: StackView, type: string, bucket: TfResource): TfResource[] {
  return stack
    .resources(type)
    .filter(
      (r) =>
        stack.refersTo(r.body.bucket, bucket) ||
        (typeof bucket.body.bucket === "string" && r.body.bucket === bucket.body.bucket),
    );
}

export const s3BucketVersioned: Rule = {
  id: "s3-bucket-versioned",
  checkov: "CKV_AWS_21",
  meaning:
    "every S3 bucket has versioning enabled (an aws_s3_bucket_versioning with status Enabled), so a bad state write can be rolled back",
  kinds: ["aws_s3_bucket"],
  check(stack) {
    const out: Violation[] = [];
    for (const bucket of stack.resources("aws_s3_bucket")) {
      if (block(bucket.body.versioning)?.enabled === true) continue;
      const configs = configurationsOf(stack, "aws_s3_bucket_versioning", bucket);
      if (configs.length === 0)
        out.push({
          address: bucket.address,
          reason: 'no aws_s3_bucket_versioning with status "Enabled" for this bucket',
        });
      for (const c of configs) {
        const status = block(c.body.versioning_configuration)?.status;
        if (status !== "Enabled")
          out.push({
            address: bucket.address,
            reason: `${c.address} has status ${JSON.stringify(status ?? "unset")}, expected "Enabled"`,
          });
      }
    }
    return out;
  },
};

export const s3BucketEncrypted: Rule = {
  id: "s3-bucket-encrypted",
  checkov: "CKV_AWS_19",
  meaning:
    "every S3 bucket has default encryption configured (aws_s3_bucket_server_side_encryption_configuration with AES256, aws:kms or aws:kms:dsse)",
  kinds: ["aws_s3_bucket"],
  check(stack) {
    const out: Violation[] = [];
    for (const bucket of stack.resources("aws_s3_bucket")) {
      const configs = configurationsOf(stack, "aws_s3_bucket_server_side_encryption_configuration", bucket);
      if (configs.length === 0) {
        out.push({
          address: bucket.address,
          reason: "no aws_s3_bucket_server_side_encryption_configuration for this bucket",
        });
        continue;
      }
      for (const c of configs) {
        const algorithms = blocks(c.body.rule).map(
          (r) => block(r.apply_server_side_encryption_by_default)?.sse_algorithm,
        );
        if (algorithms.length === 0 || algorithms.some((a) => !SSE_ALGORITHMS.includes(a))) {
          out.push({
            address: bucket.address,
            reason: `${c.address} sets sse_algorithm ${JSON.stringify(algorithms)}, expected one of ${SSE_ALGORITHMS.join(", ")}`,
          });
        }
      }
    }
    return out;
  },
};

const PUBLIC_ACCESS_FLAGS = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
];

export const s3PublicAccessBlocked: Rule = {
  id: "s3-public-access-blocked",
  checkov: "CKV2_AWS_6",
  meaning: `every S3 bucket has an aws_s3_bucket_public_access_block with ${PUBLIC_ACCESS_FLAGS.join(", ")} all true`,
  kinds: ["aws_s3_bucket"],
  check(stack) {
    const out: Violation[] = [];
    for (const bucket of stack.resources("aws_s3_bucket")) {
      const blocks_ = configurationsOf(stack, "aws_s3_bucket_public_access_block", bucket);
      if (blocks_.length === 0)
        out.push({ address: bucket.address, reason: "no aws_s3_bucket_public_access_block for this bucket" });
      for (const b of blocks_) {
        const off = PUBLIC_ACCESS_FLAGS.filter((f) => b.body[f] !== true);
        if (off.length > 0)
          out.push({ address: bucket.address, reason: `${b.address} does not set ${off.join(", ")} to true` });
      }
    }
    return out;
  },
};

/** True when a statement denies everyone every S3 action on plain HTTP. */
function deniesInsecureTransport(s: PolicyStatement): boolean {
  const everyone = isPublicPrincipal(s.principals);
  const allS3 = s.actions.some((a) => a === "*" || a === "s3:*");
  const http = conditionOn(s, "aws:SecureTransport").some((c) => c.test === "Bool" && c.values.includes("false"));
  return s.effect === "Deny" && everyone && allS3 && http;
}

export const s3TlsOnly: Rule = {
  id: "s3-tls-only",
  meaning:
    'every S3 bucket has a bucket policy denying every principal all S3 actions on the bucket and its objects when aws:SecureTransport is "false"',
  kinds: ["aws_s3_bucket"],
  check(stack) {
    const out: Violation[] = [];
    for (const bucket of stack.resources("aws_s3_bucket")) {
      const policies = configurationsOf(stack, "aws_s3_bucket_policy", bucket);
      if (policies.length === 0) {
        out.push({
          address: bucket.address,
          reason: "no aws_s3_bucket_policy for this bucket, so nothing refuses plain HTTP",
        });
        continue;
      }
      const statements = policies.flatMap((p) => {
        const doc = readPolicy(stack, p.body.policy);
        return doc.readable ? doc.statements : [];
      });
      const unreadable = policies.filter((p) => !readPolicy(stack, p.body.policy).readable);
      for (const p of unreadable)
        out.push({ address: bucket.address, reason: `cannot read the policy of ${p.address}` });
      const tls = statements.filter(deniesInsecureTransport);
      const name = typeof bucket.body.bucket === "string" ? `arn:aws:s3:::${bucket.body.bucket}` : undefined;
      const ofBucket = (r: string, objects: boolean) =>
        r === "*" ||
        (stack.refersTo(r, bucket) && (objects ? /\}\/\*$/.test(r) : r.endsWith("}"))) ||
        r === (objects ? `${name}/*` : name);
      const covers = (objects: boolean) => tls.some((s) => s.resources.some((r) => ofBucket(r, objects)));
      if (tls.length === 0)
        out.push({
          address: bucket.address,
          reason: 'no statement denies "s3:*" to "*" when aws:SecureTransport is "false"',
        });
      else if (!covers(false) || !covers(true))
        out.push({
          address: bucket.address,
          reason: "the aws:SecureTransport deny does not cover both the bucket and its objects (<arn> and <arn>/*)",
        });
    }
    return out;
  },
};

/** True when a trust statement admits GitHub Actions tokens (a Federated principal of GitHub's OIDC provider). */
function trustsGithub(stack: StackView, s: PolicyStatement): boolean {
  if (
    s.effect !== "Allow" ||
    !s.actions.some((a) => a === "sts:AssumeRoleWithWebIdentity" || a === "sts:*" || a === "*")
  )
    return false;
  const ids = s.principals.filter((p) => p.type === "Federated").flatMap((p) => p.ids);
  return ids.some(
    (id) =>
      id.includes(GITHUB_ISSUER) ||
      stack
        .referenced(id, "aws_iam_openid_connect_provider")
        .some((p) => String(p.body.url ?? "").includes(GITHUB_ISSUER)),
  );
}

function oidcTrustProblems(s: PolicyStatement, label: string): string[] {
  const problems: string[] = [];
  const sub = conditionOn(s, `${GITHUB_ISSUER}:sub`);
  const exact = sub.filter((c) => c.test === "StringEquals");
  if (exact.length === 0) {
    problems.push(
      `${label} admits GitHub tokens without a StringEquals condition on ${GITHUB_ISSUER}:sub${sub.length ? ` (only ${sub.map((c) => c.test).join(", ")})` : ""}`,
    );
  }
  const loose = sub.filter((c) => c.test !== "StringEquals");
  if (exact.length > 0 && loose.length > 0)
    problems.push(
      `${label} also matches ${GITHUB_ISSUER}:sub with ${loose.map((c) => c.test).join(", ")}; expected StringEquals only`,
    );
  for (const value of exact.flatMap((c) => c.values).filter((v) => !RESTRICTED_SUB.test(v))) {
    problems.push(
      `${label} admits sub "${value}", expected repo:<owner>/<repo>:ref:refs/heads/<branch>, :environment:<name> or :pull_request without wildcards`,
    );
  }
  const aud = conditionOn(s, `${GITHUB_ISSUER}:aud`);
  if (
    !aud.some(
      (c) => c.test === "StringEquals" && c.values.length > 0 && c.values.every((v) => v === "sts.amazonaws.com"),
    )
  ) {
    problems.push(`${label} does not require ${GITHUB_ISSUER}:aud = "sts.amazonaws.com" (StringEquals)`);
  }
  return problems;
}

export const iamOidcTrustRestricted: Rule = {
  id: "iam-oidc-trust-restricted",
  checkov: "CKV_AWS_358",
  meaning:
    "every role GitHub Actions can assume through OIDC requires aud sts.amazonaws.com and StringEquals on sub naming one repository and a branch or tag, a GitHub environment or pull requests (no wildcards)",
  kinds: ["aws_iam_role"],
  check(stack) {
    const out: Violation[] = [];
    for (const role of stack.resources("aws_iam_role")) {
      const doc = readPolicy(stack, role.body.assume_role_policy);
      if (!doc.readable) {
        if (strings(role.body.assume_role_policy).some((t) => t.includes(GITHUB_ISSUER)))
          out.push({ address: role.address, reason: `cannot read the trust policy: ${doc.problem}` });
        continue;
      }
      doc.statements.forEach((s, i) => {
        if (trustsGithub(stack, s))
          for (const reason of oidcTrustProblems(s, statementLabel(s, i))) out.push({ address: role.address, reason });
      });
    }
    return out;
  },
};

/** Bootstrap rules, in report order. */
export const BOOTSTRAP_RULES: readonly Rule[] = [
  s3BucketVersioned,
  s3BucketEncrypted,
  s3PublicAccessBlocked,
  s3TlsOnly,
  iamOidcTrustRestricted,
];
