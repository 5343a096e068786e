/**
 * CORS on the front door: an OPTIONS preflight per resource (no API key, no authorizer), Access-Control-Allow-Origin on
 * what API Gateway answers itself (MOCK and SQS routes, its 4XX and 5XX gateway responses), caches keyed by Origin, the
 * several-origins template rendered as API Gateway would (velocityjs), and every invalid option refused.
 */
import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { checkStacks } from "../../../policy/engine";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, demoProps, one, ref } from "./fixtures";
import { frontDoorProblems } from "./fixtures";
import { renderResponse } from "./support/api-gateway-vtl";

const SHOP = "https://shop.example.com";
const ADMIN = "https://admin.example.com:8443";
const mock = { type: "MOCK" as const, timeoutMs: 1000 };

function props(cors: RestApiFrontDoorProps["cors"], overrides: Partial<RestApiFrontDoorProps> = {}) {
  return demoProps({
    cors,
    resources: {
      "/orders": {
        GET: {
          integration: { type: "HTTP_PROXY", uri: "https://orders.internal.example.com/orders", timeoutMs: 3000 },
          cache: {},
        },
        POST: { integration: { type: "SQS", timeoutMs: 2000 }, requestModel: "NewOrder" },
      },
      "/orders/{orderId}/items": { GET: { integration: mock } },
    },
    methodThrottles: undefined,
    tiers: undefined,
    apiKeys: undefined,
    ...overrides,
  });
}

const synth = (p: RestApiFrontDoorProps): TerraformJson =>
  JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "front-door", p)));

const problemsOf = frontDoorProblems;

const one_ = synth(props({ allowOrigins: [SHOP], allowCredentials: true, exposeHeaders: ["Location"] }));
const several = synth(props({ allowOrigins: [SHOP, ADMIN] }));
const resourceId = (json: TerraformJson, part: string) =>
  ref(json, "aws_api_gateway_resource", (r) => r.path_part === part, "id");
const options = (json: TerraformJson) => all(json, "aws_api_gateway_method").filter((m) => m.http_method === "OPTIONS");

