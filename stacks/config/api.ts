import { z } from "zod";
import {
  ACCOUNT_THROTTLE,
  CACHE_CLUSTER_SIZES,
  CACHE_TTL_SECONDS,
  LOG_RETENTION_DAYS,
  QUOTA_PERIODS,
  TIMEOUT_MS,
} from "../../modules/api/api-definition";
import {
  MAX_RECEIVE_COUNT,
  MESSAGE_SIZE_BYTES,
  RETENTION_SECONDS,
  SQS_ARN,
  VISIBILITY_TIMEOUT_SECONDS,
} from "../../modules/events/eventbridge-rules";
import {
  ALARM_PERIODS,
  ASYNC_QUEUE_NAME_PATTERN,
  API_KEY_NAME_PATTERN,
  CLOUDFRONT_CERTIFICATE_ARN_PATTERN,
  CLOUDFRONT_WEB_ACL_ARN_PATTERN,
  crossFieldProblems,
  DOMAIN_NAME_PATTERN,
  HOSTED_ZONE_ID_PATTERN,
  KMS_KEY_ARN_PATTERN,
  MODEL_NAME_PATTERN,
  NAME_PATTERN,
  PRICE_CLASSES,
  REQUEST_PARAMETER_PATTERN,
  RESOURCE_PATH_PATTERN,
  STAGE_NAME_PATTERN,
  TIER_NAME_PATTERN,
} from "../../modules/api/front-door-rules";
import { kmsKeyArn } from "./primitives";

/**
 * The `api` section of env/<name>.json: the REST API front door (modules/api, RestApiFrontDoor).
 * Field formats and ranges are checked here; the cross-field rules (references to methods, tiers
 * and models, tier limits against the stage, duplicate keys) are the module's own
 * `crossFieldProblems`, run in superRefine so the construct and the config agree on every rule.
 */

/** A record whose keys must match a pattern; bad keys are reported at their own path. */
function keyed<T extends z.ZodType>(value: T, pattern: RegExp, expected: string) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (!pattern.test(key))
        ctx.addIssue({ code: "custom", path: [key], message: `${expected}, got ${JSON.stringify(key)}` });
    }
  });
}

/** A KMS key ARN (not an alias): IAM grants on a key name the key itself. */
const kmsKeyOnlyArn = z.string().regex(KMS_KEY_ARN_PATTERN, {
  message: "expected a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/<uuid> (not an alias)",
});

const text = (what: string) => z.string().min(1, { message: `expected ${what}` });

const throttleSchema = z.strictObject({
  rateLimit: z.number().min(0).max(ACCOUNT_THROTTLE.rateLimit),
  burstLimit: z.int().min(0).max(ACCOUNT_THROTTLE.burstLimit),
});

/** Throttles by method key (`POST /items`); keys are checked against resources in superRefine. */
const methodThrottlesSchema = z.record(z.string(), throttleSchema);

const timeoutMs = z.int().min(TIMEOUT_MS.min).max(TIMEOUT_MS.max);

const integrationSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("MOCK"),
      timeoutMs,
      statusCode: z.int().min(100).max(599).optional(),
      responseBody: z.unknown().optional(),
    }),
    z.strictObject({
      type: z.literal("HTTP_PROXY"),
      timeoutMs,
      uri: z.string().regex(/^https:\/\/[^\s/]+(\/\S*)?$/, { message: "expected an https:// URL" }),
      httpMethod: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]).optional(),
    }),
    z.strictObject({
      type: z.literal("SQS"),
      timeoutMs,
      queue: z
        .strictObject({
          name: z
            .string()
            .regex(ASYNC_QUEUE_NAME_PATTERN, {
              message: "expected a standard queue name of 1-76 letters, digits, '-' or '_' (its DLQ adds \"-dlq\")",
            })
            .optional(),
          visibilityTimeoutSeconds: z
            .int()
            .min(VISIBILITY_TIMEOUT_SECONDS.min)
            .max(VISIBILITY_TIMEOUT_SECONDS.max)
            .optional(),
          messageRetentionSeconds: z.int().min(RETENTION_SECONDS.min).max(RETENTION_SECONDS.max).optional(),
          maxReceiveCount: z.int().min(MAX_RECEIVE_COUNT.min).max(MAX_RECEIVE_COUNT.max).optional(),
          maxMessageSizeBytes: z.int().min(MESSAGE_SIZE_BYTES.min).max(MESSAGE_SIZE_BYTES.max).optional(),
          encryption: z.enum(["sqs-managed", "kms"]).optional(),
          kmsKeyArn: kmsKeyOnlyArn.optional(),
        })
        .optional(),
      existingQueue: z
        .strictObject({
          arn: z
            .string()
            .regex(SQS_ARN, { message: "expected an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders" })
            .refine((a) => !a.endsWith(".fifo"), {
              message: "expected a standard queue: an async route sends no MessageGroupId",
            }),
          kmsKeyArn: kmsKeyOnlyArn.optional(),
        })
        .optional(),
    }),
  ],
  { error: 'expected an integration with type "MOCK", "HTTP_PROXY" or "SQS"' },
);

const requestParameter = z
  .string()
  .regex(REQUEST_PARAMETER_PATTERN, { message: "expected querystring.<name> or header.<name>" });

