import { CloudfrontCachePolicy } from "@cdktn/provider-aws/lib/cloudfront-cache-policy";
import {
  CloudfrontDistribution,
  type CloudfrontDistributionOrderedCacheBehavior,
} from "@cdktn/provider-aws/lib/cloudfront-distribution";
import { Route53Record } from "@cdktn/provider-aws/lib/route53-record";
import { Annotations } from "cdktn";
import { Construct } from "constructs";
import { boundedName } from "../shared/bounded-name";
import { CACHE_TTL_SECONDS, type CustomDomainOptions } from "./api-definition";
import { resourceSlug } from "./api-routes";
import { DistributionAccessLogs } from "./distribution-access-logs";
import { z } from "zod";
import { cloudfrontWebAclArnSchema, customDomainSchema, logRetentionDaysSchema } from "./front-door-schema";
import { PRICE_CLASSES } from "./front-door-rules";
import { type Parsed, parseProps } from "../shared/parse-props";
import { API_PARSE_OPTIONS } from "../shared/reference-samples";
import { intIn } from "./route-schema";
import { API_DEFAULTS } from "./defaults";

/** AWS-managed CloudFront policies (ids are global constants, the same in every account). */
export const MANAGED_POLICY_IDS = {
  /** Managed-CachingDisabled: TTL 0, nothing cached. */
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /** Managed-AllViewerExceptHostHeader: forwards every viewer header but Host (API Gateway answers 403 to a foreign Host). */
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
  /** Managed-SecurityHeadersPolicy: HSTS, nosniff, frame options, referrer policy, XSS protection. */
  securityHeaders: "67f7725c-6f97-4210-82d7-5512b31e9d03",
} as const;

/** Status codes CloudFront would otherwise cache for 10 s (one client's 403 served to another): cached 0 s. */
export const UNCACHED_ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504] as const;

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"];
const CACHED_METHODS = ["GET", "HEAD"];
const ORIGIN_ID = "api-gateway-stage";
/** CloudFront's origin response timeout (s) without a quota increase. */
const ORIGIN_READ_TIMEOUT_SECONDS = { min: 1, max: 60 } as const;

/** A route whose GET responses CloudFront caches. */
export interface EdgeCachedRoute {
  /** Resource path (`/items/{id}`); no default. */
  readonly resourcePath: string;
  /** Seconds CloudFront keeps a response (1-3600; never longer than API Gateway's TTL); no default. */
  readonly ttlSeconds: number;
  /** Header names in the cache key besides `x-api-key`. @default none */
  readonly headers?: readonly string[];
  /** Query-string names in the cache key. @default none */
  readonly queryStrings?: readonly string[];
}

