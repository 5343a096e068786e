import { asyncRouteStem } from "../shared/contract/game-day";
import { MESSAGE_SIZE_BYTES } from "../events/eventbridge-rules";

/**
 * The patterns and limits of an API definition's fields: front-door-schema.ts and route-schema.ts build the zod schemas
 * from them (the rules between fields are cross-field-rules.ts), RestApiFrontDoor's props and, composed, the
 * environment config use those schemas, so every rule has this one owner.
 */

export { asyncRouteStem };

export const NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
export const STAGE_NAME_PATTERN = /^[A-Za-z0-9_]{1,128}$/;
export const RESOURCE_PATH_PATTERN = /^\/$|^(\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\+?\}))+$/;
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9]{1,128}$/;
export const REQUEST_PARAMETER_PATTERN = /^(querystring|header)\.[A-Za-z0-9._-]{1,128}$/;
export const TIER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const API_KEY_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
export const DOMAIN_NAME_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const HOSTED_ZONE_ID_PATTERN = /^Z[A-Z0-9]{1,31}$/;
export const CLOUDFRONT_CERTIFICATE_ARN_PATTERN = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
export const CLOUDFRONT_WEB_ACL_ARN_PATTERN =
  /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;
export const KMS_KEY_ARN_PATTERN = /^arn:aws(-[a-z-]+)?:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
export const ALARM_PERIODS = [60, 300, 900, 3600] as const;
/** Bounds of the alarm thresholds (inclusive). */
export const ALARM_THRESHOLD_LIMITS = {
  serverErrors: { min: 1, max: 1_000_000 },
  percent: { min: 0, max: 100 },
  latencyP99Ms: { min: 1, max: 60_000 },
  evaluationPeriods: { min: 1, max: 10 },
} as const;
/** Status codes a MOCK integration may answer with. */
export const MOCK_STATUS_CODES = { min: 100, max: 599 } as const;
/** An https:// backend URL of an HTTP_PROXY integration. */
export const HTTPS_URL_PATTERN = /^https:\/\/[^\s/]+(\/\S*)?$/;
/** SNS topic ARN (the alarm topic). */
export const SNS_TOPIC_ARN_PATTERN = /^arn:aws(-[a-z-]+)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
/** CloudFront cache policies allow 10 headers; `x-api-key` takes one. */
export const MAX_EDGE_KEY_HEADERS = 9;
/** CloudFront cache policies allow 10 query strings. */
export const MAX_EDGE_KEY_QUERY_STRINGS = 10;
/** Queue names an async route may give (a standard queue; its DLQ adds "-dlq"). */
export const ASYNC_QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,76}$/;
/** Defaults of the queue an async route's module creates. */
export const ASYNC_QUEUE_DEFAULTS = {
  visibilityTimeoutSeconds: 180,
  messageRetentionSeconds: 345600,
  maxReceiveCount: 5,
  maxMessageSizeBytes: MESSAGE_SIZE_BYTES.max,
} as const;