const methodSchema = z.strictObject({
  integration: integrationSchema,
  public: z.boolean().optional(),
  parameters: keyed(
    z.boolean(),
    REQUEST_PARAMETER_PATTERN,
    "expected querystring.<name> or header.<name> (path parameters come from the resource path)",
  ).optional(),
  requestModel: z
    .string()
    .regex(MODEL_NAME_PATTERN, { message: "expected a model name of letters and digits" })
    .optional(),
  cache: z
    .strictObject({
      ttlSeconds: z.int().min(CACHE_TTL_SECONDS.min).max(CACHE_TTL_SECONDS.max).optional(),
      keyParameters: z.array(requestParameter).optional(),
    })
    .optional(),
});

const resourceSchema = z.strictObject({
  GET: methodSchema.optional(),
  POST: methodSchema.optional(),
  PUT: methodSchema.optional(),
  PATCH: methodSchema.optional(),
  DELETE: methodSchema.optional(),
  HEAD: methodSchema.optional(),
  OPTIONS: methodSchema.optional(),
});

const tierSchema = z.strictObject({
  description: z.string().optional(),
  throttle: throttleSchema.optional(),
  quota: z
    .strictObject({
      limit: z.int().min(0),
      period: z.enum(QUOTA_PERIODS),
      offset: z.int().min(0).optional(),
    })
    .optional(),
  methodThrottles: methodThrottlesSchema.optional(),
});

const apiKeySchema = z.strictObject({
  name: z.string().regex(API_KEY_NAME_PATTERN, { message: "expected 1-128 letters, digits, '.', '_' or '-'" }),
  tier: text("a tier name"),
  enabled: z.boolean().optional(),
  description: z.string().optional(),
});

const cachingSchema = z.strictObject({
  enabled: z.boolean(),
  layer: z.enum(["api-gateway", "edge"]).optional(),
  clusterSizeGb: z.literal([...CACHE_CLUSTER_SIZES]).optional(),
  allowClientInvalidation: z.boolean().optional(),
});

const distributionSchema = z.strictObject({
  priceClass: z.enum(PRICE_CLASSES).optional(),
  customDomain: z
    .strictObject({
      domainName: z
        .string()
        .regex(DOMAIN_NAME_PATTERN, { message: "expected a lower-case domain name such as api.example.com" }),
      certificateArn: z.string().regex(CLOUDFRONT_CERTIFICATE_ARN_PATTERN, {
        message: "expected an ACM certificate ARN in us-east-1 (CloudFront only uses certificates there)",
      }),
      hostedZoneId: z
        .string()
        .regex(HOSTED_ZONE_ID_PATTERN, { message: "expected a Route 53 hosted zone id such as Z0123456789ABC" })
        .optional(),
    })
    .optional(),
  webAclArn: z
    .string()
    .regex(CLOUDFRONT_WEB_ACL_ARN_PATTERN, {
      message:
        "expected a WAFv2 web ACL ARN of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)",
    })
    .optional(),
  /** CloudFront standard logging (v2) to `/aws/cloudfront/<name>` in us-east-1; default true. */
  accessLogs: z.boolean().optional(),
});

const accessLogsSchema = z.strictObject({
  retentionDays: z.literal([...LOG_RETENTION_DAYS]).optional(),
  kmsKeyArn: kmsKeyArn.optional(),
});

const alarmThresholdsSchema = z.strictObject({
  serverErrors: z.int().min(1).optional(),
  clientErrorRatePercent: z.number().min(0).max(100).optional(),
  latencyP99Ms: z.number().min(1).max(60000).optional(),
  cacheHitRatioPercent: z.number().min(0).max(100).optional(),
  periodSeconds: z.literal([...ALARM_PERIODS]).optional(),
  evaluationPeriods: z.int().min(1).max(10).optional(),
  datapointsToAlarm: z.int().min(1).max(10).optional(),
});

/** The `api` section. */
export const apiSchema = z
  .strictObject({
    name: z
      .string()
      .regex(NAME_PATTERN, { message: "expected 1-40 lower-case letters, digits or '-', starting with a letter" }),
    description: z.string().optional(),
    stageName: z.string().regex(STAGE_NAME_PATTERN, { message: "expected letters, digits or '_'" }).optional(),
    resources: keyed(resourceSchema, RESOURCE_PATH_PATTERN, "expected a resource path such as /items/{id}").refine(
      (r) => Object.values(r).some((methods) => Object.keys(methods).length > 0),
      { message: "expected at least one resource with a method" },
    ),
    models: keyed(
      z.record(z.string(), z.unknown()),
      MODEL_NAME_PATTERN,
      "expected a model name of letters and digits",
    ).optional(),
    throttle: throttleSchema,
    methodThrottles: methodThrottlesSchema.optional(),
    tiers: keyed(tierSchema, TIER_NAME_PATTERN, "expected a tier name of letters, digits, '-' or '_'").optional(),
    apiKeys: z.array(apiKeySchema).optional(),
    caching: cachingSchema.optional(),
    distribution: distributionSchema.optional(),
    accessLogs: accessLogsSchema.optional(),
    alarms: alarmThresholdsSchema.optional(),
  })
  .superRefine((api, ctx) => {
    for (const problem of crossFieldProblems(api)) {
      ctx.addIssue({ code: "custom", path: [...problem.path], message: problem.message });
    }
  });

/** A validated `api` section: RestApiFrontDoor props without the wiring. */
export type ApiConfig = z.infer<typeof apiSchema>;
