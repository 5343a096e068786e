/**
 * One value rule, one verdict: a bad value in env/<name>.json fails config validation (stacks/config) at the same
 * path as the module's props validation fails on the same value in its props (the config section spread into them).
 */
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktn";
import { DEFAULTS, LIMITS, type OptionsError, validateOptions } from "../../../lambdas/redrive/engine/options";
import { AlarmTopic } from "../../../modules/alarms/alarm-topic";
import { RestApiFrontDoor } from "../../../modules/api/rest-api-front-door";
import { QueueConsumer } from "../../../modules/consumer/queue-consumer";
import { EventRouting } from "../../../modules/events/event-routing";
import { RedriveFunction } from "../../../modules/redrive/redrive-function";
import {
  REDRIVE_DEFAULTS,
  REDRIVE_LIMITS,
  REDRIVE_RUN_DEFAULTS,
} from "../../../modules/shared/contract/redrive-limits";
import { PropsError } from "../../../modules/shared/validation";
import {
  dlqOldestMessageAgeSchema,
  eventArchiveSchema,
  eventBusSchema,
  eventRoutingPropsSchema,
  eventRulesSchema,
  maxReceiveCountSchema,
  queueEncryptionSchema,
  retryPolicySchema,
} from "../../../modules/events/event-routing-schema";
import { eventsSchema } from "../../../stacks/config/events";
import { CONSUMER_CONFIG_NAMES } from "../../../stacks/config/consumers";
import { describeValue } from "../../../modules/shared/zod-problems";
import { loadEnvironments } from "../../../stacks/config/load";
import { configPath } from "../../../stacks/config/module-checks";
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
    [[["resources", "/items", "GET", "integration", "type"], "LAMDBA"]],
    [
      'resources./items.GET.integration.type: expected an integration type of "MOCK", "HTTP_PROXY", "SQS", "LAMBDA", got "LAMDBA"',
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

/**
 * The events section, field by field: every limit, pattern and cross-field rule of the event delivery module fails
 * at the same path with the same message in env/<name>.json and in EventRouting's props (config paths = the
 * module's props paths through module-checks' configPath: `defaultRetryPolicy` is `events.defaults.retryPolicy`).
 */
describe("events: one message at one path in both layers, for every rule the module owns", () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/cancel-order`;
  const QUEUE = (name: string) => `arn:aws:sqs:eu-west-1:${ACCOUNT}:${name}`;
  const sqs = (name: string) => ({ kind: "sqs", name });

  /** A valid events section touching every kind of field. */
  function section(): Record<string, any> {
    return {
      bus: { kind: "custom", name: "shop-bus" },
      archive: { retentionDays: 7, eventPattern: { source: ["shop"] } },
      defaults: { retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 600 }, maxReceiveCount: 4 },
      alarms: { dlqOldestMessageAgeSeconds: 900 },
      rules: [
        {
          name: "placed",
          description: "orders placed",
          eventPattern: { source: ["shop"], "detail-type": ["placed"] },
          targets: [
            {
              kind: "sqs",
              name: "orders",
              retryPolicy: { maximumRetryAttempts: 2 },
              queue: { visibilityTimeoutSeconds: 60, maxReceiveCount: 3, maxMessageSizeBytes: 262144 },
              deadLetterQueue: { maxMessageSizeBytes: 262144 },
            },
            { kind: "event-bus", name: "partner", eventBusArn: "arn:aws:events:eu-west-1:222222222222:event-bus/p" },
          ],
        },
        {
          name: "cancelled",
          eventPattern: '{"source": ["shop"]}',
          targets: [
            {
              kind: "lambda",
              name: "cancel",
              functionName: "cancel-order",
              asyncInvoke: { executionRoleArn: ROLE, maximumRetryAttempts: 1 },
              inputTransformer: { inputPaths: { id: "$.detail.id" }, inputTemplate: '{"id": <id>}' },
              deadLetterQueue: { existingQueue: { arn: QUEUE("cancel-dlq") } },
            },
          ],
        },
      ],
    };
  }

  /** The section as EventRouting props (what stacks/events.ts composes from a valid one). */
  function propsOf(s: Record<string, any>): Record<string, unknown> {
    return {
      namePrefix: "dev",
      alarmTopicArn: TOPIC,
      region: "eu-west-1",
      accountId: ACCOUNT,
      eventBus: s.bus,
      archive: s.archive,
      defaultRetryPolicy: s.defaults.retryPolicy,
      defaultMaxReceiveCount: s.defaults.maxReceiveCount,
      dlqOldestMessageAgeAlarmSeconds: s.alarms.dlqOldestMessageAgeSeconds,
      rules: s.rules,
    };
  }

  const configSide = (s: Record<string, any>) =>
    configProblemsOf({ dev: environment(api(), s) }).map((p) => `${p.path}: ${p.message}`);
  function moduleSide(s: Record<string, any>): string[] {
    const stack = new TerraformStack(Testing.app(), "parity");
    try {
      new EventRouting(stack, "events", propsOf(s) as any);
    } catch (err) {
      if (!(err instanceof PropsError)) throw err;
      return err.problems.map((p) => {
        const at = p.indexOf(": ");
        return `${configPath("events", p.slice(0, at))}: ${p.slice(at + 2)}`;
      });
    }
    return [];
  }

  const T0 = ["rules", 0, "targets", 0];
  const LAMBDA = ["rules", 1, "targets", 0];
  /** [case, path in the section, bad value (undefined deletes), config path expected, message expected] */
  const CASES: Array<[string, (string | number)[], unknown, string, RegExp]> = [
    [
      "default retry attempts above 185",
      ["defaults", "retryPolicy", "maximumRetryAttempts"],
      186,
      "events.defaults.retryPolicy.maximumRetryAttempts",
      /<= 185, got 186/,
    ],
    [
      "default event age below 60 s",
      ["defaults", "retryPolicy", "maximumEventAgeInSeconds"],
      59,
      "events.defaults.retryPolicy.maximumEventAgeInSeconds",
      />= 60, got 59/,
    ],
    [
      "target retry attempts below 0",
      [...T0, "retryPolicy", "maximumRetryAttempts"],
      -1,
      "events.rules[0].targets[0].retryPolicy.maximumRetryAttempts",
      />= 0, got -1/,
    ],
    [
      "target event age above 24 h",
      [...T0, "retryPolicy", "maximumEventAgeInSeconds"],
      86401,
      "events.rules[0].targets[0].retryPolicy.maximumEventAgeInSeconds",
      /<= 86400, got 86401/,
    ],
    [
      "retry attempts not an integer",
      [...T0, "retryPolicy", "maximumRetryAttempts"],
      2.5,
      "events.rules[0].targets[0].retryPolicy.maximumRetryAttempts",
      /expected an integer, got 2.5/,
    ],
    ["default maxReceiveCount 0", ["defaults", "maxReceiveCount"], 0, "events.defaults.maxReceiveCount", />= 1, got 0/],
    [
      "queue maxReceiveCount above 1000",
      [...T0, "queue", "maxReceiveCount"],
      1001,
      "events.rules[0].targets[0].queue.maxReceiveCount",
      /<= 1000, got 1001/,
    ],
    [
      "queue visibility above 12 h",
      [...T0, "queue", "visibilityTimeoutSeconds"],
      43201,
      "events.rules[0].targets[0].queue.visibilityTimeoutSeconds",
      /<= 43200, got 43201/,
    ],
    [
      "queue retention below 60 s",
      [...T0, "queue", "messageRetentionSeconds"],
      59,
      "events.rules[0].targets[0].queue.messageRetentionSeconds",
      />= 60, got 59/,
    ],
    [
      "queue message size below 1 KiB",
      [...T0, "queue", "maxMessageSizeBytes"],
      1023,
      "events.rules[0].targets[0].queue.maxMessageSizeBytes",
      />= 1024, got 1023/,
    ],
    [
      "DLQ message size above 1 MiB",
      [...T0, "deadLetterQueue", "maxMessageSizeBytes"],
      1048577,
      "events.rules[0].targets[0].deadLetterQueue.maxMessageSizeBytes",
      /<= 1048576, got 1048577/,
    ],
    [
      "DLQ age alarm below 60 s",
      ["alarms", "dlqOldestMessageAgeSeconds"],
      59,
      "events.alarms.dlqOldestMessageAgeSeconds",
      />= 60, got 59/,
    ],
    [
      "Lambda async retries above 2",
      [...LAMBDA, "asyncInvoke", "maximumRetryAttempts"],
      3,
      "events.rules[1].targets[0].asyncInvoke.maximumRetryAttempts",
      /<= 2, got 3/,
    ],
    [
      "Lambda async age above 6 h",
      [...LAMBDA, "asyncInvoke", "maximumEventAgeInSeconds"],
      21601,
      "events.rules[1].targets[0].asyncInvoke.maximumEventAgeInSeconds",
      /<= 21600, got 21601/,
    ],
    [
      "rule name with capitals",
      ["rules", 0, "name"],
      "Placed",
      "events.rules[0].name",
      /at most 32 lower-case letters/,
    ],
    [
      "target name of 33 characters",
      [...T0, "name"],
      "o".repeat(33),
      "events.rules[0].targets[0].name",
      /at most 32 lower-case letters/,
    ],
    [
      "rule description over 512 characters",
      ["rules", 0, "description"],
      "d".repeat(513),
      "events.rules[0].description",
      /at most 512 character/,
    ],
    [
      "event pattern not JSON",
      ["rules", 1, "eventPattern"],
      '{"source"',
      "events.rules[1].eventPattern",
      /expected valid JSON/,
    ],
    [
      "event pattern field not an array",
      ["rules", 0, "eventPattern"],
      { source: "shop" },
      "events.rules[0].eventPattern",
      /"source" to be an array of match values/,
    ],
    ["archive pattern empty", ["archive", "eventPattern"], {}, "events.archive.eventPattern", /at least one field/],
    ["archive retention negative", ["archive", "retentionDays"], -1, "events.archive.retentionDays", />= 0, got -1/],
    ["custom bus named default", ["bus", "name"], "default", "events.bus.name", /other than "default"/],
    [
      "unknown bus kind",
      ["bus", "kind"],
      "partner",
      "events.bus.kind",
      /expected one of "custom", "default", "existing", got "partner"/,
    ],
    [
      "unknown target kind",
      [...T0, "kind"],
      "sns",
      "events.rules[0].targets[0].kind",
      /expected one of "sqs", "lambda", "event-bus", "step-functions", got "sns"/,
    ],
    [
      "target name missing",
      [...T0, "name"],
      undefined,
      "events.rules[0].targets[0].name",
      /^required field is missing \(expected a string\)$/,
    ],
    [
      "a misspelled queue key",
      [...T0, "queue", "maxRecieveCount"],
      3,
      "events.rules[0].targets[0].queue.maxRecieveCount",
      /did you mean "maxReceiveCount"/,
    ],
    ["no targets", ["rules", 0, "targets"], [], "events.rules[0].targets", /at least 1 item/],
    [
      "six targets",
      ["rules", 0, "targets"],
      ["a", "b", "c", "d", "e", "f"].map(sqs),
      "events.rules[0].targets",
      /at most 5 item/,
    ],
    [
      "malformed function name",
      [...LAMBDA, "functionName"],
      "cancel order",
      "events.rules[1].targets[0].functionName",
      /function name of 1-64/,
    ],
    [
      "both functionArn and functionName",
      [...LAMBDA, "functionArn"],
      `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:x`,
      "events.rules[1].targets[0].functionArn",
      /exactly one of functionArn and functionName/,
    ],
    [
      "malformed event bus ARN",
      ["rules", 0, "targets", 1, "eventBusArn"],
      "arn:aws:events:eu-west-1:222222222222:rule/x",
      "events.rules[0].targets[1].eventBusArn",
      /expected an event bus ARN/,
    ],
    [
      "retry policy on an event-bus target",
      ["rules", 0, "targets", 1, "retryPolicy"],
      { maximumRetryAttempts: 1 },
      "events.rules[0].targets[1].retryPolicy",
      /event-bus targets take no retry policy/,
    ],
    [
      "input transformer on an event-bus target",
      ["rules", 0, "targets", 1, "inputTransformer"],
      { inputTemplate: "x" },
      "events.rules[0].targets[1].inputTransformer",
      /event-bus targets take no input transformer/,
    ],
    [
      "a FIFO DLQ",
      [...LAMBDA, "deadLetterQueue", "existingQueue", "arn"],
      QUEUE("cancel-dlq.fifo"),
      "events.rules[1].targets[0].deadLetterQueue.existingQueue.arn",
      /EventBridge cannot dead-letter to a FIFO queue/,
    ],
    [
      "encryption on an existing DLQ",
      [...LAMBDA, "deadLetterQueue", "encryption"],
      "kms",
      "events.rules[1].targets[0].deadLetterQueue.encryption",
      /applies only to a DLQ the module creates/,
    ],
    [
      "input path not a JSON path",
      [...LAMBDA, "inputTransformer", "inputPaths", "id"],
      "detail.id",
      "events.rules[1].targets[0].inputTransformer.inputPaths.id",
      /JSON path starting with "\$"/,
    ],
    [
      "empty input template",
      [...LAMBDA, "inputTransformer", "inputTemplate"],
      "",
      "events.rules[1].targets[0].inputTransformer.inputTemplate",
      /at least 1 character/,
    ],
    [
      "no asyncInvoke",
      [...LAMBDA, "asyncInvoke"],
      undefined,
      "events.rules[1].targets[0].asyncInvoke",
      /^required field is missing: give executionRoleArn/,
    ],
    [
      "asyncInvoke with a role and another stack's queue",
      [...LAMBDA, "asyncInvoke"],
      { executionRoleArn: ROLE, ownedByAnotherStack: { onFailureDestination: { arn: QUEUE("f") } } },
      "events.rules[1].targets[0].asyncInvoke.executionRoleArn",
      /exactly one of executionRoleArn and ownedByAnotherStack/,
    ],
    [
      "two targets with one name",
      ["rules", 1, "targets", 0, "name"],
      "orders",
      "events.rules[1].targets[0].name",
      /unique target name, "orders" is also rules\[0\]\.targets\[0\]\.name/,
    ],
    [
      "two rules with one name",
      ["rules", 1, "name"],
      "placed",
      "events.rules[1].name",
      /unique rule name, "placed" is also rules\[0\]\.name/,
    ],
    [
      "a target named like another target's DLQ",
      ["rules", 1, "targets", 0],
      sqs("orders-dlq"),
      "events.rules[1].targets[0].name",
      /queue "<prefix>-orders-dlq" is also created for rules\[0\]\.targets\[0\]/,
    ],
    [
      "a DLQ in another region (the stack's)",
      [...LAMBDA, "deadLetterQueue", "existingQueue", "arn"],
      `arn:aws:sqs:us-east-1:${ACCOUNT}:q`,
      "events.rules[1].targets[0].deadLetterQueue.existingQueue.arn",
      /^expected a queue in the rule's region eu-west-1, got one in us-east-1$/,
    ],
    [
      "a DLQ in another account (the stack's)",
      [...LAMBDA, "deadLetterQueue", "existingQueue", "arn"],
      "arn:aws:sqs:eu-west-1:999999999999:q",
      "events.rules[1].targets[0].deadLetterQueue.existingQueue.arn",
      /^expected a queue in account 111111111111, got one in 999999999999$/,
    ],
    [
      "a function role in another account",
      [...LAMBDA, "asyncInvoke", "executionRoleArn"],
      "arn:aws:iam::999999999999:role/r",
      "events.rules[1].targets[0].asyncInvoke.executionRoleArn",
      /role in account 111111111111, got one in 999999999999/,
    ],
  ];

  it("the section and the props built from it are valid in both layers", () => {
    expect(loadEnvironments(writeEnvDir({ dev: environment(api(), section()) }))).toHaveLength(1);
    expect(moduleSide(section())).toEqual([]);
  });

  it.each(CASES)("%s", (_name, path, value, at, message) => {
    const fromConfig = configSide(edit(section(), path, value));
    expect(fromConfig).toEqual([expect.stringMatching(new RegExp(`^${at.replace(/[.[\]$]/g, "\\$&")}: `))]);
    expect(fromConfig[0].slice(at.length + 2)).toMatch(message);
    expect(moduleSide(edit(section(), path, value))).toEqual(fromConfig);
  });

  it("the config's events rules are the module's schema objects, not copies", () => {
    const shape = eventsSchema.shape;
    const inner = (s: any) => s._zod.def.innerType;
    expect(inner(shape.rules)).toBe(eventRulesSchema);
    expect(inner(shape.bus)).toBe(eventBusSchema);
    expect(inner(shape.archive)).toBe(eventArchiveSchema);
    expect(shape.defaults.shape.retryPolicy).toBe(retryPolicySchema);
    expect(inner(shape.defaults.shape.maxReceiveCount)).toBe(maxReceiveCountSchema);
    expect(inner(shape.defaults.shape.encryption)).toBe(queueEncryptionSchema);
    expect(inner(inner(shape.alarms).shape.dlqOldestMessageAgeSeconds)).toBe(dlqOldestMessageAgeSchema);
    expect(eventRoutingPropsSchema.shape.rules.unwrap()).toBe(eventRulesSchema);
    expect(eventRoutingPropsSchema.shape.defaultRetryPolicy.unwrap()).toBe(retryPolicySchema);
  });
});

/** A problem as both layers report it: the config path inside its section, and the message. */
interface Verdict {
  readonly path: string;
  readonly message: string;
}

/** The config's problems under `section` (the path without the section's prefix), with their messages. */
function configVerdicts(env: Record<string, unknown>, section: string): Verdict[] {
  return configProblemsOf({ dev: env })
    .filter((p) => p.path.startsWith(section))
    .map((p) => ({ path: p.path.slice(section.length).replace(/^\./, ""), message: p.message }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** The module's PropsError problems, each props path mapped to the config's by `toConfig`. */
function moduleVerdicts(build: (stack: TerraformStack) => void, toConfig: (path: string) => string): Verdict[] {
  const stack = new TerraformStack(Testing.app(), "parity");
  new AwsProvider(stack, "aws", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
  try {
    build(stack);
  } catch (err) {
    if (!(err instanceof PropsError)) throw err;
    return err.problems
      .map((p) => ({ path: toConfig(p.slice(0, p.indexOf(": "))), message: p.slice(p.indexOf(": ") + 2) }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }
  throw new Error("expected a PropsError");
}

/** A renamed config field: the config path of a props path (`memorySize` -> `memoryMb`). */
const renamed = (names: Readonly<Record<string, string>>) => (path: string) =>
  path.replace(/^\w+/, (name) => names[name] ?? name);

/** [case, path of the edit in the section, bad value (undefined deletes), config paths both layers must report] */
type VerdictCase = [string, readonly (string | number)[], unknown, string[]];

const REPLAYS = `arn:aws:sqs:eu-west-1:${ACCOUNT}:replays`;

/** A valid `redrive` section, touching every field config and props share. */
function redrive(): Record<string, any> {
  return {
    maxRedrives: 5,
    concurrency: 4,
    rate: 50,
    visibilityTimeoutSeconds: 120,
    maxMessages: 1000,
    timeoutSeconds: 600,
    memoryMb: 1024,
    reservedConcurrency: 2,
    logRetentionDays: 30,
    additionalDestinations: [{ queueArn: REPLAYS }],
    schedule: { expression: "rate(1 hour)", errorCodes: ["TIMEOUT"], maxMessages: 100, enabled: true },
  };
}

/** RedriveFunction props from a `redrive` section, as stacks/redrive.ts composes them. */
function redriveProps(section: Record<string, any>): Record<string, unknown> {
  const { enabled: _enabled, memoryMb, ...rest } = section;
  return {
    functionName: "dev-redrive",
    alarmTopicArn: TOPIC,
    routes: [
      {
        targetName: "orders",
        targetKind: "sqs",
        targetArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:dev-orders`,
        dlqArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:dev-orders-delivery-dlq`,
        dlqUrl: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/dev-orders-delivery-dlq`,
      },
    ],
    ...rest,
    ...(memoryMb !== undefined ? { memorySize: memoryMb } : {}),
  };
}

