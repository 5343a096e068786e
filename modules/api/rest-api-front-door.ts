import { dependable } from "cdktn";
import { ApiCors } from "./api-cors";
import type { ApiMethodDefinition, CorsOptions, HttpMethod } from "./api-definition";
import { ApiAuthorizers } from "./api-authorizers";
import { identityCacheKey } from "./authorization";
import { ApiGatewayRestApi } from "@cdktn/provider-aws/lib/api-gateway-rest-api";
import { Construct } from "constructs";
import { type AwsContext, awsContext } from "../shared/aws-context";
import { ApiAlarms } from "./api-alarms";
import { allMethods, cachingEnabled, isCachedMethod } from "./api-definition";
import { ApiDistribution, type EdgeCachedRoute, globMatches, pathPatternOf } from "./api-distribution";
import { ApiGatewayAccountLogging } from "./api-gateway-account-logging";
import { ApiRoutes, type AsyncRoute } from "./api-routes";
import { QueueConsumer, type QueueConsumerProps } from "../consumer/queue-consumer";
import type { DeadLetterRoute } from "../shared/dead-letter-route";
import { PropsError } from "../shared/validation";
import { deploymentFingerprint } from "./deployment-fingerprint";
import { ApiStage, type MethodStageSettings } from "./api-stage";
import { restApiFrontDoorPropsSchema } from "./front-door-schema";
import { Parsed, parseProps } from "../shared/parse-props";
import { API_PARSE_OPTIONS } from "../shared/reference-samples";
import { RequestValidation } from "./request-validation";
import { UsagePlanTiers } from "./usage-plan-tiers";
import type { RestApiFrontDoorProps } from "./front-door-schema";
import { API_DEFAULTS } from "./defaults";

export type { RestApiFrontDoorProps } from "./front-door-schema";

/**
 * A REST API front door (REGIONAL endpoint behind CloudFront): routes with request validation and
 * explicit integration timeouts (MOCK, HTTP_PROXY, or async routes API Gateway stores in SQS
 * itself, answering 202), a deployment and stage with access logs, X-Ray, metrics,
 * stage-wide and per-method throttles and caching, usage-plan tiers with one API key per consumer,
 * a CloudFront distribution (optionally caching at the edge, custom domain, WAF) logging every
 * request to CloudWatch Logs in us-east-1, and alarms on an
 * SNS topic. Props are validated up front; every problem is reported at once.
 */
export class RestApiFrontDoor extends Construct {
  readonly restApi: ApiGatewayRestApi;
  readonly routes: ApiRoutes;
  /** The API's authorizers (Cognito, Lambda TOKEN and REQUEST), by name in `authorizers.ids`. */
  readonly authorizers: ApiAuthorizers;
  /** The preflights and CORS headers, when `cors` is set. */
  readonly cors?: ApiCors;
  /** The API as defined so far: the props, then each route addRoute added. */
  private definition: RestApiFrontDoorProps;
  readonly validation: RequestValidation;
  readonly stage: ApiStage;
  readonly tiers: UsagePlanTiers;
  readonly distribution: ApiDistribution;
  readonly alarms: ApiAlarms;
  /** REST API id. */
  readonly restApiId: string;
  /** REST API ARN. */
  readonly restApiArn: string;
  /** Stage name (a reference to the stage). */
  readonly stageName: string;
  /** Direct stage URL (`https://<id>.execute-api.<region>.amazonaws.com/<stage>`), bypassing CloudFront. */
  readonly invokeUrl: string;
  /** Public URL: `https://<custom domain>` or `https://<distribution>.cloudfront.net`. */
  readonly url: string;
  /** Usage plan ids by tier. */
  readonly usagePlanIds: Readonly<Record<string, string>>;
  /** API key ids by consumer. */
  readonly apiKeyIds: Readonly<Record<string, string>>;
  /** Async (SQS) routes by method key (`POST /orders`): their queues, DLQs and integration roles. */
  readonly asyncRoutes: Readonly<Record<string, AsyncRoute>>;
  /** SHA-256 of everything the deployment snapshots, as synthesized (the deployment's redeployment trigger; a token resolved at synth). */
  readonly redeploymentHash: string;

