import { ApiGatewayIntegration } from "@cdktn/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktn/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktn/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktn/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayResource } from "@cdktn/provider-aws/lib/api-gateway-resource";
import type { ITerraformDependable } from "cdktn";
import { Construct } from "constructs";
import {
  allMethods,
  type ApiCachingOptions,
  type ApiMethodDefinition,
  type ApiResources,
  isCachedMethod,
  methodRequestParameter,
  pathParameters,
} from "./api-definition";
import { AsyncRouteQueue } from "./async-route-queue";
import { asyncRouteStem } from "./front-door-rules";
import { RequestValidation } from "./request-validation";
import { LambdaProxyPermission } from "./lambda-proxy-permission";
import { LAMBDA_REQUEST_TEMPLATE, LAMBDA_RESPONSES } from "./lambda-templates";
import { terraformLiteral } from "../shared/terraform-literal";
import { ApiAuthorizers } from "./api-authorizers";
import { type AuthorizationSettings, identityCacheKey, methodAuthorization } from "./authorization";
import { PropsError } from "../shared/validation";
import { SqsSendIntegration } from "./sqs-send-integration";
import { boundedName } from "../shared/bounded-name";
import { z } from "zod";
import { apiCachingSchema } from "./front-door-schema";
import { Parsed, parseProps } from "../shared/parse-props";
import { API_PARSE_OPTIONS } from "../shared/reference-samples";
import { apiResourcesSchema } from "./route-schema";
import { API_DEFAULTS } from "./defaults";

/** Props of ApiRoutes. */
export interface ApiRoutesProps {
  /** Id of the REST API; no default. */
  readonly restApiId: string;
  /** Id of the REST API's root resource; no default. */
  readonly rootResourceId: string;
  /** Resources by path with their methods; no default. */
  readonly resources: ApiResources;
  /** Models and validators of the API; no default. */
  readonly validation: RequestValidation;
  /** Stage caching, for integration cache keys. @default disabled */
  readonly caching?: ApiCachingOptions;
  /** API name, the stem of async routes' queue and role names. @default `api` */
  readonly apiName?: string;
  /** Tags of the queues and roles of async routes. @default none */
  readonly tags?: Readonly<Record<string, string>>;
  /** The REST API's execution ARN, for the invoke permission of LAMBDA routes. @default none (required with a LAMBDA route) */
  readonly executionArn?: string;
  /** The stage serving the routes, for the invoke permission of LAMBDA routes. @default none (required with a LAMBDA route) */
  readonly stageName?: string;
  /** The API's authorizers, for methods that name one. @default none (only AWS_IAM and NONE can be named) */
  readonly authorizers?: ApiAuthorizers;
  /** What authorizes a method that names none: an authorizer's name or `AWS_IAM`. @default none (the API key alone) */
  readonly defaultAuthorization?: string;
  /** Request parameters every cached method's key holds besides its own (`header.Origin` with CORS). @default none */
  readonly sharedCacheKey?: readonly string[];
}

/** ApiRoutesProps as checked at construction (RestApiFrontDoor checks the rules between routes). */
const apiRoutesPropsSchema = z.strictObject({
  restApiId: z.string(),
  rootResourceId: z.string(),
  resources: apiResourcesSchema,
  // The RequestValidation construct of the API.
  validation: z.custom<RequestValidation>((v) => v instanceof RequestValidation, {
    error: (issue) =>
      issue.input === undefined
        ? "required field is missing (expected the API's RequestValidation construct)"
        : "expected the API's RequestValidation construct",
  }),
  caching: apiCachingSchema.optional(),
  apiName: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  executionArn: z.string().optional(),
  stageName: z.string().optional(),
  authorizers: z
    .custom<ApiAuthorizers>((v) => v instanceof ApiAuthorizers, {
      error: "expected the API's ApiAuthorizers construct",
    })
    .optional(),
  defaultAuthorization: z.string().min(1).optional(),
  sharedCacheKey: z.array(z.string()).optional(),
});

/** One async (SQS) route: where its requests are stored. */
export interface AsyncRoute {
  /** Method key (`POST /orders`). */
  readonly routeKey: string;
  /** ARN and name of the queue the route writes to. */
  readonly queueArn: string;
  readonly queueName: string;
  /** Customer KMS key of the queue, when not SQS-managed SSE. @default none (SQS-managed SSE) */
  readonly kmsKeyArn?: string;
  /** ARN of the role API Gateway sends with. */
  readonly integrationRoleArn: string;
  /** The queue and DLQ the module created. @default none (the route writes to an existing queue) */
  readonly createdQueue?: AsyncRouteQueue;
}