// One case per limit, default-bearing field, pattern and rule the module owns and the config composes.
const REDRIVE_CASES: VerdictCase[] = [
  ["maxRedrives below 1", ["maxRedrives"], 0, ["maxRedrives"]],
  ["maxRedrives not an integer", ["maxRedrives"], 1.5, ["maxRedrives"]],
  ["concurrency above 64", ["concurrency"], 65, ["concurrency"]],
  ["rate above 100000", ["rate"], 100_001, ["rate"]],
  ["visibility timeout above 12 hours", ["visibilityTimeoutSeconds"], 43_201, ["visibilityTimeoutSeconds"]],
  ["maxMessages above 10,000,000", ["maxMessages"], 10_000_001, ["maxMessages"]],
  ["timeout below 60 s", ["timeoutSeconds"], 59, ["timeoutSeconds"]],
  ["memory below 128 MB (memoryMb is memorySize)", ["memoryMb"], 127, ["memoryMb"]],
  ["reserved concurrency above 100", ["reservedConcurrency"], 101, ["reservedConcurrency"]],
  ["a log retention CloudWatch does not offer", ["logRetentionDays"], 10, ["logRetentionDays"]],
  [
    "a destination that is not an SQS queue",
    ["additionalDestinations", 0, "queueArn"],
    TOPIC,
    ["additionalDestinations[0].queueArn"],
  ],
  [
    "a destination key given by alias",
    ["additionalDestinations", 0, "kmsKeyArn"],
    `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/replays`,
    ["additionalDestinations[0].kmsKeyArn"],
  ],
  ["a destination twice", ["additionalDestinations", 1], { queueArn: REPLAYS }, ["additionalDestinations[1].queueArn"]],
  ["a schedule expression", ["schedule", "expression"], "hourly", ["schedule.expression"]],
  ["a schedule without error codes", ["schedule", "errorCodes"], [], ["schedule.errorCodes"]],
  ["a malformed error code", ["schedule", "errorCodes", 0], "NOT OK", ["schedule.errorCodes[0]"]],
  ["an unknown error code", ["schedule", "errorCodes", 0], "TIME_OUT", ["schedule.errorCodes[0]"]],
  ["a schedule's cap above the function's", ["schedule", "maxMessages"], 5000, ["schedule.maxMessages"]],
  ["schedule.enabled of the wrong type", ["schedule", "enabled"], "yes", ["schedule.enabled"]],
  ["a misspelled key", ["maxRedrive"], 3, ["maxRedrive"]],
];

