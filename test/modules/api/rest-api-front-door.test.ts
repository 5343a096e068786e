import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { MANAGED_POLICY_IDS } from "../../../modules/api/api-distribution";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, demoProps, named, one, ref, TAGGABLE, TEAM_TOPIC_ARN } from "./fixtures";
import { frontDoorProblems } from "./fixtures";

function synth(props: RestApiFrontDoorProps, extra?: (stack: any) => void): TerraformJson {
  return JSON.parse(
    synthScratch((stack) => {
      new RestApiFrontDoor(stack, "front-door", props);
      extra?.(stack);
    }),
  );
}

const propsErrors = frontDoorProblems;

// The demo stack owns its account's API Gateway logging role (manageAccountLogging is off by default).
const edge = synth(demoProps({ manageAccountLogging: true }));
const apiGatewayOnly = synth(
  demoProps({ caching: { enabled: true, layer: "api-gateway", clusterSizeGb: 6.1, allowClientInvalidation: true } }),
);
const noCaching = synth(demoProps({ caching: { enabled: false, layer: "edge", clusterSizeGb: 0.5 } }));
const restApiRef = (json: TerraformJson) => ref(json, "aws_api_gateway_rest_api", () => true, "id");

describe("RestApiFrontDoor (standalone, any topic ARN)", () => {
  it("creates one REGIONAL REST API taking API keys from the x-api-key header", () => {
    expect(one(edge, "aws_api_gateway_rest_api")).toMatchObject({
      name: "orders",
      endpoint_configuration: { types: ["REGIONAL"] },
      api_key_source: "HEADER",
    });
  });

  it("builds the resource tree, including intermediate resources, with path parts", () => {
    const parts = all(edge, "aws_api_gateway_resource")
      .map((r) => r.path_part)
      .sort();
    expect(parts).toEqual(["health", "items", "orders", "{orderId}"]);
    const orderId = one(edge, "aws_api_gateway_resource", (r) => r.path_part === "{orderId}");
    expect(orderId.parent_id).toBe(ref(edge, "aws_api_gateway_resource", (r) => r.path_part === "orders", "id"));
  });

  it("requires an API key on every method except public ones", () => {
    const methods = all(edge, "aws_api_gateway_method");
    expect(methods).toHaveLength(5);
    for (const m of methods) expect(m.api_key_required).toBe(m.operation_name !== "getHealth");
    expect(methods.every((m) => m.authorization === "NONE")).toBe(true);
  });

  it("sets timeout_milliseconds on every integration from props, never AWS's default", () => {
    const timeouts = all(edge, "aws_api_gateway_integration")
      .map((i) => i.timeout_milliseconds)
      .sort((a, b) => a - b);
    expect(timeouts).toEqual([800, 1500, 2500, 4000, 6000]);
  });

  it("MOCK integrations answer with the configured status and body; HTTP_PROXY maps path parameters to the HTTPS backend", () => {
    const post = one(edge, "aws_api_gateway_integration", (i) => i.timeout_milliseconds === 2500);
    expect(post).toMatchObject({ type: "MOCK", request_templates: { "application/json": '{"statusCode":201}' } });
    expect(
      all(edge, "aws_api_gateway_method_response")
        .map((r) => r.status_code)
        .sort(),
    ).toEqual(["200", "200", "201"]);
    const responses = all(edge, "aws_api_gateway_integration_response");
    expect(responses.map((r) => r.response_templates["application/json"]).sort()).toEqual(['{"ok":true}', "{}", "{}"]);
    for (const r of responses)
      expect(r.status_code).toMatch(/^\$\{aws_api_gateway_method_response\.[^}]+\.status_code\}$/);
    const proxy = one(edge, "aws_api_gateway_integration", (i) => i.timeout_milliseconds === 4000);
    expect(proxy).toMatchObject({
      type: "HTTP_PROXY",
      integration_http_method: "GET",
      uri: "https://orders.internal.example.com/orders/{orderId}",
      request_parameters: { "integration.request.path.orderId": "method.request.path.orderId" },
    });
  });

  it("validates bodies against JSON-schema models and required parameters before the integration runs", () => {
    const model = one(edge, "aws_api_gateway_model");
    expect(model).toMatchObject({ name: "NewOrder", content_type: "application/json" });
    expect(JSON.parse(model.schema)).toMatchObject({
      $schema: "http://json-schema.org/draft-04/schema#",
      required: ["sku"],
    });
    const validator = one(edge, "aws_api_gateway_request_validator");
    expect(validator).toMatchObject({
      name: "body-and-parameters",
      validate_request_body: true,
      validate_request_parameters: true,
    });
    const post = one(edge, "aws_api_gateway_method", (m) => m.operation_name === "postOrders");
    expect(post.request_validator_id).toBe(ref(edge, "aws_api_gateway_request_validator", () => true, "id"));
    expect(post.request_models).toEqual({ "application/json": ref(edge, "aws_api_gateway_model", () => true, "name") });
    expect(post.request_parameters).toEqual({ "method.request.header.Idempotency-Key": true });
    // Methods without a body model or required parameters get no validator.
    expect(
      one(edge, "aws_api_gateway_method", (m) => m.operation_name === "getOrders").request_validator_id,
    ).toBeUndefined();
  });

  it("deploys with a redeployment hash trigger and create_before_destroy, into a separate stage", () => {
    const deployment = one(edge, "aws_api_gateway_deployment");
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment.triggers.redeployment).toMatch(/^[0-9a-f]{64}$/);
    expect(deployment.depends_on.filter((d: string) => d.startsWith("aws_api_gateway_integration."))).toHaveLength(5);
    const stage = one(edge, "aws_api_gateway_stage");
    expect(stage).toMatchObject({
      stage_name: "live",
      deployment_id: ref(edge, "aws_api_gateway_deployment", () => true, "id"),
      xray_tracing_enabled: true,
    });
  });

  it("a route change changes the redeployment hash; unrelated settings do not", () => {
    const hash = (json: TerraformJson) => one(json, "aws_api_gateway_deployment").triggers.redeployment;
    const base = demoProps();
    const changedRoute = synth({
      ...base,
      resources: {
        ...base.resources,
        "/health": { GET: { public: true, integration: { type: "MOCK", timeoutMs: 900 } } },
      },
    });
    const changedThrottle = synth({ ...base, throttle: { rateLimit: 90, burstLimit: 50 } });
    expect(hash(changedRoute)).not.toBe(hash(edge));
    expect(hash(changedThrottle)).toBe(hash(edge));
    expect(hash(synth(demoProps({ manageAccountLogging: true })))).toBe(hash(edge));
  });

  it("anything the module writes into a snapshotted resource changes the hash, with the same props (a module upgrade reaches the stage)", () => {
    const hash = (json: TerraformJson) => one(json, "aws_api_gateway_deployment").triggers.redeployment;
    const base = synth(demoProps());
    const upgraded = (change: (front: RestApiFrontDoor) => void) =>
      JSON.parse(
        synthScratch((stack) => change(new RestApiFrontDoor(stack, "front-door", demoProps()))),
      ) as TerraformJson;
    // A mapping template alone.
    const template = upgraded((front) => {
      front.routes.integrations["GET /health"].requestTemplates = { "application/json": '{"statusCode": 204}' };
    });
    // Request parameters alone; an integration response's template alone.
    const parameters = upgraded((front) => {
      front.routes.integrations["GET /health"].requestParameters = { "integration.request.header.X-Probe": "'1'" };
    });
    const response = upgraded((front) => {
      const r = front.node.findAll().find((c) => c.node.id.startsWith("integration-response-")) as any;
      r.responseTemplates = { "application/json": "{}" };
    });
    const hashes = [base, template, parameters, response].map(hash);
    expect(new Set(hashes).size).toBe(4);
    expect(one(base, "aws_api_gateway_deployment").description).toBe(`orders ${hash(base).slice(0, 12)}`);
  });

  it("writes JSON access logs to its own log group with retention, and depends on the account logging role", () => {
    const stage = one(edge, "aws_api_gateway_stage");
    const format = JSON.parse(stage.access_log_settings.format);
    expect(format).toMatchObject({
      requestId: "$context.requestId",
      status: "$context.status",
      apiKeyId: "$context.identity.apiKeyId",
    });
    const stageLogs = (g: Record<string, any>) => g.name.startsWith("/aws/apigateway/");
    expect(stage.access_log_settings.destination_arn).toBe(ref(edge, "aws_cloudwatch_log_group", stageLogs, "arn"));
    expect(one(edge, "aws_cloudwatch_log_group", stageLogs)).toMatchObject({
      name: "/aws/apigateway/orders/live/access",
      retention_in_days: 90,
    });
    expect(stage.depends_on).toEqual([
      expect.stringMatching(/^aws_api_gateway_account\./),
      expect.stringMatching(/^aws_cloudwatch_log_group\./),
    ]);
  });

  it("stage-wide method settings: metrics on, data trace off, ERROR logs, stage throttle", () => {
    const all_ = one(edge, "aws_api_gateway_method_settings", (s) => s.method_path === "*/*");
    expect(all_.settings).toMatchObject({
      metrics_enabled: true,
      data_trace_enabled: false,
      logging_level: "ERROR",
      throttling_rate_limit: 100,
      throttling_burst_limit: 50,
      caching_enabled: false,
    });
  });

  it("per-method settings use the stage's key form: resource path with '/' escaped as ~1, then /<METHOD>", () => {
    const post = one(edge, "aws_api_gateway_method_settings", (s) => s.method_path === "~1orders/POST");
    expect(post.settings).toMatchObject({
      throttling_rate_limit: 10,
      throttling_burst_limit: 5,
      metrics_enabled: true,
      data_trace_enabled: false,
    });
    expect(
      all(edge, "aws_api_gateway_method_settings")
        .map((s) => s.method_path)
        .sort(),
    ).toEqual(["*/*", "~1orders/GET", "~1orders/POST", "~1orders~1{orderId}/GET"]);
  });

  it("method settings are applied one after another (API Gateway rejects concurrent stage updates)", () => {
    const settings = named(edge, "aws_api_gateway_method_settings");
    const withDeps = settings.filter(([, s]) => s.depends_on);
    expect(withDeps).toHaveLength(settings.length - 1);
  });

  it("one usage plan per tier, attached to the stage, with throttle, quota and /<resource>/<METHOD> method throttles", () => {
    const stageName = ref(edge, "aws_api_gateway_stage", () => true, "stage_name");
    const bronze = one(edge, "aws_api_gateway_usage_plan", (p) => p.name === "orders-bronze");
    expect(bronze).toMatchObject({
      throttle_settings: { rate_limit: 5, burst_limit: 2 },
      quota_settings: { limit: 1000, period: "DAY", offset: 0 },
      api_stages: [
        {
          api_id: restApiRef(edge),
          stage: stageName,
          throttle: [{ path: "/orders/POST", rate_limit: 1, burst_limit: 1 }],
        },
      ],
    });
    const gold = one(edge, "aws_api_gateway_usage_plan", (p) => p.name === "orders-gold");
    expect(gold.quota_settings).toEqual({ limit: 100000, period: "MONTH", offset: 10 });
    expect(gold.api_stages[0].throttle).toBeUndefined();
  });

  it("one API key per consumer, linked to exactly its tier's plan", () => {
    const keys = all(edge, "aws_api_gateway_api_key");
    expect(keys.map((k) => [k.name, k.enabled]).sort()).toEqual([
      ["orders-intern-project", false],
      ["orders-web-shop", true],
    ]);
    const links = all(edge, "aws_api_gateway_usage_plan_key");
    expect(links).toHaveLength(2);
    const keyRef = (name: string) => ref(edge, "aws_api_gateway_api_key", (k) => k.name === name, "id");
    const planRef = (name: string) => ref(edge, "aws_api_gateway_usage_plan", (p) => p.name === name, "id");
    expect(links).toEqual(
      expect.arrayContaining([
        { key_id: keyRef("orders-web-shop"), key_type: "API_KEY", usage_plan_id: planRef("orders-gold") },
        { key_id: keyRef("orders-intern-project"), key_type: "API_KEY", usage_plan_id: planRef("orders-bronze") },
      ]),
    );
  });

  it("the root resource gets its own method settings (~1/GET): stage throttle and caching, but CloudFront never caches it", () => {
    const base = demoProps();
    const json = synth({
      ...base,
      resources: {
        ...base.resources,
        "/": { GET: { integration: { type: "MOCK", timeoutMs: 500 }, cache: { ttlSeconds: 30 } } },
      },
      methodThrottles: { ...base.methodThrottles, "GET /": { rateLimit: 20, burstLimit: 10 } },
    });
    expect(one(json, "aws_api_gateway_method_settings", (s) => s.method_path === "~1/GET").settings).toMatchObject({
      throttling_rate_limit: 20,
      throttling_burst_limit: 10,
      caching_enabled: true,
      cache_ttl_in_seconds: 30,
    });
    // Edge layer: only the two cached routes under a resource get a cache policy; "/" stays on the default (CachingDisabled) behaviour.
    expect(
      all(json, "aws_cloudfront_cache_policy")
        .map((p) => p.name)
        .sort(),
    ).toEqual([
      expect.stringMatching(/^orders-orders-[0-9a-f]{8}-get$/),
      expect.stringMatching(/^orders-orders-orderId-[0-9a-f]{8}-get$/),
    ]);
    expect(
      one(json, "aws_cloudfront_distribution").ordered_cache_behavior.map((b: any) => b.path_pattern),
    ).not.toContain("/");
  });

  it("the same method is addressed in each AWS form: ~1orders/POST in method settings, /orders/POST in usage plans", () => {
    expect(all(edge, "aws_api_gateway_method_settings").map((s) => s.method_path)).toContain("~1orders/POST");
    expect(
      one(edge, "aws_api_gateway_usage_plan", (p) => p.name === "orders-bronze").api_stages[0].throttle[0].path,
    ).toBe("/orders/POST");
  });

  describe("caching", () => {
    it("stage cache cluster of the configured size; cached GETs with their TTL, encrypted, invalidation needs authorization by default", () => {
      expect(one(edge, "aws_api_gateway_stage")).toMatchObject({
        cache_cluster_enabled: true,
        cache_cluster_size: "0.5",
      });
      const list = one(edge, "aws_api_gateway_method_settings", (s) => s.method_path === "~1orders/GET").settings;
      expect(list).toMatchObject({
        caching_enabled: true,
        cache_ttl_in_seconds: 120,
        cache_data_encrypted: true,
        require_authorization_for_cache_control: true,
        unauthorized_cache_control_header_strategy: "SUCCEED_WITHOUT_RESPONSE_HEADER",
      });
      expect(
        one(edge, "aws_api_gateway_method_settings", (s) => s.method_path === "~1orders~1{orderId}/GET").settings
          .cache_ttl_in_seconds,
      ).toBe(300);
      expect(
        one(edge, "aws_api_gateway_method_settings", (s) => s.method_path === "~1orders/POST").settings.caching_enabled,
      ).toBe(false);
    });

    it("cache keys hold the path parameters, the API key and the configured parameters", () => {
      const byId = one(edge, "aws_api_gateway_integration", (i) => i.timeout_milliseconds === 4000);
      expect(byId.cache_key_parameters).toEqual([
        "method.request.path.orderId",
        "method.request.header.x-api-key",
        "method.request.header.Accept-Language",
      ]);
      const list = one(edge, "aws_api_gateway_integration", (i) => i.timeout_milliseconds === 1500);
      expect(list.cache_key_parameters).toEqual(["method.request.header.x-api-key", "method.request.querystring.page"]);
      expect(one(edge, "aws_api_gateway_method", (m) => m.operation_name === "getOrders").request_parameters).toEqual({
        "method.request.querystring.page": false,
        "method.request.header.x-api-key": false,
      });
    });

    it("allowClientInvalidation lets clients invalidate; the cluster size follows props", () => {
      expect(one(apiGatewayOnly, "aws_api_gateway_stage").cache_cluster_size).toBe("6.1");
      const s = one(
        apiGatewayOnly,
        "aws_api_gateway_method_settings",
        (x) => x.method_path === "~1orders/GET",
      ).settings;
      expect(s.require_authorization_for_cache_control).toBe(false);
      expect(s.unauthorized_cache_control_header_strategy).toBeUndefined();
    });

    it("enabled: false turns off the cluster, method caching, cache keys, edge caching and the hit-ratio alarm, nothing else", () => {
      expect(one(noCaching, "aws_api_gateway_stage").cache_cluster_enabled).toBe(false);
      expect(one(noCaching, "aws_api_gateway_stage").cache_cluster_size).toBeUndefined();
      expect(all(noCaching, "aws_api_gateway_method_settings").every((s) => s.settings.caching_enabled === false)).toBe(
        true,
      );
      expect(all(noCaching, "aws_api_gateway_integration").every((i) => i.cache_key_parameters === undefined)).toBe(
        true,
      );
      expect(all(noCaching, "aws_cloudfront_cache_policy")).toEqual([]);
      expect(one(noCaching, "aws_cloudfront_distribution").ordered_cache_behavior).toBeUndefined();
      expect(all(noCaching, "aws_cloudwatch_metric_alarm").map((a) => a.alarm_name)).not.toContain(
        "orders-live-cache-hit-ratio",
      );
      // Everything else is unchanged: same methods, plans and keys.
      for (const type of ["aws_api_gateway_method", "aws_api_gateway_usage_plan", "aws_api_gateway_api_key"]) {
        expect(all(noCaching, type)).toHaveLength(all(edge, type).length);
      }
    });
  });

  describe("CloudFront", () => {
    it("origin is the stage's invoke domain over HTTPS only with TLS 1.2; viewers are redirected to HTTPS", () => {
      const d = one(edge, "aws_cloudfront_distribution");
      expect(d.origin).toEqual([
        expect.objectContaining({
          domain_name: expect.stringMatching(
            /^\$\{aws_api_gateway_rest_api\.[^}]+\.id\}\.execute-api\.\$\{data\.aws_region\.[^}]+\}\.\$\{data\.aws_partition\.[^}]+\.dns_suffix\}$/,
          ),
          origin_path: "/live",
          custom_origin_config: expect.objectContaining({
            origin_protocol_policy: "https-only",
            origin_ssl_protocols: ["TLSv1.2"],
            https_port: 443,
          }),
        }),
      ]);
      expect(d.origin[0].domain_name.startsWith(restApiRef(edge))).toBe(true);
      for (const b of [d.default_cache_behavior, ...d.ordered_cache_behavior]) {
        expect(b).toMatchObject({
          viewer_protocol_policy: "redirect-to-https",
          origin_request_policy_id: MANAGED_POLICY_IDS.allViewerExceptHostHeader,
          cached_methods: ["GET", "HEAD"],
        });
      }
    });

    it("uses the AWS-managed policy ids (AllViewerExceptHostHeader, CachingDisabled)", () => {
      expect(MANAGED_POLICY_IDS.allViewerExceptHostHeader).toBe("b689b0a8-53d0-40ab-baf2-68738e2966ac");
      expect(MANAGED_POLICY_IDS.cachingDisabled).toBe("4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
    });

    it("never caches error responses (one client's 403 is not served to another)", () => {
      const errors = one(edge, "aws_cloudfront_distribution").custom_error_response;
      expect(errors.map((e: any) => e.error_code)).toEqual(expect.arrayContaining([400, 403, 404, 500, 502, 503, 504]));
      expect(errors.every((e: any) => e.error_caching_min_ttl === 0 && e.response_page_path === undefined)).toBe(true);
    });

    it("edge layer: cached GET routes get a cache policy keyed on x-api-key and their key parameters, TTL capped at API Gateway's", () => {
      const policies = all(edge, "aws_cloudfront_cache_policy");
      expect(policies).toHaveLength(2);
      const list = policies.find((p) => /^orders-orders-[0-9a-f]{8}-get$/.test(p.name))!;
      expect(list).toMatchObject({ min_ttl: 0, default_ttl: 120, max_ttl: 120 });
      expect(list.parameters_in_cache_key_and_forwarded_to_origin).toMatchObject({
        headers_config: { header_behavior: "whitelist", headers: { items: ["x-api-key"] } },
        query_strings_config: { query_string_behavior: "whitelist", query_strings: { items: ["page"] } },
        cookies_config: { cookie_behavior: "none" },
      });
      const byId = policies.find((p) => /^orders-orders-orderId-[0-9a-f]{8}-get$/.test(p.name))!;
      expect(byId.parameters_in_cache_key_and_forwarded_to_origin.headers_config.headers.items).toEqual([
        "x-api-key",
        "accept-language",
      ]);
      expect(byId.parameters_in_cache_key_and_forwarded_to_origin.query_strings_config).toEqual({
        query_string_behavior: "none",
      });
    });

    it("edge layer: non-GET and uncached routes are never cached; a route under a cached pattern gets its own no-cache behaviour first", () => {
      const d = one(edge, "aws_cloudfront_distribution");
      expect(d.default_cache_behavior.cache_policy_id).toBe(MANAGED_POLICY_IDS.cachingDisabled);
      const behaviours = d.ordered_cache_behavior.map((b: any) => [b.path_pattern, b.cache_policy_id]);
      expect(behaviours).toEqual([
        ["/orders/*/items", MANAGED_POLICY_IDS.cachingDisabled],
        [
          "/orders/*",
          ref(edge, "aws_cloudfront_cache_policy", (p) => /^orders-orders-orderId-[0-9a-f]{8}-get$/.test(p.name), "id"),
        ],
        [
          "/orders",
          ref(edge, "aws_cloudfront_cache_policy", (p) => /^orders-orders-[0-9a-f]{8}-get$/.test(p.name), "id"),
        ],
      ]);
      for (const b of d.ordered_cache_behavior)
        expect(b.allowed_methods).toEqual(expect.arrayContaining(["POST", "PUT", "PATCH", "DELETE"]));
    });

    it("api-gateway layer: CloudFront caches nothing, so every request reaches API Gateway and its quotas", () => {
      expect(all(apiGatewayOnly, "aws_cloudfront_cache_policy")).toEqual([]);
      const d = one(apiGatewayOnly, "aws_cloudfront_distribution");
      expect(d.default_cache_behavior.cache_policy_id).toBe(MANAGED_POLICY_IDS.cachingDisabled);
      expect(d.ordered_cache_behavior).toBeUndefined();
    });

    it("without a custom domain, uses the CloudFront certificate and no aliases", () => {
      const d = one(edge, "aws_cloudfront_distribution");
      expect(d.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
      expect(d.aliases).toBeUndefined();
      expect(d.web_acl_id).toBeUndefined();
    });

    it("custom domain: alias, us-east-1 certificate with SNI and TLS 1.2 minimum, Route 53 A/AAAA aliases; WAF web ACL attached", () => {
      const json = synth(
        demoProps({
          distribution: {
            priceClass: "PriceClass_200",
            customDomain: {
              domainName: "orders.example.com",
              certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
              hostedZoneId: "Z0ABCDEF123456",
            },
            webAclArn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/orders/11111111-2222-3333-4444-555555555555",
          },
        }),
      );
      const d = one(json, "aws_cloudfront_distribution");
      expect(d).toMatchObject({
        aliases: ["orders.example.com"],
        price_class: "PriceClass_200",
        web_acl_id: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/orders/11111111-2222-3333-4444-555555555555",
        viewer_certificate: {
          acm_certificate_arn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
          ssl_support_method: "sni-only",
          minimum_protocol_version: "TLSv1.2_2021",
        },
      });
      const records = all(json, "aws_route53_record");
      expect(records.map((r) => r.type).sort()).toEqual(["A", "AAAA"]);
      for (const r of records) {
        expect(r).toMatchObject({
          zone_id: "Z0ABCDEF123456",
          name: "orders.example.com",
          alias: {
            name: ref(json, "aws_cloudfront_distribution", () => true, "domain_name"),
            zone_id: ref(json, "aws_cloudfront_distribution", () => true, "hosted_zone_id"),
          },
        });
      }
    });
  });

  describe("alarms", () => {
    it("5XX, 4XX rate, p99 latency and cache hit ratio alarms notify the given topic on alarm and recovery", () => {
      const alarms = all(edge, "aws_cloudwatch_metric_alarm");
      expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
        "orders-live-4xx-rate",
        "orders-live-5xx-errors",
        "orders-live-cache-hit-ratio",
        "orders-live-latency-p99",
      ]);
      for (const a of alarms)
        expect(a).toMatchObject({
          alarm_actions: [TEAM_TOPIC_ARN],
          ok_actions: [TEAM_TOPIC_ARN],
          treat_missing_data: "notBreaching",
        });
      const byName = (n: string) => alarms.find((a) => a.alarm_name === n)!;
      expect(byName("orders-live-5xx-errors")).toMatchObject({
        metric_name: "5XXError",
        statistic: "Sum",
        threshold: 5,
        dimensions: { ApiName: "orders", Stage: "live" },
      });
      expect(byName("orders-live-4xx-rate")).toMatchObject({
        metric_name: "4XXError",
        statistic: "Average",
        threshold: 0.1,
      });
      expect(byName("orders-live-latency-p99")).toMatchObject({
        metric_name: "Latency",
        extended_statistic: "p99",
        threshold: 2500,
      });
      const ratio = byName("orders-live-cache-hit-ratio");
      expect(ratio).toMatchObject({ comparison_operator: "LessThanThreshold", threshold: 50 });
      expect(ratio.metric_query.map((q: any) => q.metric?.metric_name ?? q.expression)).toEqual([
        "CacheHitCount",
        "CacheMissCount",
        "100 * hits / (hits + misses)",
      ]);
    });

    it("thresholds and evaluation follow props", () => {
      const json = synth(
        demoProps({
          alarms: {
            serverErrors: 2,
            clientErrorRatePercent: 5,
            latencyP99Ms: 900,
            cacheHitRatioPercent: 70,
            periodSeconds: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 2,
          },
        }),
      );
      const alarms = all(json, "aws_cloudwatch_metric_alarm");
      expect(alarms.map((a) => a.threshold).sort((a, b) => a - b)).toEqual([0.05, 2, 70, 900]);
      for (const a of alarms) expect(a).toMatchObject({ evaluation_periods: 5, datapoints_to_alarm: 2 });
    });
  });

  describe("IAM and account logging", () => {
    it("sets the account's API Gateway CloudWatch role, allowed only to write API Gateway's log groups, no wildcard actions", () => {
      expect(one(edge, "aws_api_gateway_account").cloudwatch_role_arn).toBe(
        ref(edge, "aws_iam_role", () => true, "arn"),
      );
      const trust = JSON.parse(one(edge, "aws_iam_role").assume_role_policy);
      expect(trust.Statement).toEqual([
        expect.objectContaining({ Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }),
      ]);
      const policy = JSON.parse(one(edge, "aws_iam_role_policy").policy);
      const actions = policy.Statement.flatMap((s: any) => [s.Action].flat());
      expect(actions.sort()).toEqual([
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:DescribeLogGroups",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
      ]);
      expect(actions.some((a: string) => a.includes("*"))).toBe(false);
      const resources: string[] = policy.Statement.flatMap((s: any) => [s.Resource].flat());
      for (const r of resources)
        expect(r).toMatch(
          /:logs:\$\{data\.aws_region\.[^}]+\}:\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:log-group:/,
        );
      const write = policy.Statement.find((s: any) => s.Sid === "WriteApiGatewayLogGroups");
      expect(
        write.Resource.every((r: string) => /log-group:(API-Gateway-Execution-Logs_\*|\/aws\/apigateway\/\*)/.test(r)),
      ).toBe(true);
    });

    it("two front doors in one stack share one account setting", () => {
      const two = synth(
        demoProps({ manageAccountLogging: true }),
        (stack) => new RestApiFrontDoor(stack, "second", demoProps({ name: "billing", manageAccountLogging: true })),
      );
      expect(all(two, "aws_api_gateway_account")).toHaveLength(1);
      expect(all(two, "aws_api_gateway_rest_api")).toHaveLength(2);
    });

    it("leaves the account-wide setting alone by default (its owner is another stack of the account), and with false", () => {
      for (const manageAccountLogging of [undefined, false]) {
        const none = synth(demoProps({ manageAccountLogging }));
        expect(all(none, "aws_api_gateway_account")).toEqual([]);
        expect(all(none, "aws_iam_role")).toEqual([]);
        expect(one(none, "aws_api_gateway_stage").depends_on).toEqual([
          expect.stringMatching(/^aws_cloudwatch_log_group\./),
        ]);
      }
    });

    it("rejects a manageAccountLogging that is not a boolean", () => {
      expect(propsErrors(demoProps({ manageAccountLogging: "yes" as unknown as boolean }))).toEqual([
        'manageAccountLogging: expected a boolean, got "yes"',
      ]);
    });
  });

  it("tags every taggable resource (api: <name> plus the given tags)", () => {
    const json = synth(demoProps({ tags: { team: "orders" }, manageAccountLogging: true }));
    for (const type of TAGGABLE) {
      const resources = all(json, type);
      expect(resources.length).toBeGreaterThan(0);
      for (const r of resources) expect(r.tags).toEqual({ api: "orders", team: "orders" });
    }
  });

  it("accepts Terraform references for the topic, certificate, web ACL and log key, and synthesizes the references", () => {
    const json = JSON.parse(
      synthScratch((stack) => {
        const other = new RestApiFrontDoor(stack, "first", demoProps());
        new RestApiFrontDoor(stack, "second", {
          ...demoProps({ name: "second" }),
          alarmTopicArn: other.restApiArn,
          accessLogs: { kmsKeyArn: other.restApiArn },
          distribution: {
            customDomain: { domainName: "x.example.com", certificateArn: other.restApiArn },
            webAclArn: other.restApiArn,
          },
        });
      }),
    );
    const arn = ref(json, "aws_api_gateway_rest_api", (r) => r.name === "orders", "arn");
    const distribution = one(json, "aws_cloudfront_distribution", (d) => d.aliases?.includes("x.example.com"));
    expect(distribution.viewer_certificate.acm_certificate_arn).toBe(arn);
    expect(distribution.web_acl_id).toBe(arn);
    const secondAlarms = all(json, "aws_cloudwatch_metric_alarm").filter((a) => a.alarm_name.startsWith("second-"));
    expect(secondAlarms.length).toBeGreaterThan(0);
    for (const alarm of secondAlarms) expect(alarm.alarm_actions).toEqual([arn]);
    expect(
      one(json, "aws_cloudwatch_log_group", (g) => g.name === "/aws/apigateway/second/live/access").kms_key_id,
    ).toBe(arn);
  });
});