  constructor(scope: Construct, id: string, props: RestApiFrontDoorProps) {
    super(scope, id);
    // One parse: structure, values and the rules between fields, every problem at once; the rest reads what it returned.
    props = parseProps(`RestApiFrontDoor ${id}`, restApiFrontDoorPropsSchema, props, API_PARSE_OPTIONS);
    this.definition = props;
    const aws = awsContext(this);
    const tags = { ...props.tags, api: props.name };
    const stageName = props.stageName ?? API_DEFAULTS.stageName;
    this.restApi = new ApiGatewayRestApi(this, "rest-api", {
      name: props.name,
      description: props.description,
      endpointConfiguration: { types: ["REGIONAL"] },
      apiKeySource: "HEADER",
      tags,
    });
    this.restApiId = this.restApi.id;
    this.restApiArn = this.restApi.arn;
    this.validation = new RequestValidation(
      this,
      "validation",
      new Parsed({ restApiId: this.restApi.id, models: props.models }),
    );
    this.authorizers = new ApiAuthorizers(
      this,
      "authorizers",
      new Parsed({
        restApiId: this.restApi.id,
        executionArn: this.restApi.executionArn,
        authorizers: props.authorizers ?? {},
      }),
    );
    this.routes = this.createRoutes(props, stageName, tags);
    this.asyncRoutes = this.routes.asyncRoutes;
    this.cors = props.cors && this.createCors(props.cors);
    this.redeploymentHash = deploymentFingerprint([
      this.routes,
      this.validation,
      this.authorizers,
      ...(this.cors ? [this.cors] : []),
    ]);
    this.stage = this.createStage(props, stageName, tags);
    this.stageName = this.stage.stageName;
    this.invokeUrl = this.stage.invokeUrl;
    this.tiers = this.createTiers(props, tags);
    this.usagePlanIds = this.tiers.planIds;
    this.apiKeyIds = this.tiers.apiKeyIds;
    this.distribution = this.createDistribution(props, stageName, tags, aws);
    this.url = this.distribution.url;
    this.alarms = this.createAlarms(props, stageName, tags);
  }

  /** The resources and methods, with their integrations (MOCK, HTTP_PROXY, SQS, LAMBDA) and request validation. */
  /**
   * A queue consumer of one of this API's async routes, in one call: its queue, DLQ and key wired as the platform's own
   * stacks wire them, and the DLQ's redrive route back to the queue (pass it to RedriveFunction's `routes`). The route
   * must be an async route whose queue this API created (PropsError otherwise, naming the routes that are).
   */
  addConsumer(
    route: string,
    props: Omit<QueueConsumerProps, "queue">,
  ): { consumer: QueueConsumer; deadLetterRoute: DeadLetterRoute } {
    const queue = this.asyncRoutes[route]?.createdQueue;
    if (!queue) {
      const created = Object.keys(this.asyncRoutes).filter((k) => this.asyncRoutes[k].createdQueue);
      throw new PropsError(`RestApiFrontDoor ${this.node.id}.addConsumer`, [
        `route: expected an async route whose queue this API creates (${created.join(", ") || "none"}), got ${JSON.stringify(route)}`,
      ]);
    }
    const consumer = new QueueConsumer(this, `consumer-${props.functionName}`, {
      ...props,
      queue: queue.consumedQueue(),
    });
    return { consumer, deadLetterRoute: queue.deadLetterRoute(`consumer-${props.functionName}`) };
  }

  /**
   * A route added after construction, so a team can build its API in pieces: checked together with the rest of the API
   * exactly as the props are (every problem at once, the same rules between fields), then created as the props' routes
   * are: its resources, method, integration and authorization; its CORS preflight; its cache settings and its Lambda
   * function's alarms. The stage's deployment waits for it, and its fingerprint covers it (the stage is redeployed).
   * With `layer: "edge"` caching, a cached route, or one CloudFront would serve under a cached route's path pattern,
   * is refused: the distribution's behaviours are fixed when it is built, so declare those routes in the props.
   */
  addRoute(path: string, method: HttpMethod, options: ApiMethodDefinition): void {
    const construct = `RestApiFrontDoor ${this.node.id}.addRoute(${method} ${path})`;
    const before = this.definition;
    if (before.resources[path]?.[method])
      throw new PropsError(construct, [`${method} ${path}: the route exists already`]);
    const merged = {
      ...before,
      resources: { ...before.resources, [path]: { ...before.resources[path], [method]: options } },
    };
    const parsed = parseProps(construct, restApiFrontDoorPropsSchema, merged, API_PARSE_OPTIONS);
    const def = parsed.resources[path][method] as ApiMethodDefinition;
    const shadow = edgeShadowProblem(parsed, path, method, def);
    if (shadow) throw new PropsError(construct, [shadow]);
    const created = this.routes.addMethod(path, method, def);
    const corsCreated =
      this.cors?.addMethod(
        path,
        method,
        this.routes.resourceIds[path],
        created.filter((d): d is typeof d & Construct => d instanceof Construct),
      ) ?? [];
    if (isCachedMethod(parsed.caching, method, def))
      this.stage.addMethodSettings({
        method,
        resourcePath: path,
        cacheTtlSeconds: def.cache?.ttlSeconds ?? API_DEFAULTS.cacheTtlSeconds,
      });
    if (def.integration.type === "LAMBDA") this.alarms.watchFunction(def.integration.functionArn);
    const deployment = this.stage.deployment;
    deployment.dependsOn = [...(deployment.dependsOn ?? []), ...[...created, ...corsCreated].map(dependable)];
    this.definition = parsed;
  }