/** Props of ApiDistribution. */
export interface ApiDistributionProps {
  /** API name, the stem of cache policy names; no default. */
  readonly apiName: string;
  /** Stage invoke domain (`<api-id>.execute-api.<region>.amazonaws.com`); no default. */
  readonly originDomainName: string;
  /** Stage path on the origin (`/v1`); no default. */
  readonly originPath: string;
  /** Every resource path of the API, to keep uncached routes out of cached path patterns. @default none */
  readonly resourcePaths?: readonly string[];
  /** Routes cached at the edge. @default none (CloudFront caches nothing) */
  readonly edgeCachedRoutes?: readonly EdgeCachedRoute[];
  /** Seconds CloudFront waits for the origin (1-60). @default 30 (API Gateway's limit is 29) */
  readonly originReadTimeoutSeconds?: number;
  /** Price class. @default `PriceClass_100` */
  readonly priceClass?: string;
  /** Custom domain and us-east-1 ACM certificate. @default none (the *.cloudfront.net name) */
  readonly customDomain?: CustomDomainOptions;
  /** WAFv2 web ACL ARN (scope CLOUDFRONT). @default none */
  readonly webAclArn?: string;
  /** Standard logging (v2) of every viewer request to CloudWatch Logs (`/aws/cloudfront/<apiName>`, us-east-1). @default true */
  readonly accessLogs?: boolean;
  /** Days to keep the access logs. @default 90 */
  readonly accessLogRetentionDays?: number;
  /** Tags of the distribution and its access-log resources. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** ApiDistributionProps as checked at construction. */
const apiDistributionPropsSchema = z.strictObject({
  apiName: z.string(),
  originDomainName: z.string(),
  originPath: z.string(),
  resourcePaths: z.array(z.string()).optional(),
  edgeCachedRoutes: z
    .array(
      z.strictObject({
        resourcePath: z.string(),
        ttlSeconds: intIn({ min: 1, max: CACHE_TTL_SECONDS.max }),
        headers: z.array(z.string()).optional(),
        queryStrings: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  originReadTimeoutSeconds: intIn(ORIGIN_READ_TIMEOUT_SECONDS).optional(),
  priceClass: z.enum(PRICE_CLASSES).optional(),
  customDomain: customDomainSchema.optional(),
  webAclArn: cloudfrontWebAclArnSchema.optional(),
  accessLogs: z.boolean().optional(),
  accessLogRetentionDays: logRetentionDaysSchema.optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

/** `/items/{id}/{rest+}` -> `/items/*` + `/*`: the CloudFront path pattern of a resource path. */
export function pathPatternOf(resourcePath: string): string {
  return resourcePath.replace(/\{[^}]+\}/g, "*");
}

export function globMatches(pattern: string, path: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(path);
}

/** More specific patterns first: more segments, then fewer wildcards, then by name. */
function bySpecificity(a: string, b: string): number {
  const seg = (p: string) => p.split("/").length;
  const stars = (p: string) => p.split("*").length;
  return seg(b) - seg(a) || stars(a) - stars(b) || a.localeCompare(b);
}

/**
 * A CloudFront distribution in front of a REST API stage. HTTPS only towards the origin (TLS 1.2)
 * and viewers (HTTP redirects to HTTPS; TLS 1.2 minimum with a custom domain), every viewer header
 * but Host forwarded, security response headers added, error responses never cached, and caching
 * disabled except for the routes given in `edgeCachedRoutes`: those get a cache policy whose key
 * includes `x-api-key` and their key parameters, and only GET/HEAD are cached. Uncached routes
 * under a cached path pattern get a no-cache behaviour of their own, placed before it. Every viewer
 * request is logged to CloudWatch Logs in us-east-1 (DistributionAccessLogs) unless `accessLogs` is false.
 */
export class ApiDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;
  /** Cache policies by resource path. */
  readonly cachePolicies: Readonly<Record<string, CloudfrontCachePolicy>>;
  /** `dxxxx.cloudfront.net`. */
  readonly domainName: string;
  /** Distribution id. */
  readonly distributionId: string;
  /** Distribution ARN. */
  readonly distributionArn: string;
  /** `https://<custom domain or cloudfront domain>`. */
  readonly url: string;
  /** The access-log delivery to CloudWatch Logs; undefined when `accessLogs` is false. */
  readonly accessLogs?: DistributionAccessLogs;

  constructor(scope: Construct, id: string, props: ApiDistributionProps | Parsed<ApiDistributionProps>) {
    super(scope, id);
    props = parseProps(`ApiDistribution ${id}`, apiDistributionPropsSchema, props, API_PARSE_OPTIONS);
    const tags = props.tags ? { ...props.tags } : undefined;
    const policies: Record<string, CloudfrontCachePolicy> = {};
    const behaviours: CloudfrontDistributionOrderedCacheBehavior[] = [];
    const cachedPatterns = new Set<string>();
    for (const route of props.edgeCachedRoutes ?? []) {
      const policy = this.createCachePolicy(props.apiName, route);
      policies[route.resourcePath] = policy;
      const pattern = pathPatternOf(route.resourcePath);
      cachedPatterns.add(pattern);
      behaviours.push(behaviour(pattern, policy.id));
    }
    for (const pattern of shadowedPatterns(props, cachedPatterns))
      behaviours.push(behaviour(pattern, MANAGED_POLICY_IDS.cachingDisabled));
    behaviours.sort((a, b) => bySpecificity(a.pathPattern, b.pathPattern));
    const domain = props.customDomain;
    if (!domain) {
      Annotations.of(this).addInfo(
        "No custom domain: viewers use the *.cloudfront.net certificate, whose TLS policy CloudFront sets itself (TLS 1.0+). Set customDomain for a TLS 1.2 minimum.",
      );
    }
    this.distribution = this.createDistribution(props, behaviours, tags);
    this.cachePolicies = policies;
    this.domainName = this.distribution.domainName;
    this.distributionId = this.distribution.id;
    this.distributionArn = this.distribution.arn;
    this.url = domain ? `https://${domain.domainName}` : `https://${this.distribution.domainName}`;
    if (props.accessLogs !== false) {
      this.accessLogs = new DistributionAccessLogs(this, "access-logs", {
        name: props.apiName,
        distributionArn: this.distribution.arn,
        retentionDays: props.accessLogRetentionDays,
        tags,
      });
    }
    if (domain?.hostedZoneId) this.createAliases(domain.domainName, domain.hostedZoneId);
  }

  /** The cache policy of one edge-cached route: its TTL, cached per API key and its key parameters. */
  private createCachePolicy(apiName: string, route: EdgeCachedRoute): CloudfrontCachePolicy {
    const slug = resourceSlug(route.resourcePath).replace(/[^A-Za-z0-9_-]/g, "");
    const headers = ["x-api-key", ...(route.headers ?? []).map((h) => h.toLowerCase())];
    const queries = [...(route.queryStrings ?? [])];
    return new CloudfrontCachePolicy(this, `cache-${resourceSlug(route.resourcePath)}`, {
      // Cache policy names are unique per account (128 characters); the slug loses braces and slashes: hash the path.
      name: boundedName(`${apiName}-${slug}`, "-get", 128, `${apiName} GET ${route.resourcePath}`),
      comment: `GET ${route.resourcePath}: cached ${route.ttlSeconds}s per API key`,
      // A renamed policy (module upgrade) must exist before the distribution moves to it; the old one is in use until then.
      lifecycle: { createBeforeDestroy: true },
      minTtl: 0,
      defaultTtl: route.ttlSeconds,
      maxTtl: route.ttlSeconds,
      parametersInCacheKeyAndForwardedToOrigin: {
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
        cookiesConfig: { cookieBehavior: "none" },
        headersConfig: { headerBehavior: "whitelist", headers: { items: headers } },
        queryStringsConfig:
          queries.length > 0
            ? { queryStringBehavior: "whitelist", queryStrings: { items: queries } }
            : { queryStringBehavior: "none" },
      },
    });
  }

  /** The distribution: HTTPS only to the stage, nothing cached by default, the ordered behaviours, TLS 1.2 with a domain. */
  private createDistribution(
    props: ApiDistributionProps,
    behaviours: CloudfrontDistributionOrderedCacheBehavior[],
    tags: Record<string, string> | undefined,
  ): CloudfrontDistribution {
    const domain = props.customDomain;
    return new CloudfrontDistribution(this, "distribution", {
      enabled: true,
      comment: `${props.apiName} REST API`,
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: props.priceClass ?? API_DEFAULTS.priceClass,
      aliases: domain ? [domain.domainName] : undefined,
      webAclId: props.webAclArn,
      origin: [
        {
          originId: ORIGIN_ID,
          domainName: props.originDomainName,
          originPath: props.originPath,
          customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
            originReadTimeout: props.originReadTimeoutSeconds ?? API_DEFAULTS.originReadTimeoutSeconds,
            originKeepaliveTimeout: 5,
          },
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        allowedMethods: ALL_METHODS,
        cachedMethods: CACHED_METHODS,
        viewerProtocolPolicy: "redirect-to-https",
        compress: true,
        cachePolicyId: MANAGED_POLICY_IDS.cachingDisabled,
        originRequestPolicyId: MANAGED_POLICY_IDS.allViewerExceptHostHeader,
        responseHeadersPolicyId: MANAGED_POLICY_IDS.securityHeaders,
      },
      orderedCacheBehavior: behaviours.length > 0 ? behaviours : undefined,
      customErrorResponse: UNCACHED_ERROR_CODES.map((errorCode) => ({ errorCode, errorCachingMinTtl: 0 })),
      restrictions: { geoRestriction: { restrictionType: "none" } },
      viewerCertificate: domain
        ? {
            acmCertificateArn: domain.certificateArn,
            sslSupportMethod: "sni-only",
            minimumProtocolVersion: "TLSv1.2_2021",
          }
        : { cloudfrontDefaultCertificate: true },
      tags,
    });
  }

  /** A and AAAA alias records of the custom domain in its hosted zone. */
  private createAliases(domainName: string, hostedZoneId: string): void {
    for (const type of ["A", "AAAA"]) {
      new Route53Record(this, `alias-${type.toLowerCase()}`, {
        zoneId: hostedZoneId,
        name: domainName,
        type,
        alias: {
          name: this.distribution.domainName,
          zoneId: this.distribution.hostedZoneId,
          evaluateTargetHealth: false,
        },
      });
    }
  }
}

/** An ordered behaviour: the API's methods, HTTPS, compressed, with the given cache policy. */
function behaviour(pathPattern: string, cachePolicyId: string): CloudfrontDistributionOrderedCacheBehavior {
  return {
    pathPattern,
    targetOriginId: ORIGIN_ID,
    allowedMethods: ALL_METHODS,
    cachedMethods: CACHED_METHODS,
    viewerProtocolPolicy: "redirect-to-https",
    compress: true,
    cachePolicyId,
    originRequestPolicyId: MANAGED_POLICY_IDS.allViewerExceptHostHeader,
    responseHeadersPolicyId: MANAGED_POLICY_IDS.securityHeaders,
  };
}

/** Path patterns of uncached routes that a cached route's pattern would otherwise catch: they get an uncached behaviour. */
function shadowedPatterns(props: ApiDistributionProps, cachedPatterns: ReadonlySet<string>): Set<string> {
  const cachedRoutes = new Set((props.edgeCachedRoutes ?? []).map((r) => r.resourcePath));
  const shadowed = new Set<string>();
  for (const path of props.resourcePaths ?? []) {
    const pattern = pathPatternOf(path);
    if (cachedRoutes.has(path) || cachedPatterns.has(pattern) || path === "/") continue;
    if ([...cachedPatterns].some((c) => globMatches(c, pattern))) shadowed.add(pattern);
  }
  return shadowed;
}
