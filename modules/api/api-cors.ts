import { ApiGatewayGatewayResponse } from "@cdktn/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayIntegration } from "@cdktn/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktn/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktn/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktn/provider-aws/lib/api-gateway-method-response";
import type { ITerraformDependable } from "cdktn";
import { Construct } from "constructs";
import type { CorsOptions } from "./api-definition";
import { resourceSlug } from "./api-routes";
import { API_DEFAULTS } from "./defaults";
import { corsSchema } from "./cors-schema";
import { type Parsed, parseProps } from "../shared/parse-props";
import { API_PARSE_OPTIONS } from "../shared/reference-samples";
import { z } from "zod";
import { constantOrigin, originOverride, preflightHeaders, responseHeaders } from "./cors";

/** Props of ApiCors. */
export interface ApiCorsProps {
  /** Id of the REST API; required. */
  readonly restApiId: string;
  /** Resource ids by path, and the methods of each path (`GET /orders` keys): the resources that get a preflight; required. */
  readonly resources: Readonly<Record<string, { readonly id: string; readonly methods: readonly string[] }>>;
  /** The CORS options; required. */
  readonly cors: CorsOptions;
  /** Scopes whose method and integration responses (MOCK and SQS routes: the module answers them) get the CORS headers. @default none */
  readonly answeredBy?: readonly Construct[];
}

const apiCorsPropsSchema = z.strictObject({
  restApiId: z.string(),
  resources: z.record(z.string(), z.strictObject({ id: z.string(), methods: z.array(z.string()).min(1) })),
  cors: corsSchema,
  answeredBy: z.array(z.custom<Construct>((v) => v instanceof Construct, { error: "expected a construct" })).optional(),
});

const STATUS = "204";
const header = (name: string) => `method.response.header.${name}`;

/**
 * CORS on a REST API: an OPTIONS preflight on every resource with methods (a MOCK answering 204, no API key and no
 * authorizer: a browser's preflight carries neither), Access-Control-Allow-Origin on the responses API Gateway itself
 * answers (the MOCK and SQS routes' and its DEFAULT_4XX and DEFAULT_5XX gateway responses, so a browser sees a real 401,
 * 403, 429 or 5XX instead of a CORS failure). Proxy backends (HTTP_PROXY, LAMBDA) answer CORS headers themselves:
 * API Gateway passes their responses through untouched.
 */
export class ApiCors extends Construct {
  /** What a deployment must wait for. */
  readonly dependables: readonly ITerraformDependable[];
  private readonly props: ApiCorsProps;
  /** Each preflight's methods and the integration response that names them, by resource path. */
  private readonly preflights: Record<string, { methods: string[]; response: ApiGatewayIntegrationResponse }> = {};

  constructor(scope: Construct, id: string, props: ApiCorsProps | Parsed<ApiCorsProps>) {
    super(scope, id);
    props = parseProps(`ApiCors ${id}`, apiCorsPropsSchema, props, API_PARSE_OPTIONS);
    this.props = props;
    const dependables: ITerraformDependable[] = [];
    for (const [path, r] of Object.entries(props.resources)) dependables.push(...this.preflight(path, r, props));
    for (const type of ["DEFAULT_4XX", "DEFAULT_5XX"]) this.gatewayResponse(type, props);
    addOriginToResponses(props.answeredBy ?? [], props.cors);
    this.dependables = dependables;
  }

  /**
   * CORS for a method added after construction: its resource's preflight names it (a new resource gets one), and its
   * responses get the origin. Returns what a deployment must wait for.
   */
  addMethod(
    path: string,
    method: string,
    resourceId: string,
    answeredBy: readonly Construct[],
  ): ITerraformDependable[] {
    addOriginToResponses(answeredBy, this.props.cors);
    const existing = this.preflights[path];
    if (!existing) return this.preflight(path, { id: resourceId, methods: [method] }, this.props);
    existing.methods.push(method);
    existing.response.responseParameters = {
      ...(existing.response.responseParametersInput ?? {}),
      [header("Access-Control-Allow-Methods")]: preflightHeaders(this.props.cors, existing.methods)[
        "Access-Control-Allow-Methods"
      ],
    };
    return [];
  }

