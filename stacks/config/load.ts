import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { ConfigError, type ConfigProblem, problemsFromZod } from "./errors";
import { type EnvironmentConfig, environmentSchema } from "./schema";

/** An environment config that passed validation, with the file it came from. */
export interface LoadedEnvironment {
  /** Stack name, from the file name (env/prod.json -> prod). */
  readonly name: string;
  /** The file as shown in messages, relative to the working directory. */
  readonly file: string;
  readonly config: EnvironmentConfig;
}

const ENV_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** Reads and validates every env/<name>.json in `dir`; throws one ConfigError listing every problem. */
export function loadEnvironments(dir: string): LoadedEnvironment[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  } catch (err) {
    throw new ConfigError([{ file: display(dir), path: "", message: `cannot read the environment folder: ${(err as Error).message}` }]);
  }
  if (files.length === 0) {
    throw new ConfigError([{ file: display(dir), path: "", message: "expected at least one <name>.json environment file" }]);
  }
  const problems: ConfigProblem[] = [];
  const loaded: LoadedEnvironment[] = [];
  for (const f of files) {
    const path = join(dir, f);
    const result = parseEnvironmentFile(path, readFileSync(path, "utf8"));
    problems.push(...result.problems);
    if (result.environment) loaded.push(result.environment);
  }
  problems.push(...crossEnvironmentProblems(loaded));
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}

/** Validates one environment file's text; returns the environment or the problems, never throws. */
export function parseEnvironmentFile(
  path: string,
  text: string,
): { environment?: LoadedEnvironment; problems: ConfigProblem[] } {
  const file = display(path);
  const name = basename(path, ".json");
  const problems: ConfigProblem[] = [];
  if (!ENV_NAME.test(name)) {
    problems.push({ file, path: "", message: `file name "${name}" is the stack name: expected lower-case letters, digits and '-', starting with a letter, at most 31 characters` });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    problems.push({ file, path: "", message: `not valid JSON: ${(err as Error).message}` });
    return { problems };
  }
  const parsed = environmentSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    problems.push(...problemsFromZod(file, parsed.error.issues));
    return { problems };
  }
  if (problems.length > 0) return { problems };
  return { environment: { name, file, config: parsed.data }, problems };
}

/** Checks that need all environments at once: each environment in its own account, each with its own state. */
export function crossEnvironmentProblems(envs: readonly LoadedEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byAccount = new Map<string, LoadedEnvironment>();
  const byState = new Map<string, LoadedEnvironment>();
  for (const env of envs) {
    const account = env.config.account.id;
    const other = byAccount.get(account);
    if (other) {
      problems.push({
        file: env.file,
        path: "account.id",
        message: `account ${account} is already used by ${other.file}: expected each environment in its own AWS account`,
      });
    } else byAccount.set(account, env);
    const stateKey = `s3://${env.config.state.bucket}/${env.config.state.key}`;
    const sameState = byState.get(stateKey);
    if (sameState) {
      problems.push({
        file: env.file,
        path: "state.key",
        message: `state ${stateKey} is already used by ${sameState.file}: expected a state key of its own`,
      });
    } else byState.set(stateKey, env);
  }
  return problems;
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}