/** A valid API section with an async route whose queue the consumer reads (visibility 200 s). */
function asyncApi(): Record<string, any> {
  return {
    ...api(),
    resources: {
      "/orders": {
        POST: {
          requestModel: "Item",
          integration: { type: "SQS", timeoutMs: 1000, queue: { visibilityTimeoutSeconds: 200 } },
        },
      },
    },
  };
}

/** A valid consumer, touching every field config and props share. */
function consumer(): Record<string, any> {
  return {
    name: "orders",
    route: "POST /orders",
    timeoutSeconds: 30,
    memoryMb: 512,
    batchSize: 25,
    maximumBatchingWindowSeconds: 5,
    maximumConcurrency: 4,
    reservedConcurrency: 4,
    logRetentionDays: 14,
    idempotencyTtlSeconds: 3600,
    tableKmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e`,
    oldestMessageAgeAlarmSeconds: 600,
    environment: { ORDERS_SERVICE_URL: "https://orders.example.com" },
  };
}

/** QueueConsumer props from a consumer, as stacks/consumers.ts composes them (the route's queue: 200 s). */
function consumerProps(c: Record<string, any>): Record<string, unknown> {
  const { name, route: _route, memoryMb, ...rest } = c;
  return {
    functionName: `dev-${name}`,
    queue: { arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:dev-orders`, name: "dev-orders", visibilityTimeoutSeconds: 200 },
    alarmTopicArn: TOPIC,
    ...rest,
    ...(memoryMb !== undefined ? { memorySize: memoryMb } : {}),
  };
}

