/**
 * The shape of a REST API front door, as product teams (and the environment stacks) describe it:
 * routes, throttles, usage-plan tiers, API keys, caching and the CloudFront edge. Plain data, no
 * constructs; the helpers translate one method key format into the three AWS expects.
 */

/** HTTP methods a route may define. */
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** API Gateway stage cache cluster sizes, in GB. */
export const CACHE_CLUSTER_SIZES = [0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237] as const;
export type CacheClusterSize = (typeof CACHE_CLUSTER_SIZES)[number];

/** Quota periods of a usage plan. */
export const QUOTA_PERIODS = ["DAY", "WEEK", "MONTH"] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/** CloudWatch Logs retention values (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** Integration timeout bounds (ms) for REST APIs. */
export const TIMEOUT_MS = { min: 50, max: 29000 } as const;
/** Cache TTL bounds (s). */
export const CACHE_TTL_SECONDS = { min: 0, max: 3600, default: 300 } as const;
/** Account-level default throttle of API Gateway (requests/s, burst); nothing may exceed it. */
export const ACCOUNT_THROTTLE = { rateLimit: 10000, burstLimit: 5000 } as const;

/** Steady-state requests per second and burst (token bucket) of a throttle. */
export interface ThrottleSettings {
  /** Steady-state requests per second (>= 0, at most 10,000); no default. */
  readonly rateLimit: number;
  /** Burst capacity in requests (integer >= 0, at most 5,000); no default. */
  readonly burstLimit: number;
}

/** A MOCK integration: API Gateway answers itself with a fixed status and JSON body. */
export interface MockIntegration {
  readonly type: "MOCK";
  /** Integration timeout in ms (50-29000); required, never left to AWS's default. */
  readonly timeoutMs: number;
  /** Status code of the mocked response. @default 200 */
  readonly statusCode?: number;
  /** JSON body of the mocked response. @default `{}` */
  readonly responseBody?: unknown;
}

/** An HTTP_PROXY integration: the request is passed to an HTTPS backend as is. */
export interface HttpProxyIntegration {
  readonly type: "HTTP_PROXY";
  /** Integration timeout in ms (50-29000); required, never left to AWS's default. */
  readonly timeoutMs: number;
  /** HTTPS backend URL; `{name}` placeholders are filled from the route's path parameters; no default. */
  readonly uri: string;
  /** HTTP method used towards the backend. @default the route's method */
  readonly httpMethod?: HttpMethod;
}

/**
 * A Lambda proxy integration (`AWS_PROXY`): API Gateway invokes the function with the request and returns
 * its response. The module grants API Gateway `lambda:InvokeFunction` for exactly this method
 * (`<api execution ARN>/<stage>/<METHOD>/<path>`) and alarms on the function's errors and throttles.
 */
export interface LambdaIntegration {
  readonly type: "LAMBDA";
  /** Integration timeout in ms (50-29000); required, never left to AWS's default. */
  readonly timeoutMs: number;
  /** ARN of the function, optionally with a version or alias (`...:function:orders:live`); no default. */
  readonly functionArn: string;
  /**
   * `true`: a proxy integration (AWS_PROXY; the function gets the whole request and answers status, headers and body).
   * `false`: a non-proxy integration (AWS): the function gets `requestTemplate`'s event and returns the body; a thrown
   * error whose message starts with `[BadRequest]` answers 400 with that message, any other 500 with a generic one.
   * @default true
   */
  readonly proxy?: boolean;
  /** Non-proxy only: the mapping template of the function's event (VTL). @default body, path, query string, request id and API key id as JSON */
  readonly requestTemplate?: string;
}

/** Encryption of a queue an async route writes to. */
export type AsyncQueueEncryption = "sqs-managed" | "kms";

