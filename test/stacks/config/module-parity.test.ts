/**
 * One value rule, one verdict: a bad value in env/<name>.json fails config validation (stacks/config) at the same
 * path as the module's props validation fails on the same value in its props (the config section spread into them).
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { RestApiFrontDoor } from "../../../modules/api/rest-api-front-door";
import { EventRouting } from "../../../modules/events/event-routing";
import { PropsError } from "../../../modules/shared/validation";
import { describeValue } from "../../../modules/shared/zod-problems";
import { loadEnvironments } from "../../../stacks/config/load";
import { configProblemsOf, writeEnvDir } from "../../helpers/env-fixtures";

const ACCOUNT = "111111111111";
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:alarms`;

/** A small valid API section (also valid RestApiFrontDoor props, given a topic). */
function api(): Record<string, any> {
  return {
    name: "shop",
    resources: {
      "/items": {
        GET: { integration: { type: "MOCK", timeoutMs: 500 } },
        POST: {
          requestModel: "Item",
          integration: { type: "HTTP_PROXY", uri: "https://items.example.com/items", timeoutMs: 2000 },
        },
      },
    },
    models: { Item: { type: "object" } },
    throttle: { rateLimit: 50, burstLimit: 20 },
    tiers: { small: { throttle: { rateLimit: 5, burstLimit: 2 }, quota: { limit: 1000, period: "DAY" } } },
    apiKeys: [{ name: "web", tier: "small" }],
    alarms: { serverErrors: 5 },
  };
}

/** A small valid events section whose rules are also valid EventRouting rules. */
function events(): Record<string, any> {
  return {
    defaults: { retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 600 } },
    rules: [{ name: "placed", eventPattern: { source: ["shop"] }, targets: [{ kind: "sqs", name: "orders" }] }],
  };
}

function environment(apiSection: unknown, eventsSection: unknown): Record<string, unknown> {
  return {
    owner: "shop-team",
    account: { id: ACCOUNT, region: "eu-west-1", deployRoleArn: `arn:aws:iam::${ACCOUNT}:role/deploy` },
    state: { bucket: "shop-state", key: "dev.tfstate", region: "eu-west-1" },
    api: apiSection,
    events: eventsSection,
  };
}

/** Paths of the config problems, under `section` and without its prefix. */
function configPaths(env: Record<string, unknown>, section: string): string[] {
  return configProblemsOf({ dev: env })
    .map((p) => p.path)
    .filter((p) => p.startsWith(`${section}.`))
    .map((p) => p.slice(section.length + 1))
    .sort();
}

