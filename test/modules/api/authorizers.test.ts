/**
 * Authorizers on the front door: Cognito user pools (scopes per method), Lambda TOKEN and REQUEST (identity sources,
 * result TTL, an invoke permission scoped to exactly that authorizer) and AWS_IAM, per method or as the API's default,
 * together with API keys; caches keyed by the caller's identity; every invalid combination refused, all at once.
 */
import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, demoProps, one, ref } from "./fixtures";
import { frontDoorProblems } from "./fixtures";

const POOL = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123xyZ";
const TOKEN_FN = "arn:aws:lambda:eu-west-1:123456789012:function:verify-token";
const REQUEST_FN = "arn:aws:lambda:eu-west-1:123456789012:function:verify-request:live";
const mock = (timeoutMs = 1000) => ({ type: "MOCK" as const, timeoutMs });

function authorized(overrides: Partial<RestApiFrontDoorProps> = {}): RestApiFrontDoorProps {
  return demoProps({
    authorizers: {
      users: { type: "COGNITO_USER_POOLS", userPoolArns: [POOL] },
      partners: {
        type: "TOKEN",
        functionArn: TOKEN_FN,
        identityValidationExpression: "^Bearer [-0-9a-zA-Z._]+$",
        resultTtlSeconds: 60,
      },
      devices: {
        type: "REQUEST",
        functionArn: REQUEST_FN,
        identitySources: ["method.request.header.X-Device", "context.sourceIp"],
        resultTtlSeconds: 0,
      },
    },
    defaultAuthorization: "users",
    resources: {
      "/health": { GET: { public: true, authorization: "NONE", integration: mock() } },
      "/orders": {
        GET: { integration: mock(), cache: { ttlSeconds: 60 }, authorizationScopes: ["orders/read"] },
        POST: { integration: mock(), authorizationScopes: ["orders/write"] },
      },
      "/partner-orders": { GET: { authorization: "partners", integration: mock(), cache: {} } },
      "/devices": { POST: { authorization: "devices", integration: mock() } },
      "/internal": { GET: { authorization: "AWS_IAM", integration: mock() } },
    },
    methodThrottles: undefined,
    tiers: { gold: { throttle: { rateLimit: 50, burstLimit: 25 } } },
    apiKeys: [{ name: "web-shop", tier: "gold" }],
    ...overrides,
  });
}

const synth = (props: RestApiFrontDoorProps): TerraformJson =>
  JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "front-door", props)));

const problemsOf = frontDoorProblems;

const json = synth(authorized());
const authorizer = (name: string) => one(json, "aws_api_gateway_authorizer", (a) => a.name === name);
const authorizerId = (name: string) => ref(json, "aws_api_gateway_authorizer", (a) => a.name === name, "id");
const method = (httpMethod: string, pathPart: string) => {
  const resource = ref(json, "aws_api_gateway_resource", (r) => r.path_part === pathPart, "id");
  return one(json, "aws_api_gateway_method", (m) => m.http_method === httpMethod && m.resource_id === resource);
};

/** Methods that break the rules between fields: an unknown authorizer, scopes without Cognito, caches it cannot key. */
const crossFieldMistakes = () => ({
  "/a": { GET: { authorization: "partner", integration: mock() } },
  "/b": { GET: { authorization: "partners", authorizationScopes: ["b/read"], integration: mock() } },
  "/c": { GET: { authorization: "AWS_IAM", integration: mock(), cache: {} } },
  "/d": { GET: { authorization: "devices", integration: mock(), cache: {} } },
});