/** Construct-id form of a resource path: `/items/{id}` -> `items-{id}`, `/` -> `root`. */
export function resourceSlug(path: string): string {
  return path === "/" ? "root" : path.slice(1).replace(/\//g, "-");
}

/**
 * The resource tree, methods and integrations of a REST API. Intermediate resources are created
 * for every path prefix; each method requires an API key unless public, declares its path and
 * request parameters, is validated by the right request validator, and has an integration with an
 * explicit timeout (MOCK with a fixed JSON response, or HTTP_PROXY to an HTTPS backend).
 */
export class ApiRoutes extends Construct {
  /** Resource ids by path (`/` is the root resource). */
  readonly resourceIds: Readonly<Record<string, string>>;
  /** Methods by key (`GET /items`). */
  readonly methods: Readonly<Record<string, ApiGatewayMethod>>;
  /** Integrations by method key. */
  readonly integrations: Readonly<Record<string, ApiGatewayIntegration>>;
  /** Everything a deployment must wait for. */
  readonly dependables: readonly ITerraformDependable[];
  /** Async (SQS) routes by method key. */
  readonly asyncRoutes: Readonly<Record<string, AsyncRoute>>;
  /** Lambda proxy routes by method key (`GET /orders/{id}`): the function ARN each invokes. */
  readonly lambdaRoutes: Readonly<Record<string, string>>;

  private readonly build: RoutesBuild;

  constructor(scope: Construct, id: string, props: ApiRoutesProps | Parsed<ApiRoutesProps>) {
    super(scope, id);
    props = parseProps(`ApiRoutes ${id}`, apiRoutesPropsSchema, props, API_PARSE_OPTIONS);
    const b: RoutesBuild = {
      props,
      resourceIds: { "/": props.rootResourceId },
      methods: {},
      integrations: {},
      dependables: [],
      asyncRoutes: {},
      lambdaRoutes: {},
    };
    this.build = b;
    for (const { path, method, def } of allMethods(props.resources)) this.addMethod(path, method, def);
    this.resourceIds = b.resourceIds;
    this.methods = b.methods;
    this.integrations = b.integrations;
    this.dependables = b.dependables;
    this.asyncRoutes = b.asyncRoutes;
    this.lambdaRoutes = b.lambdaRoutes;
  }

  /**
   * One more method (and the resources its path needs), as the constructor creates each: its integration, validator,
   * authorization and cache key. Returns what a deployment must wait for. The definition is the caller's to validate
   * against the rest of the API (RestApiFrontDoor.addRoute does); a method key that exists is refused.
   */
  addMethod(path: string, method: string, def: ApiMethodDefinition): ITerraformDependable[] {
    const b = this.build;
    const key = `${method} ${path}`;
    if (b.methods[key]) throw new PropsError(`ApiRoutes ${this.node.id}`, [`${key}: the route exists already`]);
    const before = b.dependables.length;
    const apiMethod = this.createMethod(b, path, method, def);
    b.methods[key] = apiMethod;
    const apiIntegration = this.createIntegration(b, { key, path, method, def }, apiMethod);
    b.integrations[key] = apiIntegration;
    b.dependables.push(apiMethod, apiIntegration);
    return b.dependables.slice(before);
  }

  /** The id of the resource at `path`, creating it (and its parents) on first use. */
  private ensureResource(b: RoutesBuild, path: string): string {
    if (b.resourceIds[path]) return b.resourceIds[path];
    const cut = path.lastIndexOf("/");
    const parentId = this.ensureResource(b, cut === 0 ? "/" : path.slice(0, cut));
    const resource = new ApiGatewayResource(this, `resource-${resourceSlug(path)}`, {
      restApiId: b.props.restApiId,
      parentId,
      pathPart: path.slice(cut + 1),
    });
    b.dependables.push(resource);
    b.resourceIds[path] = resource.id;
    return resource.id;
  }

  /** One method: its API key requirement, request parameters, validator and model. */
  private createMethod(b: RoutesBuild, path: string, method: string, def: ApiMethodDefinition): ApiGatewayMethod {
    const { props } = b;
    const cached = isCachedMethod(props.caching, method, def);
    const requestParameters = methodRequestParameters(path, def, cached, authorizationOf(props), props.sharedCacheKey);
    const requiredOptional = Object.entries(def.parameters ?? {}).some(([, required]) => required);
    const validator = props.validation.validatorFor({
      body: def.requestModel !== undefined,
      parameters: requiredOptional,
    });
    const model = def.requestModel ? props.validation.model(def.requestModel) : undefined;
    return new ApiGatewayMethod(this, `method-${resourceSlug(path)}-${method}`, {
      restApiId: props.restApiId,
      resourceId: this.ensureResource(b, path),
      httpMethod: method,
      ...authorizationFields(props, `${method} ${path}`, def),
      apiKeyRequired: def.public !== true,
      operationName: operationName(method, path),
      requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      requestValidatorId: validator?.id,
      requestModels: model ? { "application/json": model.name } : undefined,
    });
  }

  /** The method's integration, by type (MOCK, SQS, LAMBDA, HTTP_PROXY), with what each needs beside it. */
  private createIntegration(b: RoutesBuild, route: RouteOf, apiMethod: ApiGatewayMethod): ApiGatewayIntegration {
    const { props } = b;
    const { key, path, method, def } = route;
    const slug = `${resourceSlug(path)}-${method}`;
    const cached = isCachedMethod(props.caching, method, def);
    const cacheKeyParameters = cached
      ? cacheKey(path, def, [...identityCacheKey(authorizationOf(props), def), ...(props.sharedCacheKey ?? [])]).map(
          methodRequestParameter,
        )
      : undefined;
    const integration = def.integration;
    const common = {
      restApiId: props.restApiId,
      resourceId: apiMethod.resourceId,
      httpMethod: apiMethod.httpMethod,
      timeoutMilliseconds: integration.timeoutMs,
      cacheKeyParameters: cacheKeyParameters && cacheKeyParameters.length > 0 ? cacheKeyParameters : undefined,
    };
    if (integration.type === "MOCK") return this.mockIntegration(b, slug, common, integration);
    if (integration.type === "SQS") return this.sqsIntegration(b, route, slug, integration, apiMethod);
    if (integration.type === "LAMBDA") {
      b.lambdaRoutes[key] = integration.functionArn;
      const apiIntegration = this.lambdaIntegration(slug, common, integration, { method, path }, props);
      if (integration.proxy === false) b.dependables.push(...this.lambdaResponses(slug, common, apiIntegration));
      return apiIntegration;
    }
    const uriParams = [...integration.uri.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((m) => m[1]);
    const mapping: Record<string, string> = {};
    for (const p of uriParams) mapping[`integration.request.path.${p}`] = `method.request.path.${p}`;
    return new ApiGatewayIntegration(this, `integration-${slug}`, {
      ...common,
      type: "HTTP_PROXY",
      integrationHttpMethod: integration.httpMethod ?? method,
      uri: integration.uri,
      requestParameters: uriParams.length > 0 ? mapping : undefined,
    });
  }

  /** A MOCK integration answering its status code and body, with its method and integration responses. */
  private mockIntegration(
    b: RoutesBuild,
    slug: string,
    common: IntegrationCommon,
    integration: Extract<ApiMethodDefinition["integration"], { type: "MOCK" }>,
  ): ApiGatewayIntegration {
    const statusCode = String(integration.statusCode ?? API_DEFAULTS.mockStatusCode);
    const apiIntegration = new ApiGatewayIntegration(this, `integration-${slug}`, {
      ...common,
      type: "MOCK",
      passthroughBehavior: "WHEN_NO_TEMPLATES",
      requestTemplates: { "application/json": JSON.stringify({ statusCode: Number(statusCode) }) },
    });
    const methodResponse = new ApiGatewayMethodResponse(this, `method-response-${slug}`, {
      restApiId: common.restApiId,
      resourceId: common.resourceId,
      httpMethod: common.httpMethod,
      statusCode,
    });
    const integrationResponse = new ApiGatewayIntegrationResponse(this, `integration-response-${slug}`, {
      restApiId: common.restApiId,
      resourceId: common.resourceId,
      httpMethod: common.httpMethod,
      statusCode: methodResponse.statusCode,
      responseTemplates: { "application/json": JSON.stringify(integration.responseBody ?? {}) },
      dependsOn: [apiIntegration],
    });
    b.dependables.push(methodResponse, integrationResponse);
    return apiIntegration;
  }

  /** An async route: its queue (created or named) and the integration that stores the request in it. */
  private sqsIntegration(
    b: RoutesBuild,
    { key, path, method }: RouteOf,
    slug: string,
    integration: SqsSendIntegrationDef,
    apiMethod: ApiGatewayMethod,
  ): ApiGatewayIntegration {
    const route = this.asyncRoute(path, method, slug, integration, b.props);
    const send = new SqsSendIntegration(this, `integration-${slug}`, {
      restApiId: b.props.restApiId,
      resourceId: apiMethod.resourceId,
      httpMethod: apiMethod.httpMethod,
      routeKey: key,
      roleName: route.roleName,
      queue: route.target,
      timeoutMs: integration.timeoutMs,
      tags: b.props.tags,
    });
    b.asyncRoutes[key] = {
      routeKey: key,
      ...route.target,
      integrationRoleArn: send.roleArn,
      createdQueue: route.created,
    };
    b.dependables.push(...send.dependables);
    return send.integration;
  }

  /** A Lambda proxy integration (AWS_PROXY, in the function's region) and the permission for exactly its method. */
  private lambdaIntegration(
    slug: string,
    common: { restApiId: string; resourceId: string; httpMethod: string; timeoutMilliseconds: number },
    integration: Extract<ApiMethodDefinition["integration"], { type: "LAMBDA" }>,
    route: { method: string; path: string },
    props: ApiRoutesProps,
  ): ApiGatewayIntegration {
    if (props.executionArn === undefined || props.stageName === undefined)
      throw new Error(
        `ApiRoutes: ${route.method} ${route.path} is a LAMBDA route: executionArn and stageName are required`,
      );
    const [, partition, , region] = integration.functionArn.split(":");
    new LambdaProxyPermission(this, `invoke-${slug}`, {
      functionArn: integration.functionArn,
      executionArn: props.executionArn,
      stageName: props.stageName,
      httpMethod: route.method,
      resourcePath: route.path,
    });
    const proxy = integration.proxy !== false;
    return new ApiGatewayIntegration(this, `integration-${slug}`, {
      ...common,
      type: proxy ? "AWS_PROXY" : "AWS",
      integrationHttpMethod: "POST",
      uri: `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${integration.functionArn}/invocations`,
      // Non-proxy: the event is the template's, and a body of another content type is refused (415), not passed on.
      ...(proxy
        ? {}
        : {
            passthroughBehavior: "NEVER",
            requestTemplates: {
              "application/json": terraformLiteral(integration.requestTemplate ?? LAMBDA_REQUEST_TEMPLATE),
            },
          }),
    });
  }

  /** A non-proxy Lambda route's answers: 200 the function's result, 400 a `[BadRequest]` error, 500 any other. */
  private lambdaResponses(slug: string, common: IntegrationCommon, integration: ApiGatewayIntegration) {
    return LAMBDA_RESPONSES.flatMap((r) => {
      const methodResponse = new ApiGatewayMethodResponse(this, `method-response-${slug}-${r.statusCode}`, {
        restApiId: common.restApiId,
        resourceId: common.resourceId,
        httpMethod: common.httpMethod,
        statusCode: r.statusCode,
      });
      const integrationResponse = new ApiGatewayIntegrationResponse(
        this,
        `integration-response-${slug}-${r.statusCode}`,
        {
          restApiId: common.restApiId,
          resourceId: common.resourceId,
          httpMethod: common.httpMethod,
          statusCode: methodResponse.statusCode,
          selectionPattern: r.selectionPattern,
          responseTemplates: { "application/json": r.template },
          dependsOn: [integration],
        },
      );
      return [methodResponse, integrationResponse];
    });
  }

  /** The queue of an async route: created (with its DLQ) or an existing one; and the name of its integration role. */
  private asyncRoute(
    path: string,
    method: string,
    slug: string,
    integration: SqsSendIntegrationDef,
    props: ApiRoutesProps,
  ) {
    const stem = asyncRouteStem(props.apiName ?? API_DEFAULTS.apiName, path, method);
    // IAM role names are unique per account and at most 64 characters; the stem loses the path's braces, case and
    // slashes (`/items/{id}` and `/items/id` read alike), so the exact route is hashed into the name.
    const roleName = boundedName(stem, "-sqs-send", 64, `${props.apiName ?? API_DEFAULTS.apiName} ${method} ${path}`);
    const existing = integration.existingQueue;
    if (existing) {
      // The queue's own region and account, from its ARN: a queue in another region is sent to there.
      const [, , , region, accountId, queueName] = existing.arn.split(":");
      return {
        roleName,
        target: { queueArn: existing.arn, queueName, accountId, region, kmsKeyArn: existing.kmsKeyArn },
        created: undefined,
      };
    }
    const q = integration.queue ?? {};
    const created = new AsyncRouteQueue(
      this,
      `queue-${slug}`,
      new Parsed({ ...q, name: q.name ?? stem, tags: props.tags }),
    );
    return {
      roleName,
      target: { queueArn: created.queueArn, queueName: created.queueName, kmsKeyArn: created.kmsKeyArn },
      created,
    };
  }
}

type SqsSendIntegrationDef = Extract<ApiMethodDefinition["integration"], { type: "SQS" }>;

/** What the route loop builds up: the parsed props and everything created so far. */
interface RoutesBuild {
  readonly props: ApiRoutesProps;
  readonly resourceIds: Record<string, string>;
  readonly methods: Record<string, ApiGatewayMethod>;
  readonly integrations: Record<string, ApiGatewayIntegration>;
  readonly dependables: ITerraformDependable[];
  readonly asyncRoutes: Record<string, AsyncRoute>;
  readonly lambdaRoutes: Record<string, string>;
}

/** One method of the definition, by its key (`POST /orders`). */
interface RouteOf {
  readonly key: string;
  readonly path: string;
  readonly method: string;
  readonly def: ApiMethodDefinition;
}

/** What every integration of a method shares. */
interface IntegrationCommon {
  readonly restApiId: string;
  readonly resourceId: string;
  readonly httpMethod: string;
  readonly timeoutMilliseconds: number;
  readonly cacheKeyParameters?: string[];
}

/** Method request parameters: path parameters (required), declared ones, and cache-key ones (optional unless declared). */
function methodRequestParameters(
  path: string,
  def: ApiMethodDefinition,
  cached: boolean,
  auth: AuthorizationSettings,
  shared: readonly string[] = [],
): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of pathParameters(path)) out[`method.request.path.${p}`] = true;
  for (const [name, required] of Object.entries(def.parameters ?? {})) out[methodRequestParameter(name)] = required;
  if (cached)
    for (const p of cacheKey(path, def, [...identityCacheKey(auth, def), ...shared]))
      out[methodRequestParameter(p)] ??= false;
  return out;
}