const CONSUMER_CASES: VerdictCase[] = [
  ["timeout above 900 s", ["timeoutSeconds"], 901, ["timeoutSeconds"]],
  ["memory above 10240 MB (memoryMb is memorySize)", ["memoryMb"], 10_241, ["memoryMb"]],
  ["batch above 10000", ["batchSize"], 10_001, ["batchSize"]],
  ["batching window above 300 s", ["maximumBatchingWindowSeconds"], 301, ["maximumBatchingWindowSeconds"]],
  ["maximum concurrency below 2", ["maximumConcurrency"], 1, ["maximumConcurrency"]],
  ["reserved concurrency below 1", ["reservedConcurrency"], 0, ["reservedConcurrency"]],
  ["reserved concurrency below the maximum concurrency", ["reservedConcurrency"], 3, ["reservedConcurrency"]],
  ["a batch above 10 without a window", ["maximumBatchingWindowSeconds"], 0, ["maximumBatchingWindowSeconds"]],
  ["a log retention CloudWatch does not offer", ["logRetentionDays"], 10, ["logRetentionDays"]],
  ["idempotency TTL below a minute", ["idempotencyTtlSeconds"], 59, ["idempotencyTtlSeconds"]],
  ["a table key given by alias", ["tableKmsKeyArn"], `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/t`, ["tableKmsKeyArn"]],
  ["backlog alarm above 14 days", ["oldestMessageAgeAlarmSeconds"], 1_209_601, ["oldestMessageAgeAlarmSeconds"]],
  ["a variable the module sets", ["environment", "AWS_REGION"], "x", ["environment.AWS_REGION"]],
  ["a variable name that is not one", ["environment", "1x"], "x", ["environment.1x"]],
  // The config has no queue: the route's queue is too short for the timeout, reported at the timeout.
  ["a timeout the queue's visibility does not cover", ["timeoutSeconds"], 40, ["timeoutSeconds"]],
  ["a misspelled key", ["batchSise"], 10, ["batchSise"]],
];

