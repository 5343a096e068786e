import { formatProblem } from "../../../stacks/config/errors";
import { loadEnvironments } from "../../../stacks/config/load";
import { FIXTURE_ENV_DIR, configProblemsOf, exampleConfig, writeEnvDir } from "../../helpers/env-fixtures";

const problemsOf = configProblemsOf;

/** Applies `edit` to a copy of an example environment's config. */
function edited(env: "dev" | "staging" | "prod", edit: (api: any) => void): Record<string, any> {
  const config = exampleConfig(env);
  edit(config.api);
  return config;
}

/** [case, env, edit of its api section, field path expected, message expected] */
const BAD_CASES: Array<[string, "dev" | "staging" | "prod", (api: any) => void, string, RegExp]> = [
  [
    "unknown tier on a key",
    "dev",
    (a) => (a.apiKeys[0].tier = "platinum"),
    "api.apiKeys[0].tier",
    /unknown tier "platinum": expected one of "small", "medium", "large"/,
  ],
  [
    "duplicate API key names",
    "dev",
    (a) => a.apiKeys.push({ name: "mobile-app", tier: "small" }),
    "api.apiKeys[3].name",
    /duplicate API key name "mobile-app" \(also apiKeys\[0\]\)/,
  ],
  [
    "stage method throttle on an undefined method",
    "dev",
    (a) => (a.methodThrottles["PUT /items"] = { rateLimit: 1, burstLimit: 1 }),
    "api.methodThrottles.PUT /items",
    /names PUT \/items, which is not defined in resources/,
  ],
  [
    "tier method throttle on an undefined method",
    "prod",
    (a) => (a.tiers.small.methodThrottles["GET /orders"] = { rateLimit: 1, burstLimit: 1 }),
    "api.tiers.small.methodThrottles.GET /orders",
    /not defined in resources/,
  ],
  [
    "malformed method key",
    "dev",
    (a) => (a.methodThrottles["items/POST"] = { rateLimit: 1, burstLimit: 1 }),
    "api.methodThrottles.items/POST",
    /expected a method key such as "GET \/items\/\{id\}"/,
  ],
  [
    "cache size not in the allowed list",
    "staging",
    (a) => (a.caching.clusterSizeGb = 1),
    "api.caching.clusterSizeGb",
    /expected one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237, got 1/,
  ],
  [
    "TTL above 3600",
    "prod",
    (a) => (a.resources["/items"].GET.cache.ttlSeconds = 7200),
    "api.resources./items.GET.cache.ttlSeconds",
    /expected a number <= 3600, got 7200/,
  ],
  [
    "TTL below 0",
    "prod",
    (a) => (a.resources["/items"].GET.cache.ttlSeconds = -1),
    "api.resources./items.GET.cache.ttlSeconds",
    /expected a number >= 0, got -1/,
  ],
  [
    "tier rate above the stage",
    "dev",
    (a) => (a.tiers.large.throttle.rateLimit = 51),
    "api.tiers.large.throttle.rateLimit",
    /51 exceeds the stage throttle \(50 requests\/s\)/,
  ],
  [
    "tier burst above the stage",
    "staging",
    (a) => (a.tiers.large.throttle.burstLimit = 101),
    "api.tiers.large.throttle.burstLimit",
    /101 exceeds the stage throttle burst \(100\)/,
  ],
  [
    "tier method throttle above the stage's method throttle",
    "dev",
    (a) => (a.tiers.small.methodThrottles["POST /items"].rateLimit = 6),
    "api.tiers.small.methodThrottles.POST /items.rateLimit",
    /6 exceeds the stage throttle of POST \/items \(5 requests\/s\)/,
  ],
  [
    "tier method throttle on the root resource",
    "dev",
    (a) => {
      a.resources["/"] = { GET: { integration: { type: "MOCK", timeoutMs: 100 } } };
      a.tiers.small.methodThrottles["GET /"] = { rateLimit: 1, burstLimit: 1 };
    },
    "api.tiers.small.methodThrottles.GET /",
    /cannot address the root resource/,
  ],
  [
    "tier method throttles without a plan throttle",
    "dev",
    (a) => delete a.tiers.small.throttle,
    "api.tiers.small.throttle",
    /required when methodThrottles is set/,
  ],
  [
    "timeout below 50 ms",
    "dev",
    (a) => (a.resources["/health"].GET.integration.timeoutMs = 49),
    "api.resources./health.GET.integration.timeoutMs",
    /expected a number >= 50, got 49/,
  ],
  [
    "timeout above 29 s",
    "prod",
    (a) => (a.resources["/items/{id}"].GET.integration.timeoutMs = 29001),
    "api.resources./items/{id}.GET.integration.timeoutMs",
    /expected a number <= 29000, got 29001/,
  ],
  [
    "timeout missing",
    "dev",
    (a) => delete a.resources["/health"].GET.integration.timeoutMs,
    "api.resources./health.GET.integration.timeoutMs",
    /required field is missing/,
  ],
  [
    "cache on a non-GET method",
    "dev",
    (a) => (a.resources["/items"].POST.cache = { ttlSeconds: 10 }),
    "api.resources./items.POST.cache",
    /only GET responses are cached/,
  ],
  [
    "unknown request model",
    "dev",
    (a) => (a.resources["/items"].POST.requestModel = "Item"),
    "api.resources./items.POST.requestModel",
    /unknown model "Item"/,
  ],
  [
    "unknown HTTP method",
    "dev",
    (a) => (a.resources["/items"].FETCH = a.resources["/items"].GET),
    "api.resources./items.FETCH",
    /unknown field/,
  ],
  [
    "malformed resource path",
    "dev",
    (a) => {
      a.resources.items = a.resources["/items"];
    },
    "api.resources.items",
    /expected a resource path such as \/items\/\{id\} \(segments of letters, digits, '\.', '_', '~', '-' or \{param\}\), got "items"/,
  ],
  [
    "unknown integration type",
    "dev",
    (a) => (a.resources["/health"].GET.integration.type = "LAMDBA"),
    "api.resources./health.GET.integration.type",
    /expected an integration type of "MOCK", "HTTP_PROXY", "SQS", "LAMBDA", got "LAMDBA"/,
  ],
  [
    "plain-HTTP backend",
    "dev",
    (a) => (a.resources["/items/{id}"].DELETE.integration.uri = "http://catalog.example.com/items/{id}"),
    "api.resources./items/{id}.DELETE.integration.uri",
    /expected an https:\/\/ URL/,
  ],
  [
    "quota period",
    "dev",
    (a) => (a.tiers.small.quota.period = "YEAR"),
    "api.tiers.small.quota.period",
    /expected one of "DAY", "WEEK", "MONTH", got "YEAR"/,
  ],
  [
    "negative rate",
    "dev",
    (a) => (a.throttle.rateLimit = -5),
    "api.throttle.rateLimit",
    /expected a number >= 0, got -5/,
  ],
  [
    "certificate outside us-east-1",
    "staging",
    (a) =>
      (a.distribution.customDomain.certificateArn =
        "arn:aws:acm:eu-west-1:222222222222:certificate/4f1c2a9e-5b6d-4c3e-8a7b-1d2e3f4a5b6c"),
    "api.distribution.customDomain.certificateArn",
    /in us-east-1/,
  ],
  [
    "regional web ACL",
    "prod",
    (a) =>
      (a.distribution.webAclArn =
        "arn:aws:wafv2:eu-west-1:333333333333:regional/webacl/x/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"),
    "api.distribution.webAclArn",
    /scope CLOUDFRONT/,
  ],
  [
    "unknown caching layer",
    "prod",
    (a) => (a.caching.layer = "browser"),
    "api.caching.layer",
    /expected one of "api-gateway", "edge", got "browser"/,
  ],
  [
    "log retention not a CloudWatch value",
    "dev",
    (a) => (a.accessLogs.retentionDays = 10),
    "api.accessLogs.retentionDays",
    /expected one of 1, 3, 5, 7, 14, 30/,
  ],
  ["unknown field in a tier", "dev", (a) => (a.tiers.small.rate = 5), "api.tiers.small.rate", /unknown field/],
  [
    "caching without enabled (the config's own rule: an environment states whether it caches)",
    "staging",
    (a) => delete a.caching.enabled,
    "api.caching.enabled",
    /^required field is missing \(expected a boolean\)$/,
  ],
];