describe("RestApiFrontDoor CORS", () => {
  it("answers a preflight on every resource with methods, with no API key and no authorizer (a preflight carries neither)", () => {
    const preflights = options(one_);
    expect(preflights.map((m) => m.resource_id).sort()).toEqual(
      [resourceId(one_, "items"), resourceId(one_, "orders")].sort(),
    );
    for (const m of preflights) expect(m).toMatchObject({ authorization: "NONE", api_key_required: false });
    const integrations = all(one_, "aws_api_gateway_integration").filter(
      (i) => i.type === "MOCK" && i.request_templates["application/json"] === '{"statusCode":204}',
    );
    expect(integrations).toHaveLength(2);
  });

  it("names the resource's methods, the allowed headers, max age and credentials in the preflight's 204", () => {
    const responses = all(one_, "aws_api_gateway_integration_response").filter(
      (r) =>
        r.status_code.includes("method_response") &&
        r.response_parameters?.["method.response.header.Access-Control-Allow-Methods"],
    );
    const byMethods = responses
      .map((r) => r.response_parameters["method.response.header.Access-Control-Allow-Methods"])
      .sort();
    expect(byMethods).toEqual(["'GET,OPTIONS'", "'GET,POST,OPTIONS'"]);
    expect(responses[0].response_parameters).toMatchObject({
      "method.response.header.Access-Control-Allow-Origin": `'${SHOP}'`,
      "method.response.header.Access-Control-Allow-Headers": "'Content-Type,Authorization,X-Api-Key,Idempotency-Key'",
      "method.response.header.Access-Control-Max-Age": "'600'",
      "method.response.header.Access-Control-Allow-Credentials": "'true'",
    });
    const declared = all(one_, "aws_api_gateway_method_response").filter((r) => r.status_code === "204");
    expect(declared).toHaveLength(2);
    expect(declared[0].response_parameters["method.response.header.Access-Control-Allow-Origin"]).toBe(true);
  });

  it("puts the origin on API Gateway's own 4XX and 5XX (throttled, unauthorized, forbidden: the browser sees them)", () => {
    const responses = all(one_, "aws_api_gateway_gateway_response");
    expect(responses.map((r) => r.response_type).sort()).toEqual(["DEFAULT_4XX", "DEFAULT_5XX"]);
    for (const r of responses)
      expect(r.response_parameters).toEqual({
        "gatewayresponse.header.Access-Control-Allow-Origin": `'${SHOP}'`,
        "gatewayresponse.header.Access-Control-Allow-Credentials": "'true'",
        "gatewayresponse.header.Access-Control-Expose-Headers": "'Location'",
        "gatewayresponse.header.Vary": "'Origin'",
      });
    const echo = all(several, "aws_api_gateway_gateway_response")[0].response_parameters;
    expect(echo["gatewayresponse.header.Access-Control-Allow-Origin"]).toBe("method.request.header.Origin");
  });

  it("adds the origin to the responses API Gateway answers itself (MOCK and the async route's)", () => {
    const answered = all(one_, "aws_api_gateway_integration_response").filter(
      (r) => !r.response_parameters?.["method.response.header.Access-Control-Allow-Methods"],
    );
    expect(answered.length).toBeGreaterThan(3);
    for (const r of answered)
      expect(r.response_parameters["method.response.header.Access-Control-Allow-Origin"]).toBe(`'${SHOP}'`);
    for (const r of all(one_, "aws_api_gateway_method_response").filter((r) => r.status_code !== "204"))
      expect(r.response_parameters["method.response.header.Access-Control-Allow-Origin"]).toBe(false);
  });

  it("with several origins, answers the request's Origin only when it is allowed (the template, rendered)", () => {
    const preflight = all(several, "aws_api_gateway_integration_response").find(
      (r) => r.response_parameters?.["method.response.header.Access-Control-Allow-Methods"],
    )!;
    expect(preflight.response_parameters["method.response.header.Access-Control-Allow-Origin"]).toBeUndefined();
    const template = preflight.response_templates["application/json"];
    for (const origin of [SHOP, ADMIN])
      expect(renderResponse(template, { body: "", headers: { Origin: origin } }).headers).toEqual({
        "Access-Control-Allow-Origin": origin,
        Vary: "Origin",
      });
    expect(
      renderResponse(template, { body: "", headers: { origin: ADMIN } }).headers["Access-Control-Allow-Origin"],
    ).toBe(ADMIN);
    expect(renderResponse(template, { body: "", headers: { Origin: "https://evil.example.com" } }).headers).toEqual({});
    expect(renderResponse(template, { body: "", headers: {} }).headers).toEqual({});
  });

  it("keeps the async route's own response template after the origin check", () => {
    const accepted = all(several, "aws_api_gateway_integration_response").find(
      (r) => r.status_code === "202" || String(r.response_templates?.["application/json"]).includes("messageId"),
    );
    expect(accepted).toBeDefined();
    const t = accepted!.response_templates["application/json"];
    expect(t.startsWith('#set($origin = $input.params().header.get("Origin"))')).toBe(true);
  });

  it("keys cached responses by Origin too, in API Gateway and in CloudFront", () => {
    const cached = all(one_, "aws_api_gateway_integration").find((i) => i.cache_key_parameters)!;
    expect(cached.cache_key_parameters).toContain("method.request.header.Origin");
    const policy = one(one_, "aws_cloudfront_cache_policy", (p) => p.comment.startsWith("GET /orders:"));
    expect(policy.parameters_in_cache_key_and_forwarded_to_origin.headers_config.headers.items).toContain("origin");
  });

  it("refuses * with credentials, * beside origins, an origin with a path, and an OPTIONS method of its own", () => {
    expect(problemsOf(props({ allowOrigins: ["*"], allowCredentials: true }))).toEqual([
      "cors.allowCredentials: expected false with allowOrigins *: browsers refuse credentialed responses allowed for any origin",
    ]);
    expect(problemsOf(props({ allowOrigins: ["*", SHOP] }))).toEqual([
      "cors.allowOrigins: expected * alone or a list of origins, not both",
    ]);
    expect(problemsOf(props({ allowOrigins: [`${SHOP}/`, "HTTPS://SHOP.EXAMPLE.COM", "shop.example.com"] }))).toEqual([
      expect.stringMatching(/^cors\.allowOrigins\[0\]: expected \* or an origin such as https:\/\/shop\.example\.com/),
      expect.stringMatching(/^cors\.allowOrigins\[1\]: expected \* or an origin/),
      expect.stringMatching(/^cors\.allowOrigins\[2\]: expected \* or an origin/),
    ]);
    const own = props(
      { allowOrigins: [SHOP] },
      { resources: { "/x": { GET: { integration: mock }, OPTIONS: { integration: mock } } } },
    );
    expect(problemsOf(own)).toEqual([
      "resources./x.OPTIONS: with cors set, the module answers OPTIONS (the CORS preflight) on every resource: remove this method or cors",
    ]);
  });

  it("passes every policy rule: the preflights are the exempt OPTIONS MOCKs, each with an explicit timeout", () => {
    // The scratch stack has no provider or backend: the account rules are the stack's, not the module's.
    const findings = (json: TerraformJson) =>
      checkStacks({ api: json })
        .findings.filter((f) => !f.rule.startsWith("account-"))
        .map((f) => `${f.rule}: ${f.reason}`);
    expect(findings(one_)).toEqual([]);
    expect(findings(several)).toEqual([]);
  });

  it("adds nothing without cors", () => {
    const plain = synth(props(undefined));
    expect(options(plain)).toEqual([]);
    expect(plain.resource.aws_api_gateway_gateway_response).toBeUndefined();
  });
});
