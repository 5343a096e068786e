import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { strictJsonProblems } from "../../modules/shared/strict-json";
import { PARSE_OPTIONS } from "../../modules/shared/zod-problems";
import { ConfigError, type ConfigProblem, problemsFromZod } from "./errors";
import type { LoadedEnvironment } from "./loaded-environment";
import { environmentSchema } from "./schema";
import { type AccountOnly, accountProblems, crossEnvironmentProblems } from "./cross-environment";
import { moduleProblems } from "./module-checks";

export { crossEnvironmentProblems } from "./cross-environment";

export type { LoadedEnvironment };

const ENV_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** Reads and validates every env/<name>.json in `dir`; throws one ConfigError listing every problem. */
export function loadEnvironments(dir: string): LoadedEnvironment[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch (err) {
    throw new ConfigError([
      { file: display(dir), path: "", message: `cannot read the environment folder: ${(err as Error).message}` },
    ]);
  }
  if (files.length === 0) {
    throw new ConfigError([
      { file: display(dir), path: "", message: "expected at least one <name>.json environment file" },
    ]);
  }
  const problems: ConfigProblem[] = [];
  const loaded: LoadedEnvironment[] = [];
  const unreadable: AccountOnly[] = [];
  for (const f of files) {
    const path = join(dir, f);
    const result = parseEnvironmentFile(path, readFileSync(path, "utf8"));
    problems.push(...result.problems);
    if (result.environment) loaded.push(result.environment);
    else if (result.accountId) unreadable.push({ file: result.problems[0]?.file ?? path, accountId: result.accountId });
  }
  // Cross-environment problems first: a shared account.id is the cause the per-file account checks point past.
  problems.unshift(...crossEnvironmentProblems(loaded, unreadable));
  if (problems.length > 0) throw new ConfigError(problems);
  return loaded;
}

/** Validates one environment file's text; returns the problems and, once its shape is valid, the environment; never throws. */
export function parseEnvironmentFile(
  path: string,
  text: string,
): { environment?: LoadedEnvironment; problems: ConfigProblem[]; accountId?: string } {
  const file = display(path);
  const name = basename(path, ".json");
  const problems: ConfigProblem[] = [];
  if (!ENV_NAME.test(name)) {
    problems.push({
      file,
      path: "",
      message: `file name "${name}" is the stack name: expected lower-case letters, digits and '-', starting with a letter, at most 31 characters`,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    problems.push({ file, path: "", message: `not valid JSON: ${(err as Error).message}` });
    return { problems };
  }
  // What JSON.parse accepts silently (a key twice, __proto__, 1e309, a Terraform template sequence), with its line.
  for (const p of strictJsonProblems(text))
    problems.push({ file, path: p.path, message: `line ${p.line}: ${p.message}` });
  const parsed = environmentSchema.safeParse(raw, PARSE_OPTIONS);
  if (!parsed.success) {
    problems.push(...problemsFromZod(file, parsed.error.issues));
    // Still known by its account, so a shared account.id is reported on both files in this run.
    const id = (raw as { account?: { id?: unknown } } | null)?.account?.id;
    return { problems, accountId: typeof id === "string" && /^\d{12}$/.test(id) ? id : undefined };
  }
  if (problems.length > 0) return { problems };
  const environment: LoadedEnvironment = { name, file, config: parsed.data };
  problems.push(...accountProblems(environment), ...moduleProblems(environment));
  // Still returned with problems: cross-environment checks judge it too, so every problem shows at once.
  return { environment, problems };
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") ? rel : path;
}
