/**
 * Whether a queue belongs to a production environment, from the project's `env/<name>.json`
 * files (`production`, `account.id`). The guard fails closed: when it cannot tell (no env
 * directory, the account in no file, an unreadable file), the verdict is "unknown" and the CLI
 * refuses to replay unless the operator says what the queue is.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { strictJsonProblems } from "../../../modules/shared/strict-json";

/**
 * The project's env/ directory: found from this code's own location (lambdas/redrive/ in the
 * source tree, dist/cli/ in the bundle: both two levels below the project root), never from the
 * working directory.
 */
export function defaultEnvDir(): string {
  return resolve(__dirname, "..", "..", "env");
}

/** One environment file. */
export interface EnvironmentFile {
  readonly name: string;
  readonly file: string;
  readonly account?: string;
  readonly region?: string;
  /** The file's `production` value, as written. */
  readonly production: unknown;
}

/** What the guard decided, and from which file. */
export type Verdict =
  | {
      readonly kind: "production" | "not-production";
      readonly env: EnvironmentFile;
      readonly by: "env-file" | "--environment";
    }
  | { readonly kind: "not-production"; readonly env?: undefined; readonly by: "--not-production" }
  | { readonly kind: "unknown"; readonly reason: string; readonly env?: undefined; readonly by: "env-file" };

/** A contradiction or a missing file the operator named: the CLI exits 2. */
export class GuardError extends Error {}

/** Reads one env file; throws GuardError when it is not JSON. */
export function readEnvironment(file: string): EnvironmentFile {
  let env: { production?: unknown; account?: { id?: unknown; region?: unknown } };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
    env = JSON.parse(text);
  } catch (err) {
    throw new GuardError(
      `${file} is not valid JSON (${(err as Error).message}); cannot tell whether it is a production environment`,
    );
  }
  // A key given twice ("production": true, ..., "production": false) reads as its last value: never guess which was meant.
  const duplicate = strictJsonProblems(text).find((p) => p.message.startsWith("duplicate key"));
  if (duplicate)
    throw new GuardError(
      `${file}: ${duplicate.path}: line ${duplicate.line}: ${duplicate.message}; cannot tell whether it is a production environment`,
    );
  const name = file.slice(file.lastIndexOf("/") + 1).replace(/\.json$/, "");
  const account = typeof env.account?.id === "string" ? env.account.id : undefined;
  const region = typeof env.account?.region === "string" ? env.account.region : undefined;
  return { name, file, account, region, production: env.production };
}

/** The file of environment `name` in `envDir`; a GuardError naming the flag when there is none. */
export function namedEnvironment(envDir: string, name: string, flag = "--environment"): EnvironmentFile {
  const file = join(envDir, `${name}.json`);
  if (!/^[A-Za-z0-9_-]+$/.test(name) || !existsSync(file)) throw new GuardError(`${flag}: no environment file ${file}`);
  return readEnvironment(file);
}

/** The account id in a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>). */
export function accountOfQueueUrl(queueUrl: string): string | undefined {
  return /^https?:\/\/[^/]+\/(\d{12})\//.exec(queueUrl)?.[1];
}

/** Decides whether `queueUrl` is production; `told` is what the operator said on the command line. */
export function judgeQueue(
  envDir: string,
  queueUrl: string,
  told: { readonly environment?: string; readonly notProduction?: boolean },
): Verdict {
  return judgeAccount(envDir, accountOfQueueUrl(queueUrl), { what: "queue", name: `the queue URL ${queueUrl}` }, told);
}

/** Decides whether a resource of `account` (a queue, a state machine) is production. */
export function judgeAccount(
  envDir: string,
  account: string | undefined,
  resource: { readonly what: string; readonly name: string },
  told: { readonly environment?: string; readonly notProduction?: boolean },
): Verdict {
  if (told.environment !== undefined) {
    const env = namedEnvironment(envDir, told.environment);
    if (account !== env.account)
      throw new GuardError(
        `--environment ${told.environment}: ${env.file} is account ${env.account ?? "(none)"}, but the ${resource.what} is in account ${account ?? "(unknown)"}`,
      );
    return { kind: env.production === false ? "not-production" : "production", env, by: "--environment" };
  }
  const envs = readAll(envDir);
  if (told.notProduction) {
    const prod = "envs" in envs ? envs.envs.find((e) => e.account === account && e.production !== false) : undefined;
    if (prod) throw new GuardError(`--not-production: but ${prod.file} marks account ${account} as production`);
    return { kind: "not-production", by: "--not-production" };
  }
  if ("reason" in envs) return { kind: "unknown", reason: envs.reason, by: "env-file" };
  if (!account) return { kind: "unknown", reason: `${resource.name} names no 12-digit account`, by: "env-file" };
  const env = envs.envs.find((e) => e.account === account);
  if (!env) return { kind: "unknown", reason: `account ${account} is in no ${join(envDir, "*.json")}`, by: "env-file" };
  if (typeof env.production !== "boolean")
    return {
      kind: "unknown",
      reason: `${env.file}: "production" is ${JSON.stringify(env.production) ?? "missing"}, expected true or false`,
      by: "env-file",
    };
  return { kind: env.production ? "production" : "not-production", env, by: "env-file" };
}

function readAll(envDir: string): { envs: EnvironmentFile[] } | { reason: string } {
  if (!existsSync(envDir) || !statSync(envDir).isDirectory())
    return { reason: `environment directory ${envDir} does not exist` };
  const files = readdirSync(envDir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  if (files.length === 0) return { reason: `environment directory ${envDir} has no <name>.json files` };
  try {
    return { envs: files.map((f) => readEnvironment(join(envDir, f))) };
  } catch (err) {
    return { reason: (err as Error).message };
  }
}
