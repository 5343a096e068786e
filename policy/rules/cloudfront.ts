/** CloudFront rules: HTTPS to viewers and origins, TLS 1.2+, no cross-client cache hits, and access logs. */
import type { Rule, Violation } from "../rule";
import { block, blocks, isExpression, type StackView, strings, type TfResource } from "../terraform-json";

const DISTRIBUTION = "aws_cloudfront_distribution";
const CACHE_POLICY = "aws_cloudfront_cache_policy";

/** The default behaviour and every ordered behaviour, with a label for messages. */
function behaviours(d: TfResource): { label: string; body: Record<string, any> }[] {
  const out: { label: string; body: Record<string, any> }[] = [];
  const def = block(d.body.default_cache_behavior);
  if (def) out.push({ label: "default_cache_behavior", body: def });
  for (const b of blocks(d.body.ordered_cache_behavior))
    out.push({ label: `ordered_cache_behavior "${b.path_pattern}"`, body: b });
  return out;
}

const HTTPS_VIEWER = ["https-only", "redirect-to-https"];

export const cloudFrontViewerHttps: Rule = {
  id: "cloudfront-viewer-https",
  checkov: "CKV_AWS_34",
  meaning:
    "every CloudFront cache behaviour sends viewers over HTTPS (viewer_protocol_policy https-only or redirect-to-https)",
  kinds: [DISTRIBUTION],
  check(stack) {
    const out: Violation[] = [];
    for (const d of stack.resources(DISTRIBUTION)) {
      for (const b of behaviours(d)) {
        if (!HTTPS_VIEWER.includes(b.body.viewer_protocol_policy)) {
          out.push({
            address: d.address,
            reason: `${b.label}.viewer_protocol_policy is ${JSON.stringify(b.body.viewer_protocol_policy ?? "unset")}, expected https-only or redirect-to-https`,
          });
        }
      }
    }
    return out;
  },
};

export const cloudFrontOriginHttps: Rule = {
  id: "cloudfront-origin-https",
  checkov: "CKV2_AWS_72",
  meaning:
    "every CloudFront custom origin is reached over HTTPS only (origin_protocol_policy https-only) with TLSv1.2 as the only origin SSL protocol",
  kinds: [DISTRIBUTION],
  check(stack) {
    const out: Violation[] = [];
    for (const d of stack.resources(DISTRIBUTION)) {
      for (const origin of blocks(d.body.origin)) {
        const custom = block(origin.custom_origin_config);
        if (!custom) continue; // S3 origins are always fetched over HTTPS.
        const label = `origin "${origin.origin_id}"`;
        if (custom.origin_protocol_policy !== "https-only") {
          out.push({
            address: d.address,
            reason: `${label}: origin_protocol_policy is ${JSON.stringify(custom.origin_protocol_policy ?? "unset")}, expected https-only`,
          });
        }
        const weak = strings(custom.origin_ssl_protocols).filter((p) => p !== "TLSv1.2");
        if (weak.length > 0)
          out.push({
            address: d.address,
            reason: `${label}: origin_ssl_protocols allows ${weak.join(", ")}; expected only TLSv1.2`,
          });
      }
    }
    return out;
  },
};

/** Distributions with their own certificate (ACM or IAM): the default *.cloudfront.net certificate takes no minimum TLS version. */
function ownCertificateDistributions(stack: StackView): TfResource[] {
  return stack.resources(DISTRIBUTION).filter((d) => {
    const cert = block(d.body.viewer_certificate);
    return Boolean(cert && (cert.acm_certificate_arn || cert.iam_certificate_id));
  });
}

export const cloudFrontTls12: Rule = {
  id: "cloudfront-tls12",
  checkov: "CKV_AWS_174",
  meaning:
    "a CloudFront distribution with its own certificate requires TLS 1.2 or later from viewers (minimum_protocol_version TLSv1.2_* or TLSv1.3_*); one on CloudFront's default certificate passes, having no TLS policy of its own to set (a custom domain gives it one)",
  kinds: [DISTRIBUTION],
  // Every distribution is judged: one on the default certificate passes (CloudFront sets its TLS policy; the module
  // annotates it), so an app with a distribution never sees this rule idle.
  check(stack) {
    const out: Violation[] = [];
    for (const d of ownCertificateDistributions(stack)) {
      const v = block(d.body.viewer_certificate)?.minimum_protocol_version;
      if (!(typeof v === "string" && /^TLSv1\.[23]_/.test(v))) {
        out.push({
          address: d.address,
          reason: `viewer_certificate.minimum_protocol_version is ${JSON.stringify(v ?? "unset")}, expected TLSv1.2_2021 or later`,
        });
      }
    }
    return out;
  },
};

/** AWS managed cache policies by id (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html). */
const MANAGED_CACHE_POLICIES: Readonly<Record<string, string>> = {
  "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": "Managed-CachingDisabled",
  "658327ea-f89d-4fab-a63d-7e88639e58f6": "Managed-CachingOptimized",
  "b2884449-e4de-46a7-ac36-70bc7f1ddd6d": "Managed-CachingOptimizedForUncompressedObjects",
  "08627262-05a9-4f76-9ded-b50ca2e3a84f": "Managed-Elemental-MediaPackage",
  "83da9c7e-98b4-4e11-a168-04f0df8e2c65": "Managed-Amplify",
};
const CACHING_DISABLED = "Managed-CachingDisabled";
const API_KEY_HEADER = "x-api-key";

function num(value: unknown, fallback: number): number {
  return value === undefined || value === null ? fallback : Number(value);
}

