/**
 * One value rule, one verdict: a bad value in env/<name>.json fails config validation (stacks/config) at the same
 * path as the module's props validation fails on the same value in its props (the config section spread into them).
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { RestApiFrontDoor } from "../../../modules/api/rest-api-front-door";
import { EventRouting } from "../../../modules/events/event-routing";
import { PropsError } from "../../../modules/shared/validation";
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
