import { DEFAULT_API_STAGE } from "../shared/contract/game-day";
import { ASYNC_QUEUE_DEFAULTS } from "./front-door-rules";

/**
 * Every default of the API front door module, in one place, each with its reason; the props docs quote them.
 */
export const API_DEFAULTS = Object.freeze({
  /** The stage: one per API, versioned in the path. */
  stageName: DEFAULT_API_STAGE,
  /** Cache TTL of a cached method: 5 minutes, API Gateway's own default. */
  cacheTtlSeconds: 300,
  /** Cache cluster: the smallest (0.5 GB), enough for most APIs at the lowest hourly cost. */
  cacheClusterSizeGb: 0.5,
  /** Access and execution log retention: 90 days, long enough for an incident review, never forever. */
  logRetentionDays: 90,
  /** Execution logging: errors only (full request logging can leak payloads and costs per request). */
  executionLogLevel: "ERROR" as const,
  /** CloudFront price class: North America and Europe, the cheapest; widen it for other regions' users. */
  priceClass: "PriceClass_100" as const,
  /** CloudFront origin read timeout: 30 s, CloudFront's default and above API Gateway's 29 s integration limit. */
  originReadTimeoutSeconds: 30,
  /** Alarms: evaluated over 5-minute periods ... */
  alarmPeriodSeconds: 300,
  /** ... three in a row, so one burst does not page. */
  alarmEvaluationPeriods: 3,
  /** 5XX responses in a period that alarm. */
  serverErrors: 5,
  /** 4XX rate that alarms: clients failing often (a bad deploy of a client, or a probe). */
  clientErrorRatePercent: 10,
  /** p99 latency that alarms, in milliseconds. */
  latencyP99Ms: 2500,
  /** Cache hit ratio under which a cached API alarms. */
  cacheHitRatioPercent: 50,
  /** A quota's offset: the period starts on its boundary. */
  quotaOffset: 0,
  /** A MOCK integration's status code. */
  mockStatusCode: 200,
  /** Stem of an async route's queue and role names when ApiRoutes is used without an API name. */
  apiName: "api",
  /** An async route's queue encryption: SSE-SQS, encryption on with no key to manage. */
  asyncQueueEncryption: "sqs-managed" as const,
  /** An async route's queue (front-door-rules.ts). */
  asyncQueue: ASYNC_QUEUE_DEFAULTS,
  /** CORS: the request headers this API itself reads, so a browser may send them. */
  corsAllowHeaders: Object.freeze(["Content-Type", "Authorization", "X-Api-Key", "Idempotency-Key"]),
  /** A preflight's MOCK integration timeout: it calls no backend; explicit, as every integration's (a guardrail). */
  corsPreflightTimeoutMs: 1000,
  /** CORS: ten minutes of preflight reuse (Chromium caps at two hours; a shorter one picks up a changed policy sooner). */
  corsMaxAgeSeconds: 600,
  /** A method's authorization when neither it nor the API names one: the API key alone, as before authorizers. */
  authorization: "NONE" as const,
  /** Where a Cognito or TOKEN authorizer reads the token: the `Authorization` header, as OAuth bearer tokens travel. */
  authorizerIdentitySource: "method.request.header.Authorization",
  /** Seconds a verdict is cached: API Gateway's own default (a revoked token keeps working up to this long). */
  authorizerResultTtlSeconds: 300,
});