/** Paths of the module's PropsError problems. */
function modulePaths(build: (stack: TerraformStack) => void): string[] {
  const stack = new TerraformStack(Testing.app(), "parity");
  new AwsProvider(stack, "aws", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
  try {
    build(stack);
  } catch (err) {
    if (!(err instanceof PropsError)) throw err;
    return err.problems.map((p) => p.slice(0, p.indexOf(": "))).sort();
  }
  throw new Error("expected a PropsError");
}

/** [case, path of the edit (keys, array indexes), bad value (undefined deletes), paths both layers must report] */
type Case = [string, readonly (string | number)[], unknown, string[]];

const CERT = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/4f1c2a9e-5b6d-4c3e-8a7b-1d2e3f4a5b6c`;
const REGIONAL_ACL = `arn:aws:wafv2:eu-west-1:${ACCOUNT}:regional/webacl/a/0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0`;
const headers = (n: number) => Array.from({ length: n }, (_, i) => `header.h${i}`);
const cached = (keyParameters: string[]) => ({
  integration: { type: "MOCK", timeoutMs: 500 },
  cache: { keyParameters },
});

/** [case, edits of the api section (path, bad value; undefined deletes), problems both layers must report (path: message)] */
type ApiCase = [string, ReadonlyArray<readonly [readonly (string | number)[], unknown]>, string[]];

const API_CASES: ApiCase[] = [
  ["negative rate", [[["throttle", "rateLimit"], -5]], ["throttle.rateLimit: expected a number >= 0, got -5"]],
  [
    "rate above the account throttle",
    [[["throttle", "rateLimit"], 10_001]],
    ["throttle.rateLimit: expected a number <= 10000, got 10001"],
  ],
  [
    "burst above the account throttle",
    [[["throttle", "burstLimit"], 5001]],
    ["throttle.burstLimit: expected a number <= 5000, got 5001"],
  ],
  ["fractional burst", [[["throttle", "burstLimit"], 1.5]], ["throttle.burstLimit: expected an integer, got 1.5"]],
  ["throttle of the wrong type", [[["throttle"], "fast"]], ['throttle: expected an object, got "fast"']],
  ["name missing", [[["name"], undefined]], ["name: required field is missing (expected a string)"]],
  [
    "a misspelled key",
    [[["throtle"], { rateLimit: 1, burstLimit: 1 }]],
    ['throtle: unknown field (did you mean "throttle"?)'],
  ],
  [
    "an unknown key in a method",
    [[["resources", "/items", "GET", "cached"], true]],
    ['resources./items.GET.cached: unknown field (did you mean "cache"?)'],
  ],
  [
    "unknown integration type",
    [[["resources", "/items", "GET", "integration", "type"], "LAMBDA"]],
    [
      'resources./items.GET.integration.type: expected an integration with type "MOCK", "HTTP_PROXY" or "SQS", got an object',
    ],
  ],
  [
    "quota limit below 0",
    [[["tiers", "small", "quota", "limit"], -1]],
    ["tiers.small.quota.limit: expected a number >= 0, got -1"],
  ],
  [
    "quota period",
    [[["tiers", "small", "quota", "period"], "YEAR"]],
    ['tiers.small.quota.period: expected one of "DAY", "WEEK", "MONTH", got "YEAR"'],
  ],
  [
    "quota offset not below its limit",
    [[["tiers", "small", "quota", "offset"], 1000]],
    ["tiers.small.quota.offset: expected an offset below the quota limit 1000, got 1000"],
  ],
  [
    "a key in an unknown tier",
    [[["apiKeys", 0, "tier"], "platinum"]],
    ['apiKeys[0].tier: unknown tier "platinum": expected one of "small"'],
  ],
  [
    "server errors above the alarm's limit (issue 10)",
    [[["alarms", "serverErrors"], 2_000_000]],
    ["alarms.serverErrors: expected a number <= 1000000, got 2000000"],
  ],
  [
    "timeout below 50 ms",
    [[["resources", "/items", "GET", "integration", "timeoutMs"], 49]],
    ["resources./items.GET.integration.timeoutMs: expected a number >= 50, got 49"],
  ],
  [
    "timeout above 29 s",
    [[["resources", "/items", "GET", "integration", "timeoutMs"], 29_001]],
    ["resources./items.GET.integration.timeoutMs: expected a number <= 29000, got 29001"],
  ],
  [
    "cache TTL above an hour",
    [[["resources", "/items", "GET", "cache"], { ttlSeconds: 3601 }]],
    ["resources./items.GET.cache.ttlSeconds: expected a number <= 3600, got 3601"],
  ],
  [
    "cache cluster size not offered",
    [[["caching"], { enabled: true, clusterSizeGb: 2 }]],
    ["caching.clusterSizeGb: expected one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237, got 2"],
  ],
  [
    "log retention not a CloudWatch value",
    [[["accessLogs"], { retentionDays: 10 }]],
    [
      "accessLogs.retentionDays: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 10",
    ],
  ],
  [
    "a log key alias (log groups take a key ARN)",
    [[["accessLogs"], { kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/logs` }]],
    [
      `accessLogs.kmsKeyArn: expected a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/<uuid> (not an alias), got "arn:aws:kms:eu-west-1:${ACCOUNT}:alias/logs"`,
    ],
  ],
  [
    "malformed resource path",
    [[["resources", "items"], { GET: { integration: { type: "MOCK", timeoutMs: 500 } } }]],
    [
      "resources.items: expected a resource path such as /items/{id} (segments of letters, digits, '.', '_', '~', '-' or {param}), got \"items\"",
    ],
  ],
  [
    "malformed method key",
    [[["methodThrottles"], { "items/POST": { rateLimit: 1, burstLimit: 1 } }]],
    ['methodThrottles.items/POST: expected a method key such as "GET /items/{id}" (METHOD, one space, resource path)'],
  ],
  [
    "model name with a dash",
    [[["models", "new-item"], { type: "object" }]],
    ['models.new-item: expected a model name of letters and digits, got "new-item"'],
  ],
  [
    "unknown model",
    [[["resources", "/items", "POST", "requestModel"], "Order"]],
    ['resources./items.POST.requestModel: unknown model "Order": expected one of the models (Item)'],
  ],
  [
    "a tier above the stage",
    [[["tiers", "small", "throttle", "rateLimit"], 51]],
    [
      "tiers.small.throttle.rateLimit: 51 exceeds the stage throttle (50 requests/s): a tier can never get more than the stage allows",
    ],
  ],
  [
    "ten header cache keys at the edge",
    [
      [["caching"], { enabled: true, layer: "edge" }],
      [["resources", "/items", "GET"], cached(headers(10))],
    ],
    [
      "resources./items.GET.cache.keyParameters: edge caching allows at most 9 header and 10 query-string key parameters (x-api-key is always in the key)",
    ],
  ],
  [
    "eleven query-string cache keys at the edge",
    [
      [["caching"], { enabled: true, layer: "edge" }],
      [["resources", "/items", "GET"], cached(Array.from({ length: 11 }, (_, i) => `querystring.q${i}`))],
    ],
    [
      "resources./items.GET.cache.keyParameters: edge caching allows at most 9 header and 10 query-string key parameters (x-api-key is always in the key)",
    ],
  ],
  [
    "an async route's queue receiving more often than SQS allows",
    [
      [
        ["resources", "/orders"],
        {
          POST: {
            requestModel: "Item",
            integration: { type: "SQS", timeoutMs: 1000, queue: { maxReceiveCount: 1001 } },
          },
        },
      ],
    ],
    ["resources./orders.POST.integration.queue.maxReceiveCount: expected a number <= 1000, got 1001"],
  ],
  [
    "upper-case custom domain",
    [[["distribution"], { customDomain: { domainName: "API.example.com", certificateArn: CERT } }]],
    [
      'distribution.customDomain.domainName: expected a lower-case domain name such as api.example.com, got "API.example.com"',
    ],
  ],
  [
    "certificate outside us-east-1",
    [
      [
        ["distribution"],
        { customDomain: { domainName: "api.example.com", certificateArn: CERT.replace("us-east-1", "eu-west-1") } },
      ],
    ],
    [
      `distribution.customDomain.certificateArn: expected an ACM certificate ARN in us-east-1 (CloudFront only uses certificates there), got ${describeValue(CERT.replace("us-east-1", "eu-west-1"))}`,
    ],
  ],
  [
    "hosted zone id",
    [
      [
        ["distribution"],
        { customDomain: { domainName: "api.example.com", certificateArn: CERT, hostedZoneId: "zone1" } },
      ],
    ],
    ['distribution.customDomain.hostedZoneId: expected a Route 53 hosted zone id such as Z0123456789ABC, got "zone1"'],
  ],
  [
    "regional web ACL",
    [[["distribution"], { webAclArn: REGIONAL_ACL }]],
    [
      `distribution.webAclArn: expected a WAFv2 web ACL ARN of scope CLOUDFRONT (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>), got ${describeValue(REGIONAL_ACL)}`,
    ],
  ],
];