  /** OPTIONS on one resource: method, MOCK integration and their 204 responses with the CORS headers. */
  private preflight(path: string, r: { id: string; methods: readonly string[] }, props: ApiCorsProps) {
    const slug = resourceSlug(path);
    const common = { restApiId: props.restApiId, resourceId: r.id, httpMethod: "OPTIONS" };
    const method = new ApiGatewayMethod(this, `method-${slug}`, {
      ...common,
      authorization: "NONE",
      apiKeyRequired: false,
      operationName: `preflight ${path}`,
    });
    const integration = new ApiGatewayIntegration(this, `integration-${slug}`, {
      ...common,
      type: "MOCK",
      timeoutMilliseconds: API_DEFAULTS.corsPreflightTimeoutMs,
      passthroughBehavior: "WHEN_NO_TEMPLATES",
      requestTemplates: { "application/json": JSON.stringify({ statusCode: Number(STATUS) }) },
      dependsOn: [method],
    });
    const values = withOrigin(preflightHeaders(props.cors, r.methods), props.cors);
    const response = new ApiGatewayMethodResponse(this, `method-response-${slug}`, {
      ...common,
      statusCode: STATUS,
      responseParameters: Object.fromEntries(Object.keys(values).map((h) => [header(h), true])),
      dependsOn: [method],
    });
    const integrationResponse = new ApiGatewayIntegrationResponse(this, `integration-response-${slug}`, {
      ...common,
      statusCode: response.statusCode,
      responseParameters: Object.fromEntries(Object.entries(values).map(([h, v]) => [header(h), v])),
      responseTemplates: { "application/json": originTemplate(props.cors) },
      dependsOn: [integration],
    });
    this.preflights[path] = { methods: [...r.methods], response: integrationResponse };
    return [method, integration, response, integrationResponse];
  }

  /** API Gateway's own error responses, with the headers a browser needs to read them. */
  private gatewayResponse(type: string, props: ApiCorsProps): void {
    const origin = constantOrigin(props.cors);
    const values: Record<string, string> = {
      // Several origins: the request's own (these are API Gateway's generic error bodies, never an integration's data).
      "Access-Control-Allow-Origin": origin ? `'${origin}'` : "method.request.header.Origin",
      ...responseHeaders(props.cors),
      ...(origin === undefined || origin !== "*" ? { Vary: "'Origin'" } : {}),
    };
    new ApiGatewayGatewayResponse(this, `gateway-response-${type.toLowerCase()}`, {
      restApiId: props.restApiId,
      responseType: type,
      responseParameters: Object.fromEntries(
        Object.entries(values).map(([h, v]) => [`gatewayresponse.header.${h}`, v]),
      ),
    });
  }
}

/** The headers with Access-Control-Allow-Origin as a constant, when one origin (or `*`) is allowed. */
function withOrigin(headers: Record<string, string>, cors: CorsOptions): Record<string, string> {
  const origin = constantOrigin(cors);
  return origin ? { "Access-Control-Allow-Origin": `'${origin}'`, ...headers } : { ...headers, Vary: "'Origin'" };
}

/** The integration response template: empty for one origin, the origin check for several. */
function originTemplate(cors: CorsOptions): string {
  return constantOrigin(cors) ? "" : originOverride(cors.allowOrigins);
}

/** Adds the CORS headers to every method and integration response in or under `scopes` (what API Gateway answers). */
function addOriginToResponses(scopes: readonly Construct[], cors: CorsOptions): void {
  const values = withOrigin(responseHeaders(cors), cors);
  const nodes = new Set(scopes.flatMap((s) => s.node.findAll()));
  for (const node of nodes) {
    if (node instanceof ApiGatewayMethodResponse)
      node.responseParameters = {
        ...(node.responseParametersInput ?? {}),
        ...Object.fromEntries(Object.keys(values).map((h) => [header(h), false])),
      };
    if (node instanceof ApiGatewayIntegrationResponse) {
      node.responseParameters = {
        ...(node.responseParametersInput ?? {}),
        ...Object.fromEntries(Object.entries(values).map(([h, v]) => [header(h), v])),
      };
      if (!constantOrigin(cors)) {
        const templates = node.responseTemplatesInput ?? { "application/json": "" };
        node.responseTemplates = Object.fromEntries(
          Object.entries(templates).map(([type, t]) => [type, originOverride(cors.allowOrigins) + t]),
        );
      }
    }
  }
}
