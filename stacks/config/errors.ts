import type { z } from "zod";

/** One thing wrong with one config file: where (file and field path) and what was expected. */
export interface ConfigProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** Every problem found in the environment configs, reported together. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid environment config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** `env/prod.json: api.tiers.large.throttle.rateLimit: expected a number >= 0, got -5` */
export function formatProblem(p: ConfigProblem): string {
  return `${p.file}: ${p.path || "(root)"}: ${p.message}`;
}

/** Joins a zod path into the dotted form used in messages (`a.b[2].c`). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Shows a config value in an error message, short. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

type Issue = z.core.$ZodIssue & { input?: unknown };

/** Turns zod issues into problems, one per field (unknown keys are split, one problem each). */
export function problemsFromZod(file: string, issues: readonly Issue[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          file,
          path: formatPath([...issue.path, key]),
          message: "unknown field (not part of the schema; check the spelling)",
        });
      }
      continue;
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch that got furthest: the one whose issues have the longest path.
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0];
      out.push(...problemsFromZod(file, best.map((i) => ({ ...i, path: [...issue.path, ...i.path] })) as Issue[]));
      continue;
    }
    out.push({ file, path: formatPath(issue.path), message: messageFor(issue) });
  }
  return out;
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length));
}

function messageFor(issue: Issue): string {
  const got = "input" in issue ? `, got ${describeValue(issue.input)}` : "";
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `required field is missing (expected ${article(issue.expected)})`;
      return `expected ${article(issue.expected)}${got}`;
    case "too_small": {
      const op = issue.inclusive === false ? ">" : ">=";
      if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint")
        return `expected a number ${op} ${issue.minimum}${got}`;
      if (issue.origin === "array" || issue.origin === "set") return `expected at least ${issue.minimum} item(s)${got}`;
      if (issue.origin === "string") return `expected at least ${issue.minimum} character(s)${got}`;
      return `${issue.message}${got}`;
    }
    case "too_big": {
      const op = issue.inclusive === false ? "<" : "<=";
      if (issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint")
        return `expected a number ${op} ${issue.maximum}${got}`;
      if (issue.origin === "array" || issue.origin === "set") return `expected at most ${issue.maximum} item(s)${got}`;
      if (issue.origin === "string") return `expected at most ${issue.maximum} character(s)${got}`;
      return `${issue.message}${got}`;
    }
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}${got}`;
    case "custom":
      return issue.message;
    case "invalid_key": {
      // zod's own text is "Invalid key in record": name the key and what its schema expected instead.
      const expected = [...new Set(issue.issues.map(({ input: _key, ...rest }: Issue) => messageFor(rest as Issue)))];
      const key = issue.input !== undefined ? issue.input : issue.path[issue.path.length - 1];
      return `invalid key ${describeValue(typeof key === "symbol" ? String(key) : key)}: ${expected.join("; ") || "not allowed here"}`;
    }
    default:
      return `${issue.message}${got}`;
  }
}

function article(type: string): string {
  if (type === "int") return "an integer";
  if (type === "object" || type === "array") return `an ${type}`;
  return `a ${type}`;
}
