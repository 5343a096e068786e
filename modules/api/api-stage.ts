import { ApiGatewayDeployment } from "@cdktn/provider-aws/lib/api-gateway-deployment";
import {
  ApiGatewayMethodSettings,
  type ApiGatewayMethodSettingsSettings,
} from "@cdktn/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayStage } from "@cdktn/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { type IResolveContext, type ITerraformDependable, Lazy } from "cdktn";
import { Construct } from "constructs";
import { z } from "zod";
import {
  CACHE_CLUSTER_SIZES,
  type CacheClusterSize,
  CACHE_TTL_SECONDS,
  HTTP_METHODS,
  methodSettingsPath,
  type ThrottleSettings,
} from "./api-definition";
import { ApiExecutionLogGroup } from "./api-execution-log-group";
import { ACCESS_LOG_GROUP_PREFIX } from "./api-gateway-account-logging";
import { resourceSlug } from "./api-routes";
import { executionLogLevelSchema, logRetentionDaysSchema, throttleSchema } from "./front-door-schema";
import { type Parsed, parseProps } from "../shared/parse-props";
import { API_PARSE_OPTIONS } from "../shared/reference-samples";
import { intIn, kmsKeyArnSchema } from "./route-schema";
import { API_DEFAULTS } from "./defaults";

/** Stage settings of one method that differ from the stage-wide ones. */
export interface MethodStageSettings {
  /** HTTP method; no default. */
  readonly method: string;
  /** Resource path (`/items/{id}`); no default. */
  readonly resourcePath: string;
  /** Throttle of this method. @default the stage throttle */
  readonly throttle?: ThrottleSettings;
  /** Cache TTL in seconds when the method is cached. @default not cached */
  readonly cacheTtlSeconds?: number;
}

