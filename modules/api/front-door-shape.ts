import {
  arrayOf,
  boolean,
  number,
  object,
  oneOf,
  optional,
  recordOf,
  string,
  union,
  unknown,
} from "../shared/props-shape";
import { CACHE_CLUSTER_SIZES, HTTP_METHODS, QUOTA_PERIODS } from "./api-definition";
import { PRICE_CLASSES } from "./front-door-rules";

/**
 * The structure of an API definition and of RestApiFrontDoor's props (keys, required fields, types, the integration
 * `type`), checked before the rules of front-door-rules.ts, which read the definition as its type says.
 */

/** A rate and burst limit. */
export const THROTTLE_SHAPE = object({ rateLimit: number, burstLimit: number });
const throttle = THROTTLE_SHAPE;

const asyncQueue = object({
  name: optional(string),
  visibilityTimeoutSeconds: optional(number),
  messageRetentionSeconds: optional(number),
  maxReceiveCount: optional(number),
  maxMessageSizeBytes: optional(number),
  encryption: optional(oneOf("sqs-managed", "kms")),
  kmsKeyArn: optional(string),
});

const integration = union("type", {
  MOCK: object({ type: string, timeoutMs: number, statusCode: optional(number), responseBody: optional(unknown) }),
  HTTP_PROXY: object({ type: string, timeoutMs: number, uri: string, httpMethod: optional(oneOf(...HTTP_METHODS)) }),
  SQS: object({
    type: string,
    timeoutMs: number,
    queue: optional(asyncQueue),
    existingQueue: optional(object({ arn: string, kmsKeyArn: optional(string) })),
  }),
});

const method = object({
  integration,
  public: optional(boolean),
  parameters: optional(recordOf(boolean)),
  requestModel: optional(string),
  cache: optional(object({ ttlSeconds: optional(number), keyParameters: optional(arrayOf(string)) })),
});

/** A usage-plan tier (UsagePlanTiers takes them too). */
export const USAGE_PLAN_TIER_SHAPE = object({
  throttle: optional(throttle),
  quota: optional(object({ limit: number, period: oneOf(...QUOTA_PERIODS), offset: optional(number) })),
  methodThrottles: optional(recordOf(throttle)),
  description: optional(string),
});

/** The resource tree: methods by resource path. */
export const API_RESOURCES_SHAPE = recordOf(object(Object.fromEntries(HTTP_METHODS.map((m) => [m, optional(method)]))));

/** Caching options of an API. */
export const API_CACHING_SHAPE = object({
  enabled: optional(boolean),
  layer: optional(oneOf("api-gateway", "edge")),
  clusterSizeGb: optional(oneOf(...CACHE_CLUSTER_SIZES)),
  allowClientInvalidation: optional(boolean),
});

/** A custom domain of the distribution. */
export const CUSTOM_DOMAIN_SHAPE = object({
  domainName: string,
  certificateArn: string,
  hostedZoneId: optional(string),
});

/** An API key of one consumer in one tier. */
export const API_CONSUMER_KEY_SHAPE = object({
  name: string,
  tier: string,
  enabled: optional(boolean),
  description: optional(string),
});

/** Alarm thresholds of an API (ApiAlarms takes them too). */
export const API_ALARM_THRESHOLDS_SHAPE = object({
  serverErrors: optional(number),
  clientErrorRatePercent: optional(number),
  latencyP99Ms: optional(number),
  cacheHitRatioPercent: optional(number),
  periodSeconds: optional(number),
  evaluationPeriods: optional(number),
  datapointsToAlarm: optional(number),
});

/** Fields of an ApiDefinition, by key. */
export const API_DEFINITION_FIELDS = {
  name: string,
  description: optional(string),
  stageName: optional(string),
  resources: API_RESOURCES_SHAPE,
  models: optional(recordOf(recordOf(unknown))),
  throttle,
  methodThrottles: optional(recordOf(throttle)),
  tiers: optional(recordOf(USAGE_PLAN_TIER_SHAPE)),
  apiKeys: optional(arrayOf(API_CONSUMER_KEY_SHAPE)),
  caching: optional(API_CACHING_SHAPE),
  distribution: optional(
    object({
      priceClass: optional(oneOf(...PRICE_CLASSES)),
      customDomain: optional(CUSTOM_DOMAIN_SHAPE),
      webAclArn: optional(string),
      accessLogs: optional(boolean),
    }),
  ),
  accessLogs: optional(object({ retentionDays: optional(number), kmsKeyArn: optional(string) })),
  alarms: optional(API_ALARM_THRESHOLDS_SHAPE),
} as const;

/** The shape of an ApiDefinition. */
export const API_DEFINITION_SHAPE = object(API_DEFINITION_FIELDS);

/** The shape of RestApiFrontDoorProps: the definition plus its wiring. */
export const REST_API_FRONT_DOOR_SHAPE = object({
  ...API_DEFINITION_FIELDS,
  alarmTopicArn: string,
  manageAccountLogging: optional(boolean),
  executionLogLevel: optional(oneOf("ERROR", "INFO", "OFF")),
  tags: optional(recordOf(string)),
});
