/**
 * One value rule, one verdict: a bad value in env/<name>.json fails config validation (stacks/config) at the same
 * path as the module's props validation fails on the same value in its props (the config section spread into them).
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { DEFAULTS, LIMITS, type OptionsError, validateOptions } from "../../../lambdas/redrive/options";
import { AlarmTopic } from "../../../modules/alarms/alarm-topic";
import { RestApiFrontDoor } from "../../../modules/api/rest-api-front-door";
import { QueueConsumer } from "../../../modules/consumer/queue-consumer";
import { EventRouting } from "../../../modules/events/event-routing";
import { RedriveFunction } from "../../../modules/redrive/redrive-function";
import { REDRIVE_DEFAULTS, REDRIVE_LIMITS, REDRIVE_RUN_DEFAULTS } from "../../../modules/redrive/redrive-limits";
import { PropsError } from "../../../modules/shared/validation";
import { CONSUMER_CONFIG_NAMES } from "../../../stacks/config/consumers";
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

const API_CASES: Case[] = [
  ["negative rate", ["throttle", "rateLimit"], -5, ["throttle.rateLimit"]],
  ["throttle of the wrong type", ["throttle"], "fast", ["throttle"]],
  ["name missing", ["name"], undefined, ["name"]],
  ["a misspelled key", ["throtle"], { rateLimit: 1, burstLimit: 1 }, ["throtle"]],
  ["an unknown key in a method", ["resources", "/items", "GET", "cached"], true, ["resources./items.GET.cached"]],
  [
    "unknown integration type",
    ["resources", "/items", "GET", "integration", "type"],
    "LAMBDA",
    ["resources./items.GET.integration.type"],
  ],
  ["quota period", ["tiers", "small", "quota", "period"], "YEAR", ["tiers.small.quota.period"]],
  ["a key in an unknown tier", ["apiKeys", 0, "tier"], "platinum", ["apiKeys[0].tier"]],
  ["server errors above the alarm's limit", ["alarms", "serverErrors"], 2_000_000, ["alarms.serverErrors"]],
  [
    "timeout below 50 ms",
    ["resources", "/items", "GET", "integration", "timeoutMs"],
    49,
    ["resources./items.GET.integration.timeoutMs"],
  ],
  ["a tier above the stage", ["tiers", "small", "throttle", "rateLimit"], 51, ["tiers.small.throttle.rateLimit"]],
  ["unknown model", ["resources", "/items", "POST", "requestModel"], "Order", ["resources./items.POST.requestModel"]],
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

  it.each(API_CASES)("api: %s", (_name, path, value, expected) => {
    expect(configPaths(environment(edit(api(), path, value), events()), "api")).toEqual(expected);
    expect(
      modulePaths(
        (s) => new RestApiFrontDoor(s, "api", { ...(edit(api(), path, value) as any), alarmTopicArn: TOPIC }),
      ),
    ).toEqual(expected);
  });

  it.each(EVENTS_CASES)("events: %s", (_name, path, value, expected) => {
    expect(configPaths(environment(api(), edit(events(), path, value)), "events")).toEqual(expected);
    const rules = edit(events(), path, value).rules;
    expect(
      modulePaths((s) => new EventRouting(s, "events", { namePrefix: "dev", alarmTopicArn: TOPIC, rules })),
    ).toEqual(expected);
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
