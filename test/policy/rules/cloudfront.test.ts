import {
  CloudfrontCachePolicy,
  type CloudfrontCachePolicyConfig,
} from "@cdktn/provider-aws/lib/cloudfront-cache-policy";
import {
  CloudfrontDistribution,
  type CloudfrontDistributionDefaultCacheBehavior,
  type CloudfrontDistributionLoggingConfig,
  type CloudfrontDistributionOrigin,
  type CloudfrontDistributionViewerCertificate,
} from "@cdktn/provider-aws/lib/cloudfront-distribution";
import { CloudwatchLogDelivery } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery-source";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCloudfrontCachePolicy } from "@cdktn/provider-aws/lib/data-aws-cloudfront-cache-policy";
import type { TerraformStack } from "cdktn";
import {
  cloudFrontAccessLogging,
  cloudFrontCacheKeyApiKey,
  cloudFrontOriginHttps,
  cloudFrontTls12,
  cloudFrontViewerHttps,
} from "../../../policy/rules/cloudfront";
import { checkStacks, idleRules, judgedCount } from "../../../policy/engine";
import { StackView } from "../../../policy/terraform-json";
import { finding, findings, scratchJson } from "../scratch";

const CACHING_DISABLED_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const CACHING_OPTIMIZED_ID = "658327ea-f89d-4fab-a63d-7e88639e58f6";

interface DistributionShape {
  behavior?: Partial<CloudfrontDistributionDefaultCacheBehavior>;
  origin?: Partial<CloudfrontDistributionOrigin>;
  certificate?: CloudfrontDistributionViewerCertificate;
  logging?: CloudfrontDistributionLoggingConfig;
}

function distribution(stack: TerraformStack, shape: DistributionShape = {}): CloudfrontDistribution {
  return new CloudfrontDistribution(stack, "cdn", {
    enabled: true,
    origin: [
      {
        originId: "api",
        domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
        customOriginConfig: {
          httpPort: 80,
          httpsPort: 443,
          originProtocolPolicy: "https-only",
          originSslProtocols: ["TLSv1.2"],
        },
        ...shape.origin,
      },
    ],
    defaultCacheBehavior: {
      targetOriginId: "api",
      allowedMethods: ["GET", "HEAD"],
      cachedMethods: ["GET", "HEAD"],
      viewerProtocolPolicy: "https-only",
      cachePolicyId: CACHING_DISABLED_ID,
      ...shape.behavior,
    },
    restrictions: { geoRestriction: { restrictionType: "none" } },
    viewerCertificate: shape.certificate ?? { cloudfrontDefaultCertificate: true },
    loggingConfig: shape.logging,
  });
}

function cachePolicy(
  stack: TerraformStack,
  headers: string[],
  extra: Partial<CloudfrontCachePolicyConfig> = {},
): CloudfrontCachePolicy {
  return new CloudfrontCachePolicy(stack, "cache", {
    name: "api-cache",
    minTtl: 0,
    defaultTtl: 60,
    maxTtl: 300,
    parametersInCacheKeyAndForwardedToOrigin: {
      headersConfig:
        headers.length > 0 ? { headerBehavior: "whitelist", headers: { items: headers } } : { headerBehavior: "none" },
      cookiesConfig: { cookieBehavior: "none" },
      queryStringsConfig: { queryStringBehavior: "all" },
    },
    ...extra,
  });
}

describe("cloudfront-viewer-https (CKV_AWS_34)", () => {
  it("fails a behaviour that allows plain HTTP", () => {
    expect(
      findings(cloudFrontViewerHttps, (s) => distribution(s, { behavior: { viewerProtocolPolicy: "allow-all" } })),
    ).toEqual([
      finding(
        cloudFrontViewerHttps,
        "aws_cloudfront_distribution.cdn",
        'default_cache_behavior.viewer_protocol_policy is "allow-all", expected https-only or redirect-to-https',
      ),
    ]);
  });

  it("passes https-only and redirect-to-https", () => {
    expect(findings(cloudFrontViewerHttps, (s) => distribution(s))).toEqual([]);
    expect(
      findings(cloudFrontViewerHttps, (s) =>
        distribution(s, { behavior: { viewerProtocolPolicy: "redirect-to-https" } }),
      ),
    ).toEqual([]);
  });
});

