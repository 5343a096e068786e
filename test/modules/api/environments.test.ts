import { MANAGED_POLICY_IDS } from "../../../modules/api/api-distribution";
import { exampleConfig } from "../../helpers/env-fixtures";
import { environmentJson, type TerraformJson } from "../../helpers/synth";
import { all, one, ref, TAGGABLE } from "./fixtures";

const ENVS = ["dev", "staging", "prod"] as const;
type Env = (typeof ENVS)[number];
const json = (env: Env): TerraformJson => environmentJson(env);
const config = (env: Env) => exampleConfig(env).api;
const apiResources = (j: TerraformJson, type: string) =>
  all(j, type).filter((r) => JSON.stringify(r).includes("aws_api_gateway_rest_api") || r.tags?.api === "edge-demo");

describe("API front door in each environment (env/<name>.json -> synthesized JSON)", () => {
  it.each(ENVS)("%s: one REGIONAL REST API with every configured method; only public ones skip the API key", (env) => {
    const j = json(env);
    expect(one(j, "aws_api_gateway_rest_api")).toMatchObject({
      name: config(env).name,
      endpoint_configuration: { types: ["REGIONAL"] },
    });
    const expected: Array<[string, boolean]> = [];
    for (const [path, methods] of Object.entries<any>(config(env).resources)) {
      for (const [method, def] of Object.entries<any>(methods))
        expected.push([`${method} ${path}`, def.public !== true]);
    }
    const methods = all(j, "aws_api_gateway_method");
    expect(methods).toHaveLength(expected.length);
    expect(methods.filter((m) => m.api_key_required === false).map((m) => m.operation_name)).toEqual(["getHealth"]);
  });

  it.each(ENVS)("%s: every integration has the configured timeout_milliseconds", (env) => {
    const configured: number[] = [];
    for (const methods of Object.values<any>(config(env).resources))
      for (const def of Object.values<any>(methods)) configured.push(def.integration.timeoutMs);
    const synthesized = all(json(env), "aws_api_gateway_integration").map((i) => i.timeout_milliseconds);
    expect(synthesized.sort()).toEqual(configured.sort());
    expect(synthesized.every((t) => Number.isInteger(t))).toBe(true);
  });

  it.each(ENVS)("%s: stage-wide and per-method throttles from config, metrics on, data trace off", (env) => {
    const j = json(env);
    const c = config(env);
    const stageWide = one(j, "aws_api_gateway_method_settings", (s) => s.method_path === "*/*").settings;
    expect(stageWide).toMatchObject({
      throttling_rate_limit: c.throttle.rateLimit,
      throttling_burst_limit: c.throttle.burstLimit,
      metrics_enabled: true,
      data_trace_enabled: false,
      logging_level: "ERROR",
    });
    for (const [key, t] of Object.entries<any>(c.methodThrottles)) {
      const [method, path] = key.split(" ");
      const s = one(
        j,
        "aws_api_gateway_method_settings",
        (x) => x.method_path === `${path.replace(/\//g, "~1")}/${method}`,
      ).settings;
      expect(s).toMatchObject({ throttling_rate_limit: t.rateLimit, throttling_burst_limit: t.burstLimit });
    }
  });

  it("throttles and tiers differ per environment", () => {
    const rate = (env: Env) =>
      one(json(env), "aws_api_gateway_method_settings", (s) => s.method_path === "*/*").settings.throttling_rate_limit;
    expect(new Set(ENVS.map(rate)).size).toBe(3);
    const large = (env: Env) =>
      one(json(env), "aws_api_gateway_usage_plan", (p) => p.name === "edge-demo-large").throttle_settings.rate_limit;
    expect(new Set(ENVS.map(large)).size).toBe(3);
  });

  it.each(ENVS)(
    "%s: usage plans small/medium/large with config throttles, quotas and per-method throttles, on the stage",
    (env) => {
      const j = json(env);
      const stage = ref(j, "aws_api_gateway_stage", () => true, "stage_name");
      const restApi = ref(j, "aws_api_gateway_rest_api", () => true, "id");
      expect(
        all(j, "aws_api_gateway_usage_plan")
          .map((p) => p.name)
          .sort(),
      ).toEqual(["edge-demo-large", "edge-demo-medium", "edge-demo-small"]);
      for (const [tier, t] of Object.entries<any>(config(env).tiers)) {
        const plan = one(j, "aws_api_gateway_usage_plan", (p) => p.name === `edge-demo-${tier}`);
        expect(plan.throttle_settings).toEqual({
          rate_limit: t.throttle.rateLimit,
          burst_limit: t.throttle.burstLimit,
        });
        expect(plan.quota_settings).toEqual({
          limit: t.quota.limit,
          period: t.quota.period,
          offset: t.quota.offset ?? 0,
        });
        const throttles = Object.entries<any>(t.methodThrottles ?? {}).map(([key, m]) => {
          const [method, path] = key.split(" ");
          return { path: `${path}/${method}`, rate_limit: m.rateLimit, burst_limit: m.burstLimit };
        });
        expect(plan.api_stages).toEqual([
          { api_id: restApi, stage, ...(throttles.length ? { throttle: throttles } : {}) },
        ]);
        // AWS needs the plan-level throttle wherever per-method plan throttles exist.
        if (throttles.length) expect(plan.throttle_settings).toBeDefined();
      }
    },
  );

  it.each(ENVS)("%s: one API key per consumer, linked to its tier's plan", (env) => {
    const j = json(env);
    const keys = config(env).apiKeys as Array<{ name: string; tier: string }>;
    const links = all(j, "aws_api_gateway_usage_plan_key");
    expect(links).toHaveLength(keys.length);
    for (const k of keys) {
      expect(links).toContainEqual({
        key_id: ref(j, "aws_api_gateway_api_key", (x) => x.name === `edge-demo-${k.name}`, "id"),
        key_type: "API_KEY",
        usage_plan_id: ref(j, "aws_api_gateway_usage_plan", (p) => p.name === `edge-demo-${k.tier}`, "id"),
      });
    }
  });

  it.each(ENVS)(
    "%s: request validators and JSON-schema models for methods with bodies and required parameters",
    (env) => {
      const j = json(env);
      expect(
        all(j, "aws_api_gateway_model")
          .map((m) => m.name)
          .sort(),
      ).toEqual(Object.keys(config(env).models).sort());
      const postItems = one(j, "aws_api_gateway_method", (m) => m.operation_name === "postItems");
      expect(postItems.request_validator_id).toBe(
        ref(j, "aws_api_gateway_request_validator", (v) => v.name === "body-and-parameters", "id"),
      );
      expect(postItems.request_models["application/json"]).toBe(
        ref(j, "aws_api_gateway_model", (m) => m.name === "NewItem", "name"),
      );
      const postReviews = one(j, "aws_api_gateway_method", (m) => m.operation_name === "postItemsByIdReviews");
      expect(postReviews.request_validator_id).toBe(
        ref(j, "aws_api_gateway_request_validator", (v) => v.name === "body", "id"),
      );
    },
  );

  it.each(ENVS)(
    "%s: deployment redeploys on change (hash trigger, create_before_destroy); stage traces, logs JSON with the configured retention",
    (env) => {
      const j = json(env);
      const deployment = one(j, "aws_api_gateway_deployment");
      expect(deployment).toMatchObject({
        lifecycle: { create_before_destroy: true },
        triggers: { redeployment: expect.stringMatching(/^[0-9a-f]{64}$/) },
      });
      const stage = one(j, "aws_api_gateway_stage");
      expect(stage).toMatchObject({
        stage_name: "v1",
        xray_tracing_enabled: true,
        deployment_id: ref(j, "aws_api_gateway_deployment", () => true, "id"),
      });
      expect(() => JSON.parse(stage.access_log_settings.format)).not.toThrow();
      const logGroup = one(j, "aws_cloudwatch_log_group", (g) => g.name === "/aws/apigateway/edge-demo/v1/access");
      expect(logGroup.retention_in_days).toBe(config(env).accessLogs.retentionDays);
      expect(one(j, "aws_api_gateway_account").cloudwatch_role_arn).toMatch(
        /^\$\{aws_iam_role\.api-gateway-account-logging_role_[^.]+\.arn\}$/,
      );
    },
  );

  it.each(ENVS)("%s: API alarms publish to the environment's alarm topic", (env) => {
    const j = json(env);
    const topic = ref(j, "aws_sns_topic", (t) => t.name === `${env}-platform-alarms`, "arn");
    const alarms = all(j, "aws_cloudwatch_metric_alarm").filter((a) => a.alarm_name.startsWith("edge-demo-v1-"));
    const expected = ["edge-demo-v1-4xx-rate", "edge-demo-v1-5xx-errors", "edge-demo-v1-latency-p99"];
    if (config(env).caching.enabled) expected.push("edge-demo-v1-cache-hit-ratio");
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(expected.sort());
    for (const a of alarms) expect(a).toMatchObject({ alarm_actions: [topic], ok_actions: [topic] });
    const latency = alarms.find((a) => a.alarm_name.endsWith("latency-p99"))!;
    expect(latency.threshold).toBe(config(env).alarms.latencyP99Ms);
  });

  it.each(ENVS)(
    "%s: CloudFront in front: HTTPS to the stage, viewers redirected, Host not forwarded, errors not cached",
    (env) => {
      const j = json(env);
      const d = one(j, "aws_cloudfront_distribution");
      expect(d.origin[0]).toMatchObject({
        origin_path: "/v1",
        custom_origin_config: { origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] },
      });
      expect(d.origin[0].domain_name).toContain(".execute-api.");
      expect(d.default_cache_behavior).toMatchObject({
        viewer_protocol_policy: "redirect-to-https",
        origin_request_policy_id: MANAGED_POLICY_IDS.allViewerExceptHostHeader,
        cache_policy_id: MANAGED_POLICY_IDS.cachingDisabled,
      });
      expect(d.custom_error_response.every((e: any) => e.error_caching_min_ttl === 0)).toBe(true);
      expect(d.price_class).toBe(config(env).distribution?.priceClass ?? "PriceClass_100");
    },
  );

  it.each(ENVS)("%s: every taggable API resource is tagged", (env) => {
    const j = json(env);
    for (const type of TAGGABLE) {
      for (const r of apiResources(j, type)) expect(r.tags).toMatchObject({ api: "edge-demo" });
    }
    // The environment's provider default tags add environment, owner, managed-by on top.
    expect(j.provider.aws[0].default_tags[0].tags).toMatchObject({ environment: env });
  });

  it.each(ENVS)("%s: outputs the public URL, the stage URL, plan ids and key ids", (env) => {
    expect(Object.keys(json(env).output ?? {})).toEqual(
      expect.arrayContaining(["api-url", "api-invoke-url", "api-usage-plan-ids", "api-key-ids"]),
    );
  });

  describe("dev: caching off", () => {
    it("no cache cluster, no cached method, no cache key, no edge cache policy, no hit-ratio alarm", () => {
      const j = json("dev");
      expect(config("dev").caching.enabled).toBe(false);
      expect(one(j, "aws_api_gateway_stage")).toMatchObject({ cache_cluster_enabled: false });
      expect(one(j, "aws_api_gateway_stage").cache_cluster_size).toBeUndefined();
      expect(all(j, "aws_api_gateway_method_settings").every((s) => s.settings.caching_enabled === false)).toBe(true);
      expect(all(j, "aws_api_gateway_integration").every((i) => i.cache_key_parameters === undefined)).toBe(true);
      expect(all(j, "aws_cloudfront_cache_policy")).toEqual([]);
    });

    it("no custom domain: the cloudfront.net certificate, no aliases, no WAF", () => {
      const d = one(json("dev"), "aws_cloudfront_distribution");
      expect(d.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
      expect(d.aliases).toBeUndefined();
      expect(d.web_acl_id).toBeUndefined();
    });
  });

  it("staging: a nested method's stage throttle is keyed ~1items~1{id}~1reviews/POST (escaped, as API Gateway stores it)", () => {
    const s = one(
      json("staging"),
      "aws_api_gateway_method_settings",
      (x) => x.method_path === "~1items~1{id}~1reviews/POST",
    ).settings;
    expect(s).toMatchObject({ throttling_rate_limit: 20, throttling_burst_limit: 10 });
  });

  describe("staging: caching in API Gateway only", () => {
    it("0.5 GB encrypted cache; cached GETs with their TTL; CloudFront caches nothing", () => {
      const j = json("staging");
      expect(one(j, "aws_api_gateway_stage")).toMatchObject({ cache_cluster_enabled: true, cache_cluster_size: "0.5" });
      expect(one(j, "aws_api_gateway_method_settings", (s) => s.method_path === "~1items/GET").settings).toMatchObject({
        caching_enabled: true,
        cache_ttl_in_seconds: 60,
        cache_data_encrypted: true,
        require_authorization_for_cache_control: true,
        unauthorized_cache_control_header_strategy: "SUCCEED_WITHOUT_RESPONSE_HEADER",
      });
      expect(
        one(j, "aws_api_gateway_method_settings", (s) => s.method_path === "~1items~1{id}/GET").settings,
      ).toMatchObject({ caching_enabled: true, cache_ttl_in_seconds: 300 });
      expect(
        one(
          j,
          "aws_api_gateway_integration",
          (i) => i.uri === "https://catalog.example.com/items/{id}" && i.integration_http_method === "GET",
        ).cache_key_parameters,
      ).toEqual(["method.request.path.id", "method.request.header.x-api-key", "method.request.header.Accept-Language"]);
      expect(all(j, "aws_cloudfront_cache_policy")).toEqual([]);
      expect(one(j, "aws_cloudfront_distribution").ordered_cache_behavior).toBeUndefined();
    });

    it("custom domain with a us-east-1 certificate and TLS 1.2 minimum, DNS managed elsewhere", () => {
      const j = json("staging");
      const domain = config("staging").distribution.customDomain;
      expect(one(j, "aws_cloudfront_distribution")).toMatchObject({
        aliases: [domain.domainName],
        viewer_certificate: {
          acm_certificate_arn: domain.certificateArn,
          minimum_protocol_version: "TLSv1.2_2021",
          ssl_support_method: "sni-only",
        },
      });
      expect(all(j, "aws_route53_record")).toEqual([]);
    });
  });

  describe("prod: caching at the edge too", () => {
    it("1.6 GB cache cluster; CloudFront caches the cached GET routes with x-api-key and key parameters in the key", () => {
      const j = json("prod");
      expect(one(j, "aws_api_gateway_stage")).toMatchObject({ cache_cluster_enabled: true, cache_cluster_size: "1.6" });
      const items = one(j, "aws_cloudfront_cache_policy", (p) => /^edge-demo-items-[0-9a-f]{8}-get$/.test(p.name));
      expect(items).toMatchObject({ default_ttl: 60, max_ttl: 60 });
      expect(items.parameters_in_cache_key_and_forwarded_to_origin).toMatchObject({
        headers_config: { header_behavior: "whitelist", headers: { items: ["x-api-key"] } },
        query_strings_config: { query_string_behavior: "whitelist", query_strings: { items: ["page"] } },
      });
      const byId = one(j, "aws_cloudfront_cache_policy", (p) => /^edge-demo-items-id-[0-9a-f]{8}-get$/.test(p.name));
      expect(byId.parameters_in_cache_key_and_forwarded_to_origin.headers_config.headers.items).toEqual([
        "x-api-key",
        "accept-language",
      ]);
      const behaviours = one(j, "aws_cloudfront_distribution").ordered_cache_behavior.map((b: any) => [
        b.path_pattern,
        b.cache_policy_id,
        b.cached_methods,
      ]);
      expect(behaviours).toEqual([
        ["/items/*/reviews", MANAGED_POLICY_IDS.cachingDisabled, ["GET", "HEAD"]],
        [
          "/items/*",
          ref(j, "aws_cloudfront_cache_policy", (p) => /^edge-demo-items-id-[0-9a-f]{8}-get$/.test(p.name), "id"),
          ["GET", "HEAD"],
        ],
        [
          "/items",
          ref(j, "aws_cloudfront_cache_policy", (p) => /^edge-demo-items-[0-9a-f]{8}-get$/.test(p.name), "id"),
          ["GET", "HEAD"],
        ],
      ]);
    });

    it("custom domain with Route 53 alias records and the WAF web ACL", () => {
      const j = json("prod");
      const dist = config("prod").distribution;
      expect(one(j, "aws_cloudfront_distribution")).toMatchObject({
        aliases: [dist.customDomain.domainName],
        web_acl_id: dist.webAclArn,
        price_class: "PriceClass_All",
      });
      expect(
        all(j, "aws_route53_record")
          .map((r) => [r.type, r.zone_id, r.name])
          .sort(),
      ).toEqual([
        ["A", dist.customDomain.hostedZoneId, dist.customDomain.domainName],
        ["AAAA", dist.customDomain.hostedZoneId, dist.customDomain.domainName],
      ]);
    });

    it("alarm evaluation follows config (1-minute periods, 3 of 5)", () => {
      const alarm = one(json("prod"), "aws_cloudwatch_metric_alarm", (a) => a.alarm_name === "edge-demo-v1-5xx-errors");
      expect(alarm).toMatchObject({ period: 60, evaluation_periods: 5, datapoints_to_alarm: 3, threshold: 5 });
    });
  });
});