describe("api config section", () => {
  it("the example environments are valid", () => {
    const loaded = loadEnvironments(FIXTURE_ENV_DIR);
    expect(loaded.map((e) => e.config.api?.name)).toEqual(["edge-demo", "edge-demo", "edge-demo"]);
  });

  it("the section is optional: an environment without an API loads", () => {
    const dev = exampleConfig("dev");
    delete dev.api;
    expect(() => loadEnvironments(writeEnvDir({ dev }))).not.toThrow();
  });

  it.each(BAD_CASES)("%s: fails naming the file and the field", (_case, env, edit, field, message) => {
    const problems = problemsOf({ [env]: edited(env, edit) });
    expect(problems).toEqual([
      expect.objectContaining({ file: `${env}.json`, path: field, message: expect.stringMatching(message) }),
    ]);
  });

  it("a stage method throttle and caching may address the root resource", () => {
    const prod = edited("prod", (a) => {
      a.resources["/"] = { GET: { integration: { type: "MOCK", timeoutMs: 100 }, cache: { ttlSeconds: 10 } } };
      a.methodThrottles["GET /"] = { rateLimit: 1, burstLimit: 1 };
    });
    expect(() => loadEnvironments(writeEnvDir({ prod }))).not.toThrow();
  });

  it("formats as <file>: <field path>: <expectation>", () => {
    const [problem] = problemsOf({ dev: edited("dev", (a) => (a.apiKeys[1].tier = "gold")) });
    expect(formatProblem(problem)).toBe(
      'dev.json: api.apiKeys[1].tier: unknown tier "gold": expected one of "small", "medium", "large"',
    );
  });

  it("reports several cross-field problems of one file at once", () => {
    const problems = problemsOf({
      prod: edited("prod", (a) => {
        a.apiKeys[0].tier = "nope";
        a.apiKeys[2].name = a.apiKeys[1].name;
        a.tiers.large.throttle.rateLimit = 5000;
        a.methodThrottles["GET /nothing"] = { rateLimit: 1, burstLimit: 1 };
      }),
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      "api.apiKeys[0].tier",
      "api.apiKeys[2].name",
      "api.methodThrottles.GET /nothing",
      "api.tiers.large.throttle.rateLimit",
    ]);
  });
});