  /** An OPTIONS preflight on every resource with methods, and CORS headers on what API Gateway answers itself. */
  private createCors(cors: CorsOptions): ApiCors {
    const resources: Record<string, { id: string; methods: string[] }> = {};
    for (const key of Object.keys(this.routes.methods)) {
      const [method, path] = [key.slice(0, key.indexOf(" ")), key.slice(key.indexOf(" ") + 1)];
      resources[path] ??= { id: this.routes.resourceIds[path], methods: [] };
      resources[path].methods.push(method);
    }
    return new ApiCors(
      this,
      "cors",
      new Parsed({ restApiId: this.restApi.id, resources, cors, answeredBy: [this.routes] }),
    );
  }

  private createRoutes(props: RestApiFrontDoorProps, stageName: string, tags: Record<string, string>): ApiRoutes {
    return new ApiRoutes(
      this,
      "routes",
      new Parsed({
        restApiId: this.restApi.id,
        rootResourceId: this.restApi.rootResourceId,
        resources: props.resources,
        validation: this.validation,
        caching: props.caching,
        apiName: props.name,
        tags,
        executionArn: this.restApi.executionArn,
        stageName,
        authorizers: this.authorizers,
        defaultAuthorization: props.defaultAuthorization,
        sharedCacheKey: props.cors ? ["header.Origin"] : undefined,
      }),
    );
  }

  /** The usage plans (tiers) and their API keys, on the stage. */
  private createTiers(props: RestApiFrontDoorProps, tags: Record<string, string>): UsagePlanTiers {
    return new UsagePlanTiers(
      this,
      "tiers",
      new Parsed({
        apiName: props.name,
        restApiId: this.restApi.id,
        stageName: this.stage.stageName,
        tiers: props.tiers ?? {},
        apiKeys: props.apiKeys,
        tags,
      }),
    );
  }

  /** The deployment and stage: throttles, cache, access and execution logs, tracing. */
  private createStage(props: RestApiFrontDoorProps, stageName: string, tags: Record<string, string>): ApiStage {
    const caching = cachingEnabled(props.caching);
    const accountLogging =
      props.manageAccountLogging === true ? ApiGatewayAccountLogging.of(this, { tags }) : undefined;
    return new ApiStage(
      this,
      "stage",
      new Parsed({
        restApiId: this.restApi.id,
        apiName: props.name,
        stageName,
        redeploymentHash: this.redeploymentHash,
        deploymentDependsOn: [...this.routes.dependables, ...(this.cors?.dependables ?? [])],
        throttle: props.throttle,
        methodSettings: methodSettingsOf(props),
        cacheClusterSizeGb: caching ? (props.caching?.clusterSizeGb ?? API_DEFAULTS.cacheClusterSizeGb) : undefined,
        allowClientInvalidation: props.caching?.allowClientInvalidation,
        accessLogRetentionDays: props.accessLogs?.retentionDays,
        executionLogRetentionDays: props.accessLogs?.retentionDays,
        accessLogKmsKeyArn: props.accessLogs?.kmsKeyArn,
        executionLogLevel: props.executionLogLevel,
        accountLogging: accountLogging?.account,
        tags,
      }),
    );
  }