const ALARMS_CASES: VerdictCase[] = [
  ["an e-mail that is not one", ["emails", 0], "ops", ["emails[0]"]],
  ["one e-mail as a string", ["emails"], "ops@example.com", ["emails"]],
  ["a misspelled key", ["email"], [], ["email"]],
];

describe("config and module agree on the path and message of every bad value", () => {
  const withSections = (sections: Record<string, unknown>) => ({ ...environment(api(), events()), ...sections });

  it("the fixtures are valid in both layers", () => {
    const env = withSections({
      api: asyncApi(),
      redrive: redrive(),
      consumers: [consumer()],
      alarms: { emails: ["ops@example.com"] },
    });
    expect(loadEnvironments(writeEnvDir({ dev: env }))).toHaveLength(1);
    const stack = new TerraformStack(Testing.app(), "ok");
    new AwsProvider(stack, "aws", { region: "eu-west-1", allowedAccountIds: [ACCOUNT] });
    new RedriveFunction(stack, "redrive", redriveProps(redrive()) as any);
    new QueueConsumer(stack, "consumer", consumerProps(consumer()) as any);
    new AlarmTopic(stack, "alarms", { name: "dev-alarms", emails: ["ops@example.com"] });
  });

  it.each(REDRIVE_CASES)("redrive: %s", (_name, path, value, expected) => {
    const config = configVerdicts(withSections({ redrive: edit(redrive(), path, value) }), "redrive");
    expect(config.map((v) => v.path)).toEqual(expected);
    const props = redriveProps(edit(redrive(), path, value));
    // The module's path mapping (module-checks.ts) is the one the synth-time safety net uses.
    expect(
      moduleVerdicts(
        (s) => new RedriveFunction(s, "redrive", props as any),
        (p) => configPath("redrive", p).replace(/^redrive\./, ""),
      ),
    ).toEqual(config);
  });

  it.each(CONSUMER_CASES)("consumers: %s", (_name, path, value, expected) => {
    const config = configVerdicts(
      withSections({ api: asyncApi(), consumers: [edit(consumer(), path, value)] }),
      "consumers[0]",
    );
    expect(config.map((v) => v.path)).toEqual(expected);
    const props = consumerProps(edit(consumer(), path, value));
    const toConfig = (p: string) =>
      p === "queue.visibilityTimeoutSeconds" ? "timeoutSeconds" : renamed(CONSUMER_CONFIG_NAMES)(p);
    expect(moduleVerdicts((s) => new QueueConsumer(s, "consumer", props as any), toConfig)).toEqual(config);
  });

  it.each(ALARMS_CASES)("alarms: %s", (_name, path, value, expected) => {
    const section = edit({ emails: ["ops@example.com"] }, path, value);
    const config = configVerdicts(withSections({ alarms: section }), "alarms");
    expect(config.map((v) => v.path)).toEqual(expected);
    expect(
      moduleVerdicts(
        (s) => new AlarmTopic(s, "alarms", { name: "dev-alarms", ...section } as any),
        (p) => p,
      ),
    ).toEqual(config);
  });
});