const EVENTS_CASES: Case[] = [
  ["unknown target kind", ["rules", 0, "targets", 0, "kind"], "sns", ["rules[0].targets[0].kind"]],
  ["target name missing", ["rules", 0, "targets", 0, "name"], undefined, ["rules[0].targets[0].name"]],
  ["a misspelled target key", ["rules", 0, "targets", 0, "queeu"], {}, ["rules[0].targets[0].queeu"]],
  ["rule name not lower case", ["rules", 0, "name"], "Placed", ["rules[0].name"]],
  [
    "queue visibility out of range",
    ["rules", 0, "targets", 0, "queue"],
    { visibilityTimeoutSeconds: 50000 },
    ["rules[0].targets[0].queue.visibilityTimeoutSeconds"],
  ],
];

/** Problems of the config as `path: message`, under `section` and without its prefix. */
function configProblems(env: Record<string, unknown>, section: string): string[] {
  return configProblemsOf({ dev: env })
    .filter((p) => p.path.startsWith(`${section}.`))
    .map((p) => `${p.path.slice(section.length + 1)}: ${p.message}`)
    .sort();
}

/** The module's PropsError problems (`path: message`). */
function moduleProblems(build: (stack: TerraformStack) => void): string[] {
  const stack = new TerraformStack(Testing.app(), "parity");
  new AwsProvider(stack, "aws", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
  try {
    build(stack);
  } catch (err) {
    if (!(err instanceof PropsError)) throw err;
    return [...err.problems].sort();
  }
  throw new Error("expected a PropsError");
}

/** The section with the value at `path` replaced (deleted when undefined). */
function edit(section: Record<string, any>, path: readonly (string | number)[], value: unknown): Record<string, any> {
  let cur: any = section;
  for (const part of path.slice(0, -1)) cur = cur[part];
  const last = path[path.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return section;
}

describe("config and module agree on the path of every bad value", () => {
  it("the fixtures are valid in both layers", () => {
    expect(loadEnvironments(writeEnvDir({ dev: environment(api(), events()) }))).toHaveLength(1);
    const stack = new TerraformStack(Testing.app(), "ok");
    new AwsProvider(stack, "aws", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
    new RestApiFrontDoor(stack, "api", { ...(api() as any), alarmTopicArn: TOPIC });
    new EventRouting(stack, "events", { namePrefix: "dev", alarmTopicArn: TOPIC, rules: events().rules });
  });

  it.each(API_CASES)("api: %s: the same path and message in both layers", (_name, edits, expected) => {
    const bad = () => edits.reduce((section, [path, value]) => edit(section, path, value), api());
    expect(configProblems(environment(bad(), events()), "api")).toEqual([...expected].sort());
    expect(moduleProblems((s) => new RestApiFrontDoor(s, "api", { ...(bad() as any), alarmTopicArn: TOPIC }))).toEqual(
      [...expected].sort(),
    );
  });

  it.each(EVENTS_CASES)("events: %s", (_name, path, value, expected) => {
    expect(configPaths(environment(api(), edit(events(), path, value)), "events")).toEqual(expected);
    const rules = edit(events(), path, value).rules;
    expect(
      modulePaths((s) => new EventRouting(s, "events", { namePrefix: "dev", alarmTopicArn: TOPIC, rules })),
    ).toEqual(expected);
  });
});