  /** CloudFront in front of the stage, caching at the edge what the props say to. */
  private createDistribution(
    props: RestApiFrontDoorProps,
    stageName: string,
    tags: Record<string, string>,
    aws: AwsContext,
  ): ApiDistribution {
    return new ApiDistribution(
      this,
      "edge",
      new Parsed({
        apiName: props.name,
        originDomainName: `${this.restApi.id}.execute-api.${aws.region}.${aws.dnsSuffix}`,
        originPath: `/${stageName}`,
        resourcePaths: Object.keys(props.resources),
        edgeCachedRoutes: edgeCachedRoutesOf(props),
        priceClass: props.distribution?.priceClass,
        customDomain: props.distribution?.customDomain,
        webAclArn: props.distribution?.webAclArn,
        accessLogs: props.distribution?.accessLogs,
        accessLogRetentionDays: props.accessLogs?.retentionDays,
        tags,
      }),
    );
  }

  private createAlarms(props: RestApiFrontDoorProps, stageName: string, tags: Record<string, string>): ApiAlarms {
    return new ApiAlarms(
      this,
      "alarms",
      new Parsed({
        apiName: props.name,
        stageName,
        topicArn: props.alarmTopicArn,
        caching: cachingEnabled(props.caching),
        thresholds: props.alarms,
        functionArns: [...new Set([...Object.values(this.routes.lambdaRoutes), ...this.authorizers.functionArns])],
        tags,
      }),
    );
  }
}

/** Stage settings of the methods with their own throttle or a cache. */
function methodSettingsOf(props: RestApiFrontDoorProps): MethodStageSettings[] {
  const methodSettings: MethodStageSettings[] = [];
  for (const { path, method, def } of allMethods(props.resources)) {
    const throttle = props.methodThrottles?.[`${method} ${path}`];
    const cached = isCachedMethod(props.caching, method, def);
    if (throttle || cached) {
      methodSettings.push({
        method,
        resourcePath: path,
        throttle,
        cacheTtlSeconds: cached ? (def.cache?.ttlSeconds ?? API_DEFAULTS.cacheTtlSeconds) : undefined,
      });
    }
  }
  return methodSettings;
}

/** Why CloudFront could not serve an added route as the props' routes are: it is edge-cached, or under one's pattern. */
function edgeShadowProblem(
  props: RestApiFrontDoorProps,
  path: string,
  method: string,
  def: ApiMethodDefinition,
): string | undefined {
  if (!cachingEnabled(props.caching) || props.caching?.layer !== "edge") return undefined;
  if (isCachedMethod(props.caching, method, def))
    return `cache: an edge-cached route (caching.layer "edge") needs its own CloudFront behaviour, fixed when the distribution is built: declare ${method} ${path} in the props`;
  const under = edgeCachedRoutesOf(props).find(
    (r) => r.resourcePath !== path && globMatches(pathPatternOf(r.resourcePath), path),
  );
  return under
    ? `CloudFront would serve ${path} under the edge-cached ${under.resourcePath} (pattern ${pathPatternOf(under.resourcePath)}), whose behaviours are fixed when the distribution is built: declare ${method} ${path} in the props`
    : undefined;
}

/** The cached methods CloudFront caches too (edge layer), with their cache keys. */
function edgeCachedRoutesOf(props: RestApiFrontDoorProps): EdgeCachedRoute[] {
  const edgeCachedRoutes: EdgeCachedRoute[] = [];
  if (!cachingEnabled(props.caching) || props.caching?.layer !== "edge") return edgeCachedRoutes;
  for (const { path, method, def } of allMethods(props.resources)) {
    const ttl = def.cache?.ttlSeconds ?? API_DEFAULTS.cacheTtlSeconds;
    // The root has no CloudFront path pattern of its own ("/" and "" are the same pattern), so only API Gateway caches it.
    if (!isCachedMethod(props.caching, method, def) || ttl === 0 || path === "/") continue;
    // The caller's identity its authorizer reads is in CloudFront's key too: no user is served another's response.
    // With CORS, the Origin too: a response allowed for one origin is not served to another.
    const keys = [
      ...identityCacheKey(props, def),
      ...(props.cors ? ["header.Origin"] : []),
      ...(def.cache?.keyParameters ?? []),
    ];
    edgeCachedRoutes.push({
      resourcePath: path,
      ttlSeconds: ttl,
      headers: keys.filter((k) => k.startsWith("header.")).map((k) => k.slice("header.".length)),
      queryStrings: keys.filter((k) => k.startsWith("querystring.")).map((k) => k.slice("querystring.".length)),
    });
  }
  return edgeCachedRoutes;
}