describe("the redrive Lambda's option limits and defaults are the module's", () => {
  it("each limit is the module's own object, frozen", () => {
    expect(LIMITS.maxMessages).toBe(REDRIVE_LIMITS.maxMessages);
    expect(LIMITS.maxRedrives).toBe(REDRIVE_LIMITS.maxRedrives);
    expect(LIMITS.concurrency).toBe(REDRIVE_LIMITS.concurrency);
    expect(LIMITS.rate).toBe(REDRIVE_LIMITS.rate);
    expect(LIMITS.visibilityTimeout).toBe(REDRIVE_LIMITS.visibilityTimeoutSeconds);
    expect(LIMITS.waitTimeSeconds).toBe(REDRIVE_LIMITS.waitTimeSeconds);
    expect(DEFAULTS).toBe(REDRIVE_RUN_DEFAULTS);
    expect(DEFAULTS.maxRedrives).toBe(REDRIVE_DEFAULTS.maxRedrives);
    expect(DEFAULTS.visibilityTimeout).toBe(REDRIVE_DEFAULTS.visibilityTimeoutSeconds);
    expect(DEFAULTS.fifoGroupId).toBe(REDRIVE_DEFAULTS.fifoGroupId);
    for (const limits of [REDRIVE_LIMITS, REDRIVE_DEFAULTS, REDRIVE_RUN_DEFAULTS, ...Object.values(REDRIVE_LIMITS)])
      expect(Object.isFrozen(limits)).toBe(true);
  });

  it("a run and the function's props turn away the same values", () => {
    const queueUrl = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/dev-orders-delivery-dlq`;
    const runProblems = (raw: Record<string, unknown>) => {
      try {
        validateOptions({ queueUrl, ...raw });
        return [];
      } catch (err) {
        return (err as OptionsError).problems.map((p) => p.field);
      }
    };
    for (const [option, prop] of [
      ["maxRedrives", "maxRedrives"],
      ["concurrency", "concurrency"],
      ["rate", "rate"],
      ["visibilityTimeout", "visibilityTimeoutSeconds"],
      ["maxMessages", "maxMessages"],
    ] as const) {
      const [min, max] = REDRIVE_LIMITS[prop];
      expect([option, runProblems({ [option]: min }), runProblems({ [option]: max })]).toEqual([option, [], []]);
      expect([option, runProblems({ [option]: max + 1 })]).toEqual([option, [option]]);
      const props = { ...redriveProps(redrive()), schedule: undefined, [prop]: max + 1 };
      expect(
        moduleVerdicts(
          (s) => new RedriveFunction(s, "redrive", props as any),
          (p) => p,
        ),
      ).toEqual([{ path: prop, message: `expected a number <= ${max}, got ${max + 1}` }]);
    }
  });
});