describe("RestApiFrontDoor props validation", () => {
  /** [case, props change, problem expected (path: message)] */
  const route = (routes: RestApiFrontDoorProps["resources"]): Partial<RestApiFrontDoorProps> => ({
    resources: { ...demoProps().resources, ...routes },
  });
  const BAD: Array<[string, Partial<RestApiFrontDoorProps>, RegExp]> = [
    [
      "timeout below 50 ms",
      route({ "/a": { GET: { integration: { type: "MOCK", timeoutMs: 10 } } } }),
      /^resources\.\/a\.GET\.integration\.timeoutMs: expected a number >= 50, got 10$/,
    ],
    [
      "timeout above 29 s",
      route({ "/a": { GET: { integration: { type: "MOCK", timeoutMs: 30000 } } } }),
      /^resources\.\/a\.GET\.integration\.timeoutMs: .*got 30000$/,
    ],
    [
      "TTL above 3600",
      route({ "/a": { GET: { integration: { type: "MOCK", timeoutMs: 100 }, cache: { ttlSeconds: 3601 } } } }),
      /^resources\.\/a\.GET\.cache\.ttlSeconds: expected a number <= 3600, got 3601$/,
    ],
    [
      "cache size not allowed",
      { caching: { enabled: true, clusterSizeGb: 2 as any } },
      /^caching\.clusterSizeGb: expected one of 0\.5, 1\.6, 6\.1, 13\.5, 28\.4, 58\.2, 118, 237, got 2$/,
    ],
    [
      "unknown tier on a key",
      { apiKeys: [{ name: "x", tier: "platinum" }] },
      /^apiKeys\[0\]\.tier: unknown tier "platinum": expected one of "bronze", "gold"$/,
    ],
    [
      "duplicate API key names",
      {
        apiKeys: [
          { name: "x", tier: "gold" },
          { name: "x", tier: "bronze" },
        ],
      },
      /^apiKeys\[1\]\.name: duplicate API key name "x"/,
    ],
    [
      "method throttle on an undefined method",
      { methodThrottles: { "DELETE /orders": { rateLimit: 1, burstLimit: 1 } } },
      /^methodThrottles\.DELETE \/orders: method throttle names DELETE \/orders, which is not defined/,
    ],
    [
      "malformed method key",
      { methodThrottles: { "/orders/POST": { rateLimit: 1, burstLimit: 1 } } },
      /^methodThrottles\.\/orders\/POST: expected a method key such as "GET \/items\/\{id\}"/,
    ],
    [
      "tier rate above the stage",
      { tiers: { gold: { throttle: { rateLimit: 101, burstLimit: 1 } } }, apiKeys: [] },
      /^tiers\.gold\.throttle\.rateLimit: 101 exceeds the stage throttle \(100 requests\/s\)/,
    ],
    [
      "tier burst above the stage",
      { tiers: { gold: { throttle: { rateLimit: 1, burstLimit: 51 } } }, apiKeys: [] },
      /^tiers\.gold\.throttle\.burstLimit: 51 exceeds the stage throttle burst \(50\)/,
    ],
    [
      "tier method throttle above the stage's method throttle",
      {
        tiers: {
          gold: {
            throttle: { rateLimit: 50, burstLimit: 25 },
            methodThrottles: { "POST /orders": { rateLimit: 11, burstLimit: 1 } },
          },
        },
        apiKeys: [],
      },
      /^tiers\.gold\.methodThrottles\.POST \/orders\.rateLimit: 11 exceeds the stage throttle of POST \/orders/,
    ],
    [
      "tier method throttles without a plan throttle",
      { tiers: { gold: { methodThrottles: { "GET /orders": { rateLimit: 1, burstLimit: 1 } } } }, apiKeys: [] },
      /^tiers\.gold\.throttle: required when methodThrottles is set/,
    ],
    [
      "tier method throttle on the root resource",
      {
        ...route({ "/": { GET: { integration: { type: "MOCK", timeoutMs: 100 } } } }),
        tiers: {
          gold: {
            throttle: { rateLimit: 5, burstLimit: 5 },
            methodThrottles: { "GET /": { rateLimit: 1, burstLimit: 1 } },
          },
        },
        apiKeys: [],
      },
      /^tiers\.gold\.methodThrottles\.GET \/: tier method throttles cannot address the root resource/,
    ],
    [
      "tier method throttle on a public method",
      {
        tiers: {
          gold: {
            throttle: { rateLimit: 5, burstLimit: 5 },
            methodThrottles: { "GET /health": { rateLimit: 1, burstLimit: 1 } },
          },
        },
        apiKeys: [],
      },
      /^tiers\.gold\.methodThrottles\.GET \/health: GET \/health is public/,
    ],
    [
      "cache on a POST",
      route({ "/a": { POST: { integration: { type: "MOCK", timeoutMs: 100 }, cache: {} } } }),
      /^resources\.\/a\.POST\.cache: only GET responses are cached/,
    ],
    [
      "unknown model",
      route({ "/a": { POST: { integration: { type: "MOCK", timeoutMs: 100 }, requestModel: "Nope" } } }),
      /^resources\.\/a\.POST\.requestModel: unknown model "Nope"/,
    ],
    [
      "URI placeholder that is no path parameter",
      route({
        "/a": { GET: { integration: { type: "HTTP_PROXY", timeoutMs: 100, uri: "https://x.example.com/{id}" } } },
      }),
      /^resources\.\/a\.GET\.integration\.uri: placeholder \{id\} is not a path parameter of \/a/,
    ],
    [
      "plain-HTTP backend",
      route({ "/a": { GET: { integration: { type: "HTTP_PROXY", timeoutMs: 100, uri: "http://x.example.com/" } } } }),
      /^resources\.\/a\.GET\.integration\.uri: expected an https:\/\/ URL/,
    ],
    [
      "two path parameters under one parent",
      route({
        "/a/{x}": { GET: { integration: { type: "MOCK", timeoutMs: 100 } } },
        "/a/{y}": { GET: { integration: { type: "MOCK", timeoutMs: 100 } } },
      }),
      /^resources\.\/a\/\{y\}: "\/a" already has the path parameter \{x\}/,
    ],
    [
      "certificate outside us-east-1",
      {
        distribution: {
          customDomain: {
            domainName: "a.example.com",
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
          },
        },
      },
      /^distribution\.customDomain\.certificateArn: expected an ACM certificate ARN in us-east-1/,
    ],
    [
      "regional web ACL",
      {
        distribution: {
          webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/11111111-2222-3333-4444-555555555555",
        },
      },
      /^distribution\.webAclArn: expected a WAFv2 web ACL ARN of scope CLOUDFRONT/,
    ],
    ["bad alarm topic", { alarmTopicArn: "team-alarms" }, /^alarmTopicArn: expected an SNS topic ARN/],
    [
      "datapoints above evaluation periods",
      { alarms: { evaluationPeriods: 2, datapointsToAlarm: 3 } },
      /^alarms\.datapointsToAlarm: expected at most evaluationPeriods \(2\), got 3$/,
    ],
  ];

  it.each(BAD)("%s: throws PropsError naming the field", (_case, change, expected) => {
    const problems = propsErrors(demoProps(change));
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  it("reports every problem at once", () => {
    const problems = propsErrors(
      demoProps({
        name: "Bad Name",
        throttle: { rateLimit: 20000, burstLimit: 6000 },
        apiKeys: [{ name: "x", tier: "nope" }],
      }),
    );
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "apiKeys[0].tier",
      "name",
      "throttle.burstLimit",
      "throttle.rateLimit",
    ]);
  });
});