/** Why a cache policy resource caches responses without x-api-key in the key, or undefined when it is safe. */
function cachePolicyProblem(policy: TfResource): string | undefined {
  // Terraform defaults: default_ttl 86400, max_ttl 31536000. max_ttl 0 means nothing is ever cached.
  const maxTtl = num(policy.body.max_ttl, 31536000);
  if (isExpression(policy.body.max_ttl) || maxTtl > 0) {
    const params = block(policy.body.parameters_in_cache_key_and_forwarded_to_origin);
    const headers = block(params?.headers_config);
    const items = strings(block(headers?.headers)?.items).map((h) => h.toLowerCase());
    if (headers?.header_behavior !== "whitelist" || !items.includes(API_KEY_HEADER)) {
      return `caches responses (max_ttl ${policy.body.max_ttl ?? "default 31536000"}) but ${API_KEY_HEADER} is not in its cache key (headers_config whitelist)`;
    }
  }
  return undefined;
}

/** Why a behaviour can serve one client's cached response to another, or undefined when it cannot. */
function behaviourProblem(stack: StackView, b: Record<string, any>): string | undefined {
  const id = b.cache_policy_id;
  if (id !== undefined && id !== "") {
    const resource = stack.referenced(id, CACHE_POLICY).find((r) => !r.address.startsWith("data."));
    if (resource) {
      const problem = cachePolicyProblem(resource);
      return problem && `cache policy ${resource.address} ${problem}`;
    }
    const data = stack.referenced(id).find((r) => r.address.startsWith(`data.${CACHE_POLICY}.`));
    const name = data ? data.body.name : MANAGED_CACHE_POLICIES[String(id)];
    if (name === CACHING_DISABLED) return undefined;
    if (name) return `managed cache policy ${name} caches responses without ${API_KEY_HEADER} in its cache key`;
    return `cache policy ${JSON.stringify(id)} is not defined in this stack, so ${API_KEY_HEADER} in its cache key cannot be verified`;
  }
  // Legacy forwarded_values: headers forwarded are the cache key; "*" forwards every header and so disables caching.
  const headers = strings(block(b.forwarded_values)?.headers).map((h) => h.toLowerCase());
  const maxTtl = num(b.max_ttl, 31536000);
  if (maxTtl > 0 && !headers.includes("*") && !headers.includes(API_KEY_HEADER)) {
    return `forwarded_values caches responses (max_ttl ${b.max_ttl ?? "default 31536000"}) without ${API_KEY_HEADER} among the forwarded headers`;
  }
  return undefined;
}

export const cloudFrontCacheKeyApiKey: Rule = {
  id: "cloudfront-cache-key-api-key",
  meaning:
    "a CloudFront behaviour that caches has x-api-key in its cache key (cache policy headers whitelist), so one client's response is never served to another",
  kinds: [DISTRIBUTION, CACHE_POLICY],
  check(stack) {
    const out: Violation[] = [];
    for (const d of stack.resources(DISTRIBUTION)) {
      for (const b of behaviours(d)) {
        const problem = behaviourProblem(stack, b.body);
        if (problem) out.push({ address: d.address, reason: `${b.label}: ${problem}` });
      }
    }
    return out;
  },
};

const DELIVERY_SOURCE = "aws_cloudwatch_log_delivery_source";
const DELIVERY = "aws_cloudwatch_log_delivery";

/** Whether a delivery's `delivery_source_name` names the source (by reference or by its literal name). */
function deliversFrom(stack: StackView, delivery: TfResource, source: TfResource): boolean {
  const name = delivery.body.delivery_source_name;
  return (
    stack.refersTo(name, source, ["name", "id"]) ||
    (typeof name === "string" && !isExpression(name) && name === source.body.name)
  );
}

export const cloudFrontAccessLogging: Rule = {
  id: "cloudfront-access-logging",
  checkov: "CKV_AWS_86",
  meaning:
    "every CloudFront distribution logs its requests: a logging_config bucket (legacy), or an ACCESS_LOGS aws_cloudwatch_log_delivery_source on its ARN used by an aws_cloudwatch_log_delivery (v2)",
  kinds: [DISTRIBUTION, DELIVERY_SOURCE, DELIVERY],
  check(stack) {
    const out: Violation[] = [];
    const deliveries = stack.resources(DELIVERY);
    for (const d of stack.resources(DISTRIBUTION)) {
      const legacy = block(d.body.logging_config);
      if (legacy && typeof legacy.bucket === "string" && legacy.bucket !== "") continue;
      const sources = stack
        .resources(DELIVERY_SOURCE)
        .filter((s) => s.body.log_type === "ACCESS_LOGS" && stack.refersTo(s.body.resource_arn, d, ["arn"]));
      if (sources.length === 0) {
        out.push({
          address: d.address,
          reason: `no logging_config.bucket and no ${DELIVERY_SOURCE} with log_type ACCESS_LOGS whose resource_arn references it: requests are not logged`,
        });
        continue;
      }
      if (!sources.some((s) => deliveries.some((del) => deliversFrom(stack, del, s)))) {
        out.push({
          address: d.address,
          reason: `${sources.map((s) => s.address).join(", ")} (ACCESS_LOGS) is used by no ${DELIVERY}: no log reaches a destination`,
        });
      }
    }
    return out;
  },
};

/** CloudFront rules, in report order. */
export const CLOUDFRONT_RULES: readonly Rule[] = [
  cloudFrontViewerHttps,
  cloudFrontOriginHttps,
  cloudFrontTls12,
  cloudFrontCacheKeyApiKey,
  cloudFrontAccessLogging,
];