/** The queue (and its DLQ) the module creates for an async route. */
export interface AsyncQueueOptions {
  /** Queue name (1-76 letters, digits, '-' or '_'; its DLQ is `<name>-dlq`). @default `<api name>-<resource>-<method>`, lower case, cut to 76 characters (e.g. `shop-orders-post`) */
  readonly name?: string;
  /** Visibility timeout in seconds (0-43200); a consumer needs at least 6x its function timeout plus its batching window. @default 180 (a consumer with the default 30 s timeout fits 6x) */
  readonly visibilityTimeoutSeconds?: number;
  /** Retention in seconds (60-1209600); its DLQ keeps messages 14 days. @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** Receives before a message moves to the DLQ (1-1000). @default 5 */
  readonly maxReceiveCount?: number;
  /** Largest message (body plus attributes) in bytes (1024-1048576), for the queue and its DLQ. @default 1048576 */
  readonly maxMessageSizeBytes?: number;
  /** SQS-managed SSE or a customer KMS key, for the queue and its DLQ. @default `sqs-managed` */
  readonly encryption?: AsyncQueueEncryption;
  /** The customer KMS key ARN; required when `encryption` is "kms". @default none */
  readonly kmsKeyArn?: string;
}

/** A queue an async route writes to that exists already (another stack or account owns it and its DLQ). */
export interface ExistingAsyncQueue {
  /** ARN of the standard queue (arn:aws:sqs:<region>:<account>:<name>); no default. */
  readonly arn: string;
  /** Customer KMS key ARN of the queue, when it is KMS-encrypted (API Gateway then needs kms:GenerateDataKey). @default none (SQS-managed SSE: no key permissions) */
  readonly kmsKeyArn?: string;
}

/**
 * An async (storage-first) integration: API Gateway itself sends the validated body to SQS
 * (`SendMessage`, AWS service integration, no Lambda in the request path) and answers 202 with the
 * message id; a consumer processes the queue later.
 */
export interface SqsIntegration {
  readonly type: "SQS";
  /** Integration timeout in ms (50-29000); required, never left to AWS's default. */
  readonly timeoutMs: number;
  /** The queue the module creates; exclusive with existingQueue. @default a queue with the AsyncQueueOptions defaults (none when existingQueue is given) */
  readonly queue?: AsyncQueueOptions;
  /** An existing queue to write to instead of creating one. @default none (the module creates the queue) */
  readonly existingQueue?: ExistingAsyncQueue;
}

export type ApiIntegration = MockIntegration | HttpProxyIntegration | SqsIntegration | LambdaIntegration;

/** API Gateway caching of one GET method. */
export interface MethodCacheOptions {
  /** Seconds a response stays cached (0-3600). @default 300 */
  readonly ttlSeconds?: number;
  /**
   * Request parameters that, with the path, form the cache key: `querystring.<name>` or
   * `header.<name>` (path parameters are always part of the key).
   * @default none
   */
  readonly keyParameters?: readonly string[];
}

/** One method of one resource. */
export interface ApiMethodDefinition {
  /** Backend of the method; required. */
  readonly integration: ApiIntegration;
  /** Callable without an API key (no usage plan applies). @default false (an API key is required) */
  readonly public?: boolean;
  /**
   * Declared request parameters, `querystring.<name>` or `header.<name>` -> required; required ones
   * are validated by API Gateway before the integration runs. Path parameters are declared (required)
   * from the resource path.
   * @default none
   */
  readonly parameters?: Readonly<Record<string, boolean>>;
  /** Name of a model in `models` the JSON body must match (validated by API Gateway). @default none */
  readonly requestModel?: string;
  /** Response caching of a GET method; ignored while caching is disabled. @default not cached */
  readonly cache?: MethodCacheOptions;
  /**
   * Who the caller must be besides holding an API key: the name of one of `authorizers`, `AWS_IAM` (SigV4) or `NONE`
   * (overrides the API's default).
   * @default the API's `defaultAuthorization` (none: the API key alone)
   */
  readonly authorization?: string;
  /** OAuth scopes of a Cognito authorizer: the access token must carry one of them. @default none (any valid ID or access token) */
  readonly authorizationScopes?: readonly string[];
}

/** A Cognito user pool authorizer: the caller sends a pool's ID or access token. */
export interface CognitoAuthorizer {
  readonly type: "COGNITO_USER_POOLS";
  /** User pools whose tokens are accepted, by ARN; required. */
  readonly userPoolArns: readonly string[];
  /** The header the token is in. @default `method.request.header.Authorization` */
  readonly identitySource?: string;
  /** Seconds API Gateway caches a token's verdict (0-3600; 0 = every call verified). @default 300 (API Gateway's) */
  readonly resultTtlSeconds?: number;
}