describe("cloudfront-origin-https (CKV2_AWS_72)", () => {
  it("fails an origin reached over HTTP and one allowing TLS 1.0", () => {
    const http = {
      customOriginConfig: {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: "match-viewer",
        originSslProtocols: ["TLSv1.2"],
      },
    };
    expect(findings(cloudFrontOriginHttps, (s) => distribution(s, { origin: http }))).toEqual([
      finding(
        cloudFrontOriginHttps,
        "aws_cloudfront_distribution.cdn",
        'origin "api": origin_protocol_policy is "match-viewer", expected https-only',
      ),
    ]);
    const tls10 = {
      customOriginConfig: {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: "https-only",
        originSslProtocols: ["TLSv1", "TLSv1.2"],
      },
    };
    expect(findings(cloudFrontOriginHttps, (s) => distribution(s, { origin: tls10 }))).toEqual([
      finding(
        cloudFrontOriginHttps,
        "aws_cloudfront_distribution.cdn",
        'origin "api": origin_ssl_protocols allows TLSv1; expected only TLSv1.2',
      ),
    ]);
  });

  it("passes an https-only TLSv1.2 origin", () => {
    expect(findings(cloudFrontOriginHttps, (s) => distribution(s))).toEqual([]);
  });
});

describe("cloudfront-tls12 (CKV_AWS_174)", () => {
  const cert = "arn:aws:acm:us-east-1:111111111111:certificate/0b7b2c3e-1111-2222-3333-444455556666";

  it("fails a custom certificate that accepts TLS 1.0", () => {
    expect(
      findings(cloudFrontTls12, (s) =>
        distribution(s, {
          certificate: { acmCertificateArn: cert, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1" },
        }),
      ),
    ).toEqual([
      finding(
        cloudFrontTls12,
        "aws_cloudfront_distribution.cdn",
        'viewer_certificate.minimum_protocol_version is "TLSv1", expected TLSv1.2_2021 or later',
      ),
    ]);
  });

  it("passes TLSv1.2_2021 with a custom certificate, and the default certificate", () => {
    expect(
      findings(cloudFrontTls12, (s) =>
        distribution(s, {
          certificate: {
            acmCertificateArn: cert,
            sslSupportMethod: "sni-only",
            minimumProtocolVersion: "TLSv1.2_2021",
          },
        }),
      ),
    ).toEqual([]);
    expect(findings(cloudFrontTls12, (s) => distribution(s))).toEqual([]);
  });

  it("judges every distribution: one on the default certificate passes, and an app with a distribution never sees the rule idle", () => {
    const onDefault = new StackView(
      "scratch",
      scratchJson((s) => distribution(s)),
    );
    const withCert = new StackView(
      "scratch",
      scratchJson((s) =>
        distribution(s, {
          certificate: {
            acmCertificateArn: cert,
            sslSupportMethod: "sni-only",
            minimumProtocolVersion: "TLSv1.2_2021",
          },
        }),
      ),
    );
    expect(judgedCount(cloudFrontTls12, onDefault)).toBe(1);
    expect(judgedCount(cloudFrontTls12, withCert)).toBe(1);
    expect(cloudFrontTls12.check(onDefault)).toEqual([]);
    expect(
      idleRules(checkStacks({ scratch: onDefault.json }, { rules: [cloudFrontTls12], waivers: [] })).map((r) => r.id),
    ).toEqual([]);
  });
});

describe("cloudfront-cache-key-api-key", () => {
  it("fails a behaviour whose caching cache policy leaves x-api-key out of the key", () => {
    const result = findings(cloudFrontCacheKeyApiKey, (s) => {
      const policy = cachePolicy(s, ["Accept"]);
      distribution(s, { behavior: { cachePolicyId: policy.id } });
    });
    expect(result).toEqual([
      finding(
        cloudFrontCacheKeyApiKey,
        "aws_cloudfront_distribution.cdn",
        "default_cache_behavior: cache policy aws_cloudfront_cache_policy.cache caches responses (max_ttl 300) but x-api-key is not in its cache key (headers_config whitelist)",
      ),
    ]);
  });

  it("fails the managed CachingOptimized policy (by id) and an unknown policy id", () => {
    expect(
      findings(cloudFrontCacheKeyApiKey, (s) => distribution(s, { behavior: { cachePolicyId: CACHING_OPTIMIZED_ID } })),
    ).toEqual([
      finding(
        cloudFrontCacheKeyApiKey,
        "aws_cloudfront_distribution.cdn",
        "default_cache_behavior: managed cache policy Managed-CachingOptimized caches responses without x-api-key in its cache key",
      ),
    ]);
    expect(
      findings(cloudFrontCacheKeyApiKey, (s) => distribution(s, { behavior: { cachePolicyId: "0000-unknown" } })),
    ).toEqual([
      finding(
        cloudFrontCacheKeyApiKey,
        "aws_cloudfront_distribution.cdn",
        'default_cache_behavior: cache policy "0000-unknown" is not defined in this stack, so x-api-key in its cache key cannot be verified',
      ),
    ]);
  });

  it("passes a caching policy keyed on x-api-key (any case), a policy that never caches, and CachingDisabled (by id or data source)", () => {
    const keyed = findings(cloudFrontCacheKeyApiKey, (s) =>
      distribution(s, { behavior: { cachePolicyId: cachePolicy(s, ["X-API-Key"]).id } }),
    );
    expect(keyed).toEqual([]);
    const noCache = findings(cloudFrontCacheKeyApiKey, (s) =>
      distribution(s, { behavior: { cachePolicyId: cachePolicy(s, [], { defaultTtl: 0, maxTtl: 0 }).id } }),
    );
    expect(noCache).toEqual([]);
    expect(findings(cloudFrontCacheKeyApiKey, (s) => distribution(s))).toEqual([]);
    const viaData = findings(cloudFrontCacheKeyApiKey, (s) => {
      const disabled = new DataAwsCloudfrontCachePolicy(s, "disabled", { name: "Managed-CachingDisabled" });
      distribution(s, { behavior: { cachePolicyId: disabled.id } });
    });
    expect(viaData).toEqual([]);
  });
});

describe("cloudfront-access-logging (CKV_AWS_86)", () => {
  /** CloudFront standard logging (v2) of `cdn` to CloudWatch Logs in us-east-1; `delivery: false` leaves the delivery out. */
  function v2Logging(
    stack: TerraformStack,
    cdn: CloudfrontDistribution,
    opts: { logType?: string; delivery?: boolean } = {},
  ): void {
    const group = new CloudwatchLogGroup(stack, "cf-logs", {
      region: "us-east-1",
      name: "/aws/cloudfront/api",
      retentionInDays: 30,
    });
    const source = new CloudwatchLogDeliverySource(stack, "cf-source", {
      region: "us-east-1",
      name: "api-cf-access",
      logType: opts.logType ?? "ACCESS_LOGS",
      resourceArn: cdn.arn,
    });
    const destination = new CloudwatchLogDeliveryDestination(stack, "cf-destination", {
      region: "us-east-1",
      name: "api-cf-access",
      outputFormat: "json",
      deliveryDestinationConfiguration: [{ destinationResourceArn: group.arn }],
    });
    if (opts.delivery !== false) {
      new CloudwatchLogDelivery(stack, "cf-delivery", {
        region: "us-east-1",
        deliverySourceName: source.name,
        deliveryDestinationArn: destination.arn,
      });
    }
  }

  it("fails a distribution with no logging at all, and one whose only delivery source logs something else", () => {
    const reason =
      "no logging_config.bucket and no aws_cloudwatch_log_delivery_source with log_type ACCESS_LOGS whose resource_arn references it: requests are not logged";
    expect(findings(cloudFrontAccessLogging, (s) => distribution(s))).toEqual([
      finding(cloudFrontAccessLogging, "aws_cloudfront_distribution.cdn", reason),
    ]);
    expect(
      findings(cloudFrontAccessLogging, (s) => v2Logging(s, distribution(s), { logType: "CONNECTION_LOGS" })),
    ).toEqual([finding(cloudFrontAccessLogging, "aws_cloudfront_distribution.cdn", reason)]);
  });

  it("fails an ACCESS_LOGS delivery source that no delivery uses", () => {
    expect(findings(cloudFrontAccessLogging, (s) => v2Logging(s, distribution(s), { delivery: false }))).toEqual([
      finding(
        cloudFrontAccessLogging,
        "aws_cloudfront_distribution.cdn",
        "aws_cloudwatch_log_delivery_source.cf-source (ACCESS_LOGS) is used by no aws_cloudwatch_log_delivery: no log reaches a destination",
      ),
    ]);
  });

  it("fails a distribution whose neighbour is the one logged", () => {
    const result = findings(cloudFrontAccessLogging, (s) => {
      const logged = distribution(s);
      v2Logging(s, logged);
      new CloudfrontDistribution(s, "other", {
        enabled: true,
        origin: [{ originId: "api", domainName: "x.example.com" }],
        defaultCacheBehavior: {
          targetOriginId: "api",
          allowedMethods: ["GET", "HEAD"],
          cachedMethods: ["GET", "HEAD"],
          viewerProtocolPolicy: "https-only",
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { cloudfrontDefaultCertificate: true },
      });
    });
    expect(result.map((f) => f.address)).toEqual(["aws_cloudfront_distribution.other"]);
  });

  it("passes standard logging v2 (ACCESS_LOGS source on the distribution, used by a delivery) and a legacy logging_config bucket", () => {
    expect(findings(cloudFrontAccessLogging, (s) => v2Logging(s, distribution(s)))).toEqual([]);
    expect(
      findings(cloudFrontAccessLogging, (s) =>
        distribution(s, { logging: { bucket: "cf-logs.s3.amazonaws.com", prefix: "api/" } }),
      ),
    ).toEqual([]);
  });
});