/** Props of ApiStage. */
export interface ApiStageProps {
  /** Id of the REST API; no default. */
  readonly restApiId: string;
  /** API name, the stem of the log group name; no default. */
  readonly apiName: string;
  /** Stage name; no default. */
  readonly stageName: string;
  /** Hash of everything deployed (routes, integrations, models): a new value creates a new deployment; no default. */
  readonly redeploymentHash: string;
  /** Resources the deployment waits for (methods, integrations, responses). @default none */
  readonly deploymentDependsOn?: readonly ITerraformDependable[];
  /** Stage-wide throttle (method path `*`/`*`); no default. */
  readonly throttle: ThrottleSettings;
  /** Per-method overrides (throttle, caching). @default none */
  readonly methodSettings?: readonly MethodStageSettings[];
  /** Stage cache cluster size in GB when caching. @default no cache cluster */
  readonly cacheClusterSizeGb?: CacheClusterSize;
  /** Whether any client may invalidate cache entries. @default false (only callers with execute-api:InvalidateCache may; others' Cache-Control: max-age=0 is ignored) */
  readonly allowClientInvalidation?: boolean;
  /** Days to keep access logs. @default 90 */
  readonly accessLogRetentionDays?: number;
  /** Days to keep execution logs (`API-Gateway-Execution-Logs_<api id>/<stage>`). @default `accessLogRetentionDays` (90) */
  readonly executionLogRetentionDays?: number;
  /** KMS key ARN of the access and execution log groups. @default CloudWatch Logs' own encryption */
  readonly accessLogKmsKeyArn?: string;
  /** Execution log level. @default `ERROR` (data trace is always off) */
  readonly executionLogLevel?: "ERROR" | "INFO" | "OFF";
  /** The account logging setting the stage's logs rely on. @default none (already set up) */
  readonly accountLogging?: ITerraformDependable;
  /** Tags of the stage and log group. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** ApiStageProps as checked at construction. */
const apiStagePropsSchema = z.strictObject({
  restApiId: z.string(),
  apiName: z.string(),
  stageName: z.string(),
  redeploymentHash: z.string(),
  // Resources (constructs) the deployment waits for.
  deploymentDependsOn: z.array(z.unknown()).optional(),
  throttle: throttleSchema,
  methodSettings: z
    .array(
      z.strictObject({
        method: z.enum(HTTP_METHODS),
        resourcePath: z.string(),
        throttle: throttleSchema.optional(),
        cacheTtlSeconds: intIn(CACHE_TTL_SECONDS).optional(),
      }),
    )
    .optional(),
  cacheClusterSizeGb: z.literal(CACHE_CLUSTER_SIZES).optional(),
  allowClientInvalidation: z.boolean().optional(),
  accessLogRetentionDays: logRetentionDaysSchema.optional(),
  executionLogRetentionDays: logRetentionDaysSchema.optional(),
  accessLogKmsKeyArn: kmsKeyArnSchema.optional(),
  executionLogLevel: executionLogLevelSchema.optional(),
  // The account's API Gateway CloudWatch role setting (a construct) the stage waits for.
  accountLogging: z.unknown().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

/** One JSON line per request: who, what, how long, which key, cache and integration outcome. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  apiKeyId: "$context.identity.apiKeyId",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  path: "$context.path",
  protocol: "$context.protocol",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationStatus: "$context.integration.status",
  integrationLatency: "$context.integration.latency",
  errorType: "$context.error.responseType",
  errorMessage: "$context.error.message",
  wafResponseCode: "$context.wafResponseCode",
  xrayTraceId: "$context.xrayTraceId",
});

/**
 * A deployment and its stage: the deployment is replaced (create before destroy) whenever the
 * routes change, the stage keeps its name, logs every request as JSON to its own log group,
 * writes execution logs to a managed group with retention (created before the stage), traces with X-Ray, emits metrics, never logs request or response data, and applies the
 * stage-wide (`*`/`*`) and per-method throttles and cache settings.
 */
export class ApiStage extends Construct {
  readonly deployment: ApiGatewayDeployment;
  readonly stage: ApiGatewayStage;
  readonly logGroup: CloudwatchLogGroup;
  /** The stage's execution-log group (`API-Gateway-Execution-Logs_<api id>/<stage>`), managed so it does not live forever. */
  readonly executionLogGroup: ApiExecutionLogGroup;
  /** Stage name (a reference, so dependents wait for the stage). */
  readonly stageName: string;
  /** ARN of the stage. */
  readonly stageArn: string;
  /** `https://<api>.execute-api.<region>.amazonaws.com/<stage>`. */
  readonly invokeUrl: string;
  /** Execution ARN prefix of the stage, for permissions (`.../<stage>`). */
  readonly executionArn: string;
  /** Method settings resources by method path (`*`/`*`, `~1items/GET`, `~1items~1{id}/GET`, `~1/GET` for the root). */
  readonly methodSettings: Readonly<Record<string, ApiGatewayMethodSettings>>;
  /** Where the chain of method settings stands, for addMethodSettings. */
  private settingsChain?: {
    readonly props: ApiStageProps;
    readonly caching: boolean;
    readonly base: ApiGatewayMethodSettingsSettings;
    previous: ApiGatewayMethodSettings;
    readonly settings: Record<string, ApiGatewayMethodSettings>;
  };

  constructor(scope: Construct, id: string, props: ApiStageProps | Parsed<ApiStageProps>) {
    super(scope, id);
    props = parseProps(`ApiStage ${id}`, apiStagePropsSchema, props, API_PARSE_OPTIONS) as ApiStageProps;
    const tags = props.tags ? { ...props.tags } : undefined;
    const caching = props.cacheClusterSizeGb !== undefined;

    this.logGroup = new CloudwatchLogGroup(this, "access-logs", {
      name: `${ACCESS_LOG_GROUP_PREFIX}${props.apiName}/${props.stageName}/access`,
      retentionInDays: props.accessLogRetentionDays ?? API_DEFAULTS.logRetentionDays,
      kmsKeyId: props.accessLogKmsKeyArn,
      tags,
    });

    this.executionLogGroup = new ApiExecutionLogGroup(this, "execution-logs", {
      restApiId: props.restApiId,
      stageName: props.stageName,
      retentionDays: props.executionLogRetentionDays ?? props.accessLogRetentionDays,
      kmsKeyArn: props.accessLogKmsKeyArn,
      tags,
    });

    this.deployment = this.createDeployment(props);
    this.stage = this.createStage(props, caching, tags);
    this.stageName = this.stage.stageName;
    this.stageArn = this.stage.arn;
    this.invokeUrl = this.stage.invokeUrl;
    this.executionArn = this.stage.executionArn;
    this.methodSettings = this.createMethodSettings(props, caching);
  }

  /** A deployment per snapshot of the routes (its hash the trigger), created before the old one is destroyed. */
  private createDeployment(props: ApiStageProps): ApiGatewayDeployment {
    return new ApiGatewayDeployment(this, "deployment", {
      restApiId: props.restApiId,
      description: Lazy.stringValue({
        produce: (context: IResolveContext) =>
          `${props.apiName} ${String(context.resolve(props.redeploymentHash)).slice(0, 12)}`,
      }),
      triggers: { redeployment: props.redeploymentHash },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [...(props.deploymentDependsOn ?? [])],
    });
  }

  /** The stage: X-Ray tracing, the cache cluster when caching, access logs in the managed group. */
  private createStage(
    props: ApiStageProps,
    caching: boolean,
    tags: Record<string, string> | undefined,
  ): ApiGatewayStage {
    return new ApiGatewayStage(this, "stage", {
      restApiId: props.restApiId,
      deploymentId: this.deployment.id,
      stageName: props.stageName,
      description: `${props.apiName} ${props.stageName}`,
      xrayTracingEnabled: true,
      cacheClusterEnabled: caching,
      cacheClusterSize: caching ? String(props.cacheClusterSizeGb) : undefined,
      accessLogSettings: { destinationArn: this.logGroup.arn, format: ACCESS_LOG_FORMAT },
      tags,
      // The execution-log group must exist before API Gateway first writes, or API Gateway creates it unmanaged.
      dependsOn: [...(props.accountLogging ? [props.accountLogging] : []), this.executionLogGroup.logGroup],
    });
  }

  /** Stage-wide settings (every method), then each method's own throttle and cache TTL, one after another. */
  private createMethodSettings(props: ApiStageProps, caching: boolean): Record<string, ApiGatewayMethodSettings> {
    const base = baseMethodSettings(props, caching);
    const settings: Record<string, ApiGatewayMethodSettings> = {};
    // API Gateway rejects concurrent updates of one stage, so each method setting waits for the previous one.
    const previous = new ApiGatewayMethodSettings(this, "settings-all-methods", {
      restApiId: props.restApiId,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        ...base,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
      },
    });
    settings["*/*"] = previous;
    this.settingsChain = { props, caching, base, previous, settings };
    for (const m of props.methodSettings ?? []) this.addMethodSettings(m);
    return settings;
  }

  /** One method's own throttle and cache TTL, after the stage's other settings (API Gateway updates a stage one at a time). */
  addMethodSettings(m: MethodStageSettings): ApiGatewayMethodSettings {
    const c = this.settingsChain!;
    const throttle = m.throttle ?? c.props.throttle;
    const cached = c.caching && m.cacheTtlSeconds !== undefined;
    const path = methodSettingsPath(m.method, m.resourcePath);
    c.previous = new ApiGatewayMethodSettings(this, `settings-${resourceSlug(m.resourcePath)}-${m.method}`, {
      restApiId: c.props.restApiId,
      stageName: this.stage.stageName,
      methodPath: path,
      settings: {
        ...c.base,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        cachingEnabled: cached,
        cacheTtlInSeconds: cached ? m.cacheTtlSeconds : c.base.cacheTtlInSeconds,
      },
      dependsOn: [c.previous],
    });
    c.settings[path] = c.previous;
    return c.previous;
  }
}

/** What every method setting of the stage shares: metrics, execution log level, no data trace, the cache's rules. */
function baseMethodSettings(props: ApiStageProps, caching: boolean): ApiGatewayMethodSettingsSettings {
  return {
    metricsEnabled: true,
    loggingLevel: props.executionLogLevel ?? API_DEFAULTS.executionLogLevel,
    dataTraceEnabled: false,
    cachingEnabled: false,
    ...(caching
      ? {
          cacheDataEncrypted: true,
          cacheTtlInSeconds: CACHE_TTL_SECONDS.default,
          requireAuthorizationForCacheControl: props.allowClientInvalidation !== true,
          // Invalidation stays authorized (execute-api:InvalidateCache), but a request without that
          // permission is served, ignoring its header: CloudFront forwards a browser reload's
          // `Cache-Control: max-age=0` on a miss, and FAIL_WITH_403 would turn every reload into a 403.
          unauthorizedCacheControlHeaderStrategy:
            props.allowClientInvalidation === true ? undefined : "SUCCEED_WITHOUT_RESPONSE_HEADER",
        }
      : {}),
  };
}