/** A Lambda TOKEN authorizer: the function judges a bearer token from one header. */
export interface TokenAuthorizer {
  readonly type: "TOKEN";
  /** The authorizer function's ARN; required. */
  readonly functionArn: string;
  /** The header the token is in. @default `method.request.header.Authorization` */
  readonly identitySource?: string;
  /** A regular expression the token must match before the function is called (a cheap first filter). @default none */
  readonly identityValidationExpression?: string;
  /** Seconds API Gateway caches the function's policy per token (0-3600). @default 300 (API Gateway's) */
  readonly resultTtlSeconds?: number;
}

/** A Lambda REQUEST authorizer: the function judges the request's headers, query strings and context. */
export interface RequestAuthorizer {
  readonly type: "REQUEST";
  /** The authorizer function's ARN; required. */
  readonly functionArn: string;
  /** What identifies a caller (the cache key; a request missing one is refused with 401). Required unless `resultTtlSeconds` is 0. @default none */
  readonly identitySources?: readonly string[];
  /** Seconds API Gateway caches the function's policy per identity (0-3600). @default 300 (API Gateway's) */
  readonly resultTtlSeconds?: number;
}

/** An API Gateway authorizer, by `type`. */
export type ApiAuthorizer = CognitoAuthorizer | TokenAuthorizer | RequestAuthorizer;

/** Resources by path (`/items/{id}`, `/` for the root), each with its methods. */
export type ApiResources = Readonly<Record<string, Readonly<Partial<Record<HttpMethod, ApiMethodDefinition>>>>>;

/** Usage-plan quota: requests per period per API key. */
export interface QuotaSettings {
  /** Requests allowed per period (integer >= 0); no default. */
  readonly limit: number;
  /** Period the limit applies to; no default. */
  readonly period: QuotaPeriod;
  /** Requests subtracted from the first period (integer >= 0, < limit). @default 0 */
  readonly offset?: number;
}

/** One usage-plan tier (small, medium, large, or any name). */
export interface UsagePlanTier {
  /** Plan-wide throttle per API key; required when `methodThrottles` is set. @default none (stage limits apply) */
  readonly throttle?: ThrottleSettings;
  /** Quota per API key. @default none (unlimited) */
  readonly quota?: QuotaSettings;
  /** Per-method throttles inside the tier, by method key (`POST /items`). @default none */
  readonly methodThrottles?: Readonly<Record<string, ThrottleSettings>>;
  /** Description shown in the console. @default generated */
  readonly description?: string;
}

/** One consumer's API key. */
export interface ApiConsumerKey {
  /** Consumer name, unique in the API (letters, digits, '-', '_', '.'); no default. */
  readonly name: string;
  /** Tier the key belongs to (exactly one); no default. */
  readonly tier: string;
  /** Whether the key is accepted. @default true */
  readonly enabled?: boolean;
  /** Description shown in the console. @default generated */
  readonly description?: string;
}

/** Where responses are cached. */
export type CacheLayer = "api-gateway" | "edge";

/** Stage caching. */
export interface ApiCachingOptions {
  /** Master switch: false means no cache cluster, no method caching and no edge caching. @default true */
  readonly enabled?: boolean;
  /**
   * `api-gateway`: only the stage cache cluster caches, CloudFront forwards every request, so usage-plan
   * quotas count every request. `edge`: CloudFront also caches cached GET routes (key includes
   * `x-api-key` and the key parameters); edge hits never reach API Gateway.
   * @default `api-gateway`
   */
  readonly layer?: CacheLayer;
  /** Stage cache cluster size in GB (0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237). @default 0.5 */
  readonly clusterSizeGb?: CacheClusterSize;
  /**
   * Whether any client may invalidate a cached entry with `Cache-Control: max-age=0` (when false, only
   * callers with `execute-api:InvalidateCache` may; others get 403).
   * @default false
   */
  readonly allowClientInvalidation?: boolean;
}

/** Custom viewer domain of the CloudFront distribution. */
export interface CustomDomainOptions {
  /** Fully qualified domain name (api.example.com); no default. */
  readonly domainName: string;
  /** ACM certificate ARN in us-east-1 covering the domain; no default. */
  readonly certificateArn: string;
  /** Route 53 hosted zone id to create A/AAAA alias records in. @default none (manage DNS yourself) */
  readonly hostedZoneId?: string;
}

