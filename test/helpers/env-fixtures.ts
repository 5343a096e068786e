import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type ConfigProblem } from "../../stacks/config/errors";
import { loadEnvironments } from "../../stacks/config/load";

/**
 * The environments tests assert on: copies of env/{dev,staging,prod}.json taken when the tests were
 * written. Tests never read env/ itself (it is the platform team's to change); only
 * test/env-smoke.test.ts synthesizes and checks whatever env/ holds.
 */
export const FIXTURE_ENV_DIR = join(__dirname, "..", "fixtures", "env");

/** The fixture environments' names. */
export const FIXTURE_ENVS = ["dev", "staging", "prod"] as const;

/** A deep copy of the fixture test/fixtures/env/<name>.json, for tests to modify. */
export function exampleConfig(name: "dev" | "staging" | "prod"): Record<string, any> {
  return JSON.parse(readFileSync(join(FIXTURE_ENV_DIR, `${name}.json`), "utf8"));
}

/** Writes environment files (name -> object or raw text) into a fresh folder; returns the folder. */
export function writeEnvDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "env-"));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, `${name}.json`), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** Sets a value at a dotted path (`a.b.0.c`) in a config object, creating objects on the way; `undefined` deletes. */
export function setPath(obj: Record<string, any>, path: string, value: unknown): Record<string, any> {
  const parts = path.split(".");
  let cur: any = obj;
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {};
    cur = cur[part];
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return obj;
}

/** Loads environment files (as writeEnvDir takes them), expects a ConfigError, and returns its problems with bare file names. */
export function configProblemsOf(files: Record<string, unknown>): ConfigProblem[] {
  try {
    loadEnvironments(writeEnvDir(files));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => ({ ...p, file: p.file.replace(/^.*\//, "") }));
  }
  throw new Error("expected a ConfigError");
}

/**
 * README "Adding an account", step by step: a copy of the staging fixture with every per-account
 * field the README lists changed for a new account. Returns the config and the dotted paths changed.
 */
export function newAccountTheReadmeWay(
  name: string,
  account: string,
): { config: Record<string, any>; changed: string[] } {
  const config = exampleConfig("staging");
  const edits: Record<string, unknown> = {
    "account.id": account,
    "account.region": "eu-central-1",
    "account.deployRoleArn": `arn:aws:iam::${account}:role/platform-deploy`,
    "state.bucket": `acme-platform-tfstate-${account}`,
    "state.key": `edge/${name}.tfstate`,
    "state.region": "eu-central-1",
    owner: "sandbox-team",
    tags: { "cost-center": "sandbox" },
    "alarms.emails": [`platform-oncall+${name}@example.com`],
    "api.distribution.customDomain": {
      domainName: `api.${name}.edge.example.com`,
      certificateArn: `arn:aws:acm:us-east-1:${account}:certificate/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6`,
    },
    "events.rules.0.targets.1.eventBusArn": `arn:aws:events:eu-central-1:555555555555:event-bus/partner-orders-${name}`,
    "events.rules.0.targets.2.stateMachineArn": `arn:aws:states:eu-central-1:${account}:stateMachine:${name}-order-fulfilment`,
    "events.rules.1.targets.0.asyncInvoke.executionRoleArn": `arn:aws:iam::${account}:role/cancel-order`,
    "delivery.github": { repository: "acme/resilient-edge", environment: name },
    "delivery.planRoleArn": `arn:aws:iam::${account}:role/platform-plan`,
    "consumers.0.environment": { ORDERS_SERVICE_URL: `https://orders.${name}.internal.example.com/v1/orders` },
  };
  for (const [path, value] of Object.entries(edits)) setPath(config, path, value);
  // Every saga step's function: this account's and region's.
  const own = (arn: string) =>
    arn.replace(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:/, `arn:aws:lambda:eu-central-1:${account}:`);
  for (const step of config.sagas ?? [])
    for (const s of step.steps)
      for (const task of [s.action, s.compensation]) if (task?.functionArn) task.functionArn = own(task.functionArn);
  return { config, changed: Object.keys(edits) };
}
