import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { tagsSchema } from "../shared/aws-tags";

/** Descriptions are bounded (1024 characters), so a pasted document is caught before it reaches a resource. */
const DESCRIPTION_MAX = 1024;
import type { ApiDefinition } from "./api-definition";
import { ACCOUNT_THROTTLE, CACHE_CLUSTER_SIZES, LOG_RETENTION_DAYS, QUOTA_PERIODS } from "./api-definition";
import {
  ALARM_PERIODS,
  ALARM_THRESHOLD_LIMITS,
  API_KEY_NAME_PATTERN,
  CLOUDFRONT_CERTIFICATE_ARN_PATTERN,
  CLOUDFRONT_WEB_ACL_ARN_PATTERN,
  DOMAIN_NAME_PATTERN,
  HOSTED_ZONE_ID_PATTERN,
  NAME_PATTERN,
  PRICE_CLASSES,
  SNS_TOPIC_ARN_PATTERN,
  STAGE_NAME_PATTERN,
  TIER_NAME_PATTERN,
} from "./front-door-rules";
import { crossFieldProblems } from "./cross-field-rules";
import { apiAuthorizersSchema } from "./authorizer-schema";
import { corsSchema } from "./cors-schema";
import { apiModelsSchema, apiResourcesSchema, intIn, keyed, kmsKeyArnSchema } from "./route-schema";