/** CloudFront distribution in front of the stage. */
export interface DistributionOptions {
  /** CloudFront price class. @default `PriceClass_100` */
  readonly priceClass?: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
  /** Custom domain and certificate. @default none (the *.cloudfront.net name) */
  readonly customDomain?: CustomDomainOptions;
  /** WAFv2 web ACL ARN (scope CLOUDFRONT, us-east-1). @default none */
  readonly webAclArn?: string;
  /**
   * Standard logging (v2) of every viewer request, as JSON, to the log group `/aws/cloudfront/<name>`
   * in us-east-1, kept `accessLogs.retentionDays`.
   * @default true
   */
  readonly accessLogs?: boolean;
}

/** Access logs of the stage (and retention of the CloudFront access logs). */
export interface AccessLogOptions {
  /** Days to keep the stage's and CloudFront's access logs (a CloudWatch Logs retention value). @default 90 */
  readonly retentionDays?: LogRetentionDays;
  /** KMS key ARN encrypting the stage's log group (not CloudFront's, which is in us-east-1). @default CloudWatch Logs' own encryption */
  readonly kmsKeyArn?: string;
}

/** Alarm thresholds of the stage. */
export interface ApiAlarmThresholds {
  /** 5XX responses per period at or above which the alarm fires (integer >= 1). @default 5 */
  readonly serverErrors?: number;
  /** Percentage of 4XX responses above which the alarm fires (0-100). @default 10 */
  readonly clientErrorRatePercent?: number;
  /** p99 latency in ms above which the alarm fires. @default 2500 */
  readonly latencyP99Ms?: number;
  /** Cache hit ratio (%) below which the alarm fires, only while caching is on. @default 50 */
  readonly cacheHitRatioPercent?: number;
  /** Metric period in seconds (60, 300, 900, 3600). @default 300 */
  readonly periodSeconds?: 60 | 300 | 900 | 3600;
  /** Periods evaluated (1-10). @default 3 */
  readonly evaluationPeriods?: number;
  /** Breaching periods among them that fire the alarm (1..evaluationPeriods). @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
}

/** The API itself, without wiring (alarm topic, tags): what env/<name>.json's `api` section holds. */
export interface ApiDefinition {
  /** API name, also the stem of every resource name (lower case, digits, '-'); no default. */
  readonly name: string;
  /** Description of the API. @default none */
  readonly description?: string;
  /** Stage name (letters, digits, '_'). @default `v1` */
  readonly stageName?: string;
  /** Resources by path, with their methods; at least one method; no default. */
  readonly resources: ApiResources;
  /** JSON schemas (draft 4) by model name (letters and digits), for `requestModel`. @default none */
  readonly models?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Stage-wide throttle (method path `*`/`*`); no default. */
  readonly throttle: ThrottleSettings;
  /** Per-method stage throttles by method key (`POST /items`). @default none */
  readonly methodThrottles?: Readonly<Record<string, ThrottleSettings>>;
  /** Usage-plan tiers by name. @default none */
  readonly tiers?: Readonly<Record<string, UsagePlanTier>>;
  /** API keys, one per consumer, each in one tier. @default none */
  readonly apiKeys?: readonly ApiConsumerKey[];
  /** Caching. @default disabled */
  readonly caching?: ApiCachingOptions;
  /** CloudFront distribution options. @default PriceClass_100, no custom domain, no WAF, access logs on */
  readonly distribution?: DistributionOptions;
  /** Access log options. @default 90 days, CloudWatch Logs encryption */
  readonly accessLogs?: AccessLogOptions;
  /** Alarm thresholds. @default see ApiAlarmThresholds */
  readonly alarms?: ApiAlarmThresholds;
  /** Authorizers by name (at most 10): Cognito user pools, Lambda TOKEN and REQUEST. @default none */
  readonly authorizers?: Readonly<Record<string, ApiAuthorizer>>;
  /** What authorizes every method that names none: an authorizer's name or `AWS_IAM`. @default none (the API key alone) */
  readonly defaultAuthorization?: string;
  /** Cross-origin requests from browsers: an OPTIONS preflight per resource and CORS headers on errors. @default off */
  readonly cors?: CorsOptions;
}

/** Which browser origins may call the API, and how. */
export interface CorsOptions {
  /** Origins allowed (`https://shop.example.com`, scheme and host and port only), or `["*"]` for any; required. */
  readonly allowOrigins: readonly string[];
  /** Request headers a browser may send. @default Content-Type, Authorization, X-Api-Key, Idempotency-Key (what the API reads) */
  readonly allowHeaders?: readonly string[];
  /** Response headers a browser's script may read. @default none (the CORS-safelisted ones) */
  readonly exposeHeaders?: readonly string[];
  /** Whether browsers send cookies and HTTP authentication (never with `*`). @default false */
  readonly allowCredentials?: boolean;
  /** Seconds a browser may reuse a preflight's answer (0-86400; browsers cap it, Chromium at 7200). @default 600 */
  readonly maxAgeSeconds?: number;
}

/** A method key as used in config and props: `GET /items/{id}`. */
export function methodKey(method: string, resourcePath: string): string {
  return `${method} ${resourcePath}`;
}

/** Splits `GET /items/{id}` into method and path; undefined if malformed. */
export function parseMethodKey(key: string): { method: HttpMethod; path: string } | undefined {
  const match = /^([A-Z]+) (\/\S*)$/.exec(key);
  if (!match || !(HTTP_METHODS as readonly string[]).includes(match[1])) return undefined;
  return { method: match[1] as HttpMethod, path: match[2] };
}

/**
 * `aws_api_gateway_method_settings.method_path`: the stage's method-settings key, the resource path
 * with every `/` escaped as `~1` (JSON Pointer), then `/<METHOD>`: `/items/{id}` GET -> `~1items~1{id}/GET`,
 * the root -> `~1/GET`. The provider sends it as-is in `UpdateStage` (`/<method_path>/throttling/...`) and
 * then looks it up among the stage's keys, which API Gateway stores in this escaped form (AWS CLI
 * `update-stage` example: `/~1resourceName/GET/...` yields the key `~1resourceName/GET`); an unescaped
 * nested path (`items/{id}/GET`) is not found there and the apply fails.
 */
export function methodSettingsPath(method: string, resourcePath: string): string {
  return `${resourcePath.replace(/\//g, "~1")}/${method}`;
}

/**
 * `aws_api_gateway_usage_plan.api_stages[].throttle[].path`: `/items/{id}/GET` (leading slash, not escaped).
 * AWS documents no form for the root resource, so tier method throttles cannot address it (validated).
 */
export function usagePlanThrottlePath(method: string, resourcePath: string): string {
  return `${resourcePath}/${method}`;
}

/** The path parameters of a resource path (`/items/{id}/{rest+}` -> id, rest). */
export function pathParameters(resourcePath: string): string[] {
  return [...resourcePath.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((m) => m[1]);
}

/** Every method of the definition, in a stable order. */
export function allMethods(
  resources: ApiResources,
): Array<{ path: string; method: HttpMethod; def: ApiMethodDefinition }> {
  const out: Array<{ path: string; method: HttpMethod; def: ApiMethodDefinition }> = [];
  for (const path of Object.keys(resources).sort()) {
    for (const method of HTTP_METHODS) {
      const def = resources[path][method];
      if (def) out.push({ path, method, def });
    }
  }
  return out;
}

/** Whether caching is on for the stage. */
export function cachingEnabled(caching: ApiCachingOptions | undefined): boolean {
  return caching !== undefined && caching.enabled !== false;
}

/** Whether a method is cached in API Gateway (caching on, GET, cache options given). */
export function isCachedMethod(
  caching: ApiCachingOptions | undefined,
  method: string,
  def: ApiMethodDefinition,
): boolean {
  return cachingEnabled(caching) && method === "GET" && def.cache !== undefined;
}

/** Whether a method is an async (SQS) route. */
export function isAsyncMethod(def: ApiMethodDefinition): def is ApiMethodDefinition & { integration: SqsIntegration } {
  return def.integration.type === "SQS";
}

/** `querystring.page` -> `method.request.querystring.page`. */
export function methodRequestParameter(short: string): string {
  return `method.request.${short}`;
}