/** The authorizers and default the routes resolve a method's authorization against. */
function authorizationOf(props: ApiRoutesProps): AuthorizationSettings {
  return { authorizers: props.authorizers?.definitions, defaultAuthorization: props.defaultAuthorization };
}

/** A method's authorization fields: its type, its authorizer's id and its scopes. */
function authorizationFields(props: ApiRoutesProps, key: string, def: ApiMethodDefinition) {
  const auth = methodAuthorization(authorizationOf(props), def);
  const authorizerId = auth.authorizer ? props.authorizers?.ids[auth.authorizer] : undefined;
  if (auth.authorizer && !authorizerId) {
    const known = Object.keys(props.authorizers?.ids ?? {});
    throw new PropsError(`ApiRoutes ${key}`, [
      `authorization: unknown authorizer "${auth.authorizer}": expected AWS_IAM, NONE${known.map((k) => `, "${k}"`).join("")}`,
    ]);
  }
  return {
    authorization: auth.authorization,
    authorizerId,
    authorizationScopes: auth.scopes ? [...auth.scopes] : undefined,
  };
}

/**
 * The API Gateway cache key of a cached method: its path parameters, the API key of methods that
 * need one and the caller's identity its authorizer reads (`identity`, so no consumer or user is served another's
 * cached response), and its key parameters.
 */
export function cacheKey(path: string, def: ApiMethodDefinition, identity: readonly string[] = []): string[] {
  const key = pathParameters(path).map((p) => `path.${p}`);
  if (def.public !== true) key.push(API_KEY_HEADER_PARAMETER);
  for (const p of identity) if (!key.includes(p)) key.push(p);
  for (const p of def.cache?.keyParameters ?? []) if (!key.includes(p)) key.push(p);
  return key;
}

/** The API key header as a request parameter. */
export const API_KEY_HEADER_PARAMETER = "header.x-api-key";

/** `GET /items/{id}` -> `getItemsById`: a stable operation name for SDKs and the console. */
function operationName(method: string, path: string): string {
  const words = path
    .split("/")
    .filter(Boolean)
    .map((seg) => (seg.startsWith("{") ? `By-${seg.replace(/[{}+]/g, "")}` : seg))
    .flatMap((seg) => seg.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1));
  return method.toLowerCase() + (words.join("") || "Root");
}