/** Props of RestApiFrontDoor: the API definition plus its wiring. */
export interface RestApiFrontDoorProps extends ApiDefinition {
  /** SNS topic ARN every alarm of the API notifies (alarm and OK); no default. */
  readonly alarmTopicArn: string;
  /**
   * Whether this stack sets the account-and-region API Gateway CloudWatch role (ApiGatewayAccountLogging, once per
   * stack). Off by default: the setting is account-wide, one stack of the account (the platform stack) owns it, and a
   * second owner would fight over `aws_api_gateway_account`. Set true only in the stack that owns it.
   * @default false
   */
  readonly manageAccountLogging?: boolean;
  /** Execution log level of every method. @default `ERROR` (request and response data are never logged) */
  readonly executionLogLevel?: "ERROR" | "INFO" | "OFF";
  /** Tags of every taggable resource, besides `api: <name>`. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The zod schema of an API definition (what env/<name>.json's `api` section holds) and of RestApiFrontDoor's props:
 * structure and values at once, and the rules between fields (`crossFieldProblems`) as its superRefine, so one parse
 * reports every problem: every field's, and the rules between fields once every field has its type (zod skips the
 * refinement after a wrong type or a fractional integer, which those rules could not judge). The environment config
 * composes these schemas; it restates no limit or pattern.
 */

/** Steady-state rate and burst of a throttle, at most the account's default throttle. */
export const throttleSchema = z.strictObject({
  rateLimit: z.number().min(0).max(ACCOUNT_THROTTLE.rateLimit),
  burstLimit: z.int().min(0).max(ACCOUNT_THROTTLE.burstLimit),
});

/** Throttles by method key (`POST /items`); the keys are checked against the resources by crossFieldProblems. */
export const methodThrottlesSchema = z.record(z.string(), throttleSchema);

/** Usage-plan quota: requests per period per API key. */
export const quotaSchema = z.strictObject({
  limit: z.int().min(0),
  period: z.enum(QUOTA_PERIODS),
  offset: z.int().min(0).optional(),
});

/** One usage-plan tier. */
export const usagePlanTierSchema = z.strictObject({
  throttle: throttleSchema.optional(),
  quota: quotaSchema.optional(),
  methodThrottles: methodThrottlesSchema.optional(),
  description: z.string().max(DESCRIPTION_MAX).optional(),
});

/** Usage-plan tiers by name. */
export const usagePlanTiersSchema = keyed(
  usagePlanTierSchema,
  TIER_NAME_PATTERN,
  "expected a tier name of letters, digits, '-' or '_'",
);

/** One consumer's API key. */
export const apiConsumerKeySchema = z.strictObject({
  name: z.string().regex(API_KEY_NAME_PATTERN, { message: "expected 1-128 letters, digits, '.', '_' or '-'" }),
  tier: z.string(),
  enabled: z.boolean().optional(),
  description: z.string().max(DESCRIPTION_MAX).optional(),
});

/** Stage caching. */
export const apiCachingSchema = z.strictObject({
  enabled: z.boolean().optional(),
  layer: z.enum(["api-gateway", "edge"]).optional(),
  clusterSizeGb: z.literal(CACHE_CLUSTER_SIZES).optional(),
  allowClientInvalidation: z.boolean().optional(),
});

/** Custom viewer domain of the CloudFront distribution. */
export const customDomainSchema = z.strictObject({
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
});

/** A WAFv2 web ACL of scope CLOUDFRONT. */
export const cloudfrontWebAclArnSchema = z.string().regex(CLOUDFRONT_WEB_ACL_ARN_PATTERN, {
  message:
    "expected a WAFv2 web ACL ARN of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)",
});

/** The CloudFront distribution in front of the stage. */
export const distributionSchema = z.strictObject({
  priceClass: z.enum(PRICE_CLASSES).optional(),
  customDomain: customDomainSchema.optional(),
  webAclArn: cloudfrontWebAclArnSchema.optional(),
  accessLogs: z.boolean().optional(),
});

/** A CloudWatch Logs retention value (days). */
export const logRetentionDaysSchema = z.literal(LOG_RETENTION_DAYS);

/** Access logs of the stage (and retention of CloudFront's). */
export const accessLogsSchema = z.strictObject({
  retentionDays: logRetentionDaysSchema.optional(),
  kmsKeyArn: kmsKeyArnSchema.optional(),
});

const percent = z.number().min(ALARM_THRESHOLD_LIMITS.percent.min).max(ALARM_THRESHOLD_LIMITS.percent.max);

/** Alarm thresholds of the stage. */
export const apiAlarmThresholdsSchema = z.strictObject({
  serverErrors: intIn(ALARM_THRESHOLD_LIMITS.serverErrors).optional(),
  clientErrorRatePercent: percent.optional(),
  latencyP99Ms: z
    .number()
    .min(ALARM_THRESHOLD_LIMITS.latencyP99Ms.min)
    .max(ALARM_THRESHOLD_LIMITS.latencyP99Ms.max)
    .optional(),
  cacheHitRatioPercent: percent.optional(),
  periodSeconds: z.literal(ALARM_PERIODS).optional(),
  evaluationPeriods: intIn(ALARM_THRESHOLD_LIMITS.evaluationPeriods).optional(),
  datapointsToAlarm: intIn(ALARM_THRESHOLD_LIMITS.evaluationPeriods).optional(),
});

/** Reports crossFieldProblems as zod issues (a superRefine of any schema whose output is an ApiDefinition). */
function crossFieldRefinement(def: ApiDefinition, ctx: z.RefinementCtx): void {
  for (const problem of crossFieldProblems(def))
    ctx.addIssue({ code: "custom", path: [...problem.path], message: problem.message });
}

/** An API definition: every field's format and range, then the rules between fields. */
export const apiDefinitionSchema = z
  .strictObject({
    name: z
      .string()
      .regex(NAME_PATTERN, { message: "expected 1-40 lower-case letters, digits or '-', starting with a letter" }),
    description: z.string().max(DESCRIPTION_MAX).optional(),
    stageName: z.string().regex(STAGE_NAME_PATTERN, { message: "expected letters, digits or '_'" }).optional(),
    resources: apiResourcesSchema,
    models: apiModelsSchema.optional(),
    throttle: throttleSchema,
    methodThrottles: methodThrottlesSchema.optional(),
    tiers: usagePlanTiersSchema.optional(),
    apiKeys: z.array(apiConsumerKeySchema).optional(),
    caching: apiCachingSchema.optional(),
    distribution: distributionSchema.optional(),
    accessLogs: accessLogsSchema.optional(),
    alarms: apiAlarmThresholdsSchema.optional(),
    authorizers: apiAuthorizersSchema.optional(),
    defaultAuthorization: z.string().min(1).optional(),
    cors: corsSchema.optional(),
  })
  .superRefine(crossFieldRefinement);

/** An SNS topic ARN. */
export const snsTopicArnSchema = z.string().regex(SNS_TOPIC_ARN_PATTERN, { message: "expected an SNS topic ARN" });

/** Execution log level of every method (request and response data are never logged). */
export const executionLogLevelSchema = z.enum(["ERROR", "INFO", "OFF"]);

/** RestApiFrontDoor's props: the definition plus its wiring (alarm topic, account logging, log level, tags). */
export const restApiFrontDoorPropsSchema = apiDefinitionSchema.extend({
  alarmTopicArn: snsTopicArnSchema,
  manageAccountLogging: z.boolean().optional(),
  executionLogLevel: executionLogLevelSchema.optional(),
  // AWS's tag rules; the front door adds `api: <name>` to every resource.
  tags: tagsSchema(1).optional(),
});

/**
 * Compile-time proof that the schemas accept exactly the documented props: a field added to, removed from or typed
 * differently in `ApiDefinition` / `RestApiFrontDoorProps` without the schema (or the reverse) fails the type check.
 */
export type _FrontDoorSchemaMatchesProps = [
  Assert<SchemaMatchesProps<z.input<typeof apiDefinitionSchema>, ApiDefinition>>,
  Assert<SchemaMatchesProps<z.input<typeof restApiFrontDoorPropsSchema>, RestApiFrontDoorProps>>,
];