describe("RestApiFrontDoor authorizers", () => {
  it("creates a Cognito authorizer on its user pools, reading the Authorization header, verdicts cached 300 s", () => {
    expect(authorizer("users")).toMatchObject({
      type: "COGNITO_USER_POOLS",
      provider_arns: [POOL],
      identity_source: "method.request.header.Authorization",
      authorizer_result_ttl_in_seconds: 300,
    });
    expect(authorizer("users").authorizer_uri).toBeUndefined();
  });

  it("creates Lambda TOKEN and REQUEST authorizers invoking the function in its own region (alias kept)", () => {
    expect(authorizer("partners")).toMatchObject({
      type: "TOKEN",
      authorizer_uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${TOKEN_FN}/invocations`,
      identity_source: "method.request.header.Authorization",
      identity_validation_expression: "^Bearer [-0-9a-zA-Z._]+$",
      authorizer_result_ttl_in_seconds: 60,
    });
    expect(authorizer("devices")).toMatchObject({
      type: "REQUEST",
      authorizer_uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${REQUEST_FN}/invocations`,
      identity_source: "method.request.header.X-Device,context.sourceIp",
      authorizer_result_ttl_in_seconds: 0,
    });
    expect(authorizer("partners").authorizer_credentials).toBeUndefined();
  });

  it("lets API Gateway invoke each Lambda authorizer only as that authorizer of this API", () => {
    const executionArn = ref(json, "aws_api_gateway_rest_api", () => true, "execution_arn");
    for (const [name, fn] of [
      ["partners", TOKEN_FN],
      ["devices", REQUEST_FN],
    ]) {
      const permission = one(json, "aws_lambda_permission", (p) => p.function_name === fn);
      expect(permission).toMatchObject({
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        source_arn: `${executionArn}/authorizers/${authorizerId(name)}`,
      });
    }
    expect(all(json, "aws_lambda_permission")).toHaveLength(2);
  });

  it("authorizes each method as it says, else by the API's default, and keeps the API key (tiers stay keyed by it)", () => {
    expect(method("GET", "orders")).toMatchObject({
      authorization: "COGNITO_USER_POOLS",
      authorizer_id: authorizerId("users"),
      authorization_scopes: ["orders/read"],
      api_key_required: true,
    });
    expect(method("GET", "orders").authorization_scopes).toEqual(["orders/read"]);
    expect(method("GET", "orders").authorizer_id).toBe(authorizerId("users"));
    expect(method("GET", "health")).toMatchObject({ authorization: "NONE", api_key_required: false });
    expect(method("GET", "health").authorizer_id).toBeUndefined();
    expect(method("POST", "devices")).toMatchObject({
      authorization: "CUSTOM",
      authorizer_id: authorizerId("devices"),
    });
    expect(method("GET", "internal")).toMatchObject({ authorization: "AWS_IAM", api_key_required: true });
    expect(method("GET", "internal").authorizer_id).toBeUndefined();
  });

  it("keys a cached method by the caller's token too (API Gateway and CloudFront): no user gets another's response", () => {
    // GET /orders (Cognito) and GET /partner-orders (TOKEN) are the cached methods.
    const cached = all(json, "aws_api_gateway_integration").filter((i) => i.cache_key_parameters);
    expect(cached.map((i) => i.cache_key_parameters)).toEqual([
      ["method.request.header.x-api-key", "method.request.header.Authorization"],
      ["method.request.header.x-api-key", "method.request.header.Authorization"],
    ]);
    expect(method("GET", "orders").request_parameters).toMatchObject({ "method.request.header.Authorization": false });
    const policy = one(json, "aws_cloudfront_cache_policy", (p) => p.comment.startsWith("GET /orders:"));
    expect(policy.parameters_in_cache_key_and_forwarded_to_origin.headers_config.headers.items).toEqual(
      expect.arrayContaining(["x-api-key", "authorization"]),
    );
  });

  it("alarms on the Lambda authorizers' errors and throttles with the API's", () => {
    const functions = all(json, "aws_cloudwatch_metric_alarm")
      .filter((a) => a.namespace === "AWS/Lambda")
      .map((a) => `${a.metric_name} ${a.dimensions.FunctionName}`);
    expect(functions).toEqual(
      expect.arrayContaining(["Errors verify-token", "Throttles verify-token", "Errors verify-request"]),
    );
  });

  it("redeploys the stage when an authorizer changes", () => {
    const trigger = (j: TerraformJson) => one(j, "aws_api_gateway_deployment").triggers;
    const changed = authorized();
    (changed.authorizers as any).partners.resultTtlSeconds = 120;
    expect(trigger(synth(changed))).not.toEqual(trigger(json));
  });

  it("refuses every invalid combination at once, each at its path", () => {
    const problems = problemsOf(
      authorized({
        authorizers: {
          users: { type: "COGNITO_USER_POOLS", userPoolArns: ["arn:aws:cognito-idp:eu-west-1:123456789012:pool/x"] },
          partners: { type: "TOKEN", functionArn: TOKEN_FN, identitySource: "method.request.querystring.token" },
          devices: { type: "REQUEST", functionArn: REQUEST_FN, identitySources: ["context.sourceIp"] },
          legacy: { type: "REQUEST", functionArn: REQUEST_FN },
          oauth: { type: "JWT" } as never,
        },
        defaultAuthorization: "user",
        resources: crossFieldMistakes(),
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^authorizers\.users\.userPoolArns\[0\]: expected a Cognito user pool ARN/),
        expect.stringMatching(/^authorizers\.partners\.identitySource: expected method\.request\.header\.<name>/),
        expect.stringMatching(
          /^authorizers\.oauth\.type: expected an authorizer type of "COGNITO_USER_POOLS", "TOKEN", "REQUEST", got "JWT"/,
        ),
      ]),
    );
    expect(problems).toHaveLength(3);
    // The rules between fields, once every field has its type.
    const rules = problemsOf(
      authorized({
        authorizers: {
          partners: { type: "TOKEN", functionArn: TOKEN_FN },
          devices: { type: "REQUEST", functionArn: REQUEST_FN, identitySources: ["context.sourceIp"] },
          legacy: { type: "REQUEST", functionArn: REQUEST_FN },
        },
        defaultAuthorization: "user",
        resources: crossFieldMistakes(),
      }),
    );
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^resources\.\/a\.GET\.authorization: unknown authorizer "partner": did you mean "partners"\?/,
        ),
        expect.stringMatching(
          /^resources\.\/b\.GET\.authorizationScopes: scopes are checked only by a Cognito user pool authorizer; this method's authorization is partners/,
        ),
        expect.stringMatching(/^resources\.\/c\.GET\.cache: a method authorized with AWS_IAM cannot be cached/),
        expect.stringMatching(
          /^resources\.\/d\.GET\.cache: the authorizer devices identifies callers by context\.sourceIp, which a cache key cannot hold/,
        ),
        expect.stringMatching(
          /^defaultAuthorization: unknown authorizer "user": expected one of "partners", "devices", "legacy", "AWS_IAM", "NONE"/,
        ),
        expect.stringMatching(/^authorizers\.legacy\.identitySources: required while results are cached/),
      ]),
    );
    expect(rules).toHaveLength(6);
  });

  it("refuses more than API Gateway's 10 authorizers per API", () => {
    const many = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { type: "COGNITO_USER_POOLS" as const, userPoolArns: [POOL] }]),
    );
    const resources = { "/a": { GET: { integration: mock() } } };
    expect(problemsOf(authorized({ authorizers: many, defaultAuthorization: "a0", resources }))).toEqual([
      "authorizers: expected at most 10 authorizers (API Gateway's limit per API)",
    ]);
  });
});
