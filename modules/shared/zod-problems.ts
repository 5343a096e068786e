import type { z } from "zod";
import { suggestion } from "./did-you-mean";
import { templateSequenceProblem } from "./terraform-literal";

/**
 * The one formatter of zod problems, for construct props and for the environment config alike: each module owns the
 * zod schema of its props, the config composes those schemas, and both layers report a bad value with the same
 * message at the same path (the config puts the file name and its section in front).
 */

/** One problem: where (dotted path, `a.b[2].c`) and what was expected. */
export interface SchemaProblem {
  readonly path: string;
  readonly message: string;
}

type Issue = z.core.$ZodIssue & { input?: unknown };

/**
 * The parse options every schema of this package is parsed with: inputs are reported (messages say what they got),
 * and an unknown key gets a "did you mean" from the keys its object takes.
 */
export const PARSE_OPTIONS = {
  reportInput: true,
  error: (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code !== "unrecognized_keys") return undefined;
    const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
    const known = shape ? Object.keys(shape) : [];
    // One line per key, in the order of `keys`: zodProblems splits them into one problem each.
    return (issue as unknown as { keys: string[] }).keys
      .map((key) => `unknown field (${suggestion(key, known)})`)
      .join("\n");
  },
} as const;

/** cdktf's encoding of an unresolved token in a string: a reference the construct tree made, not text from a user. */
const TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;

/**
 * Every string (or key) of plain props that holds a Terraform template sequence (`${`, `%{`) outside cdktf's
 * own tokens: props reach Terraform as literals, and Terraform would evaluate one.
 */
export function templateProblems(value: unknown, path: PropertyKey[] = [], seen = new Set<object>()): SchemaProblem[] {
  if (typeof value === "string") {
    const problem = templateSequenceProblem(value.replace(TOKEN, ""));
    return problem ? [{ path: formatPath(path), message: problem }] : [];
  }
  if (value === null || typeof value !== "object" || seen.has(value)) return [];
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return []; // constructs, tokens
  seen.add(value);
  return Object.entries(value).flatMap(([key, v]) => {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    const keyProblem = templateSequenceProblem(key.replace(TOKEN, ""));
    return [
      ...(keyProblem ? [{ path: formatPath(at), message: `key ${keyProblem}` }] : []),
      ...templateProblems(v, at, seen),
    ];
  });
}

/** Turns zod issues into problems, one per field (unknown keys are split, one problem each). */
export function zodProblems(issues: readonly z.core.$ZodIssue[]): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const issue of issues as readonly Issue[]) {
    if (issue.code === "unrecognized_keys") {
      const lines = issue.message.split("\n");
      issue.keys.forEach((key, i) => {
        const line = lines.length === issue.keys.length ? lines[i] : undefined;
        out.push({
          path: formatPath([...issue.path, key]),
          message: line ?? "unknown field (not part of the schema; check the spelling)",
        });
      });
      continue;
    }
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the branch that got furthest: the one whose issues have the longest path.
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0];
      out.push(...zodProblems(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }))));
      continue;
    }
    out.push({ path: formatPath(issue.path), message: messageFor(issue) });
  }
  return out;
}

/** Joins a zod path into the dotted form used in messages (`a.b[2].c`; an odd key is quoted: `a[" "]`). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const key = String(part);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the test looks for.
      if (key === "" || /^\s|\s$|[\u0000-\u001f"]/.test(key)) out += `[${JSON.stringify(key)}]`;
      else out += out ? `.${key}` : key;
    }
  }
  return out;
}

/** Shows a value in a message, short: JSON for scalars, the kind for the rest. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint" || typeof value === "symbol") return String(value);
  // NaN and the infinities have no JSON text (JSON.stringify would say null).
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
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
    case "invalid_union": {
      // A discriminated union's tag matched no case: say which tags there are, and what was given (or that none was).
      // A schema's own words for it (they already say what they got) win.
      const { options, discriminator, input } = issue as Issue & { options?: unknown[]; discriminator?: string };
      if (/ got /.test(issue.message)) return issue.message;
      if (!Array.isArray(options) || options.length === 0 || typeof discriminator !== "string")
        return `${issue.message}${got}`;
      const tag =
        input !== null && typeof input === "object" ? (input as Record<string, unknown>)[discriminator] : undefined;
      const list = options.map((o) => JSON.stringify(o)).join(", ");
      return tag === undefined
        ? `required field is missing (expected one of ${list})`
        : `expected one of ${list}, got ${describeValue(tag)}`;
    }
    case "invalid_key": {
      // zod's own text is "Invalid key in record": name the key and what its schema expected instead.
      const expected = [...new Set(issue.issues.map(({ input: _key, ...rest }: Issue) => messageFor(rest as Issue)))];
      const key = issue.input !== undefined ? issue.input : issue.path[issue.path.length - 1];
      return `invalid key ${describeValue(typeof key === "symbol" ? String(key) : key)}: ${expected.join("; ") || "not allowed here"}`;
    }
    default:
      // A message that already says what it got (a union naming the discriminator given) keeps its own words.
      return / got /.test(issue.message) ? issue.message : `${issue.message}${got}`;
  }
}

function article(type: string): string {
  if (type === "int") return "an integer";
  if (type === "object" || type === "array") return `an ${type}`;
  return `a ${type}`;
}

/**
 * The value rules of a construct whose props schema checks them in one refinement: each records a problem at a props
 * path (dotted) unless it holds, in the words the rule gives; they run once the structure parsed, as one pass.
 */
export interface ValueChecks {
  /** A problem at `path` unless `ok`. */
  check(ok: boolean, path: string, expected: string): void;
  /** A problem unless `value` (when given) is an integer in [min, max]. */
  integerInRange(value: number | undefined, path: string, min: number, max: number): void;
}

/** The value checks of one refinement, recording into its context. */
export function valueChecks(ctx: z.RefinementCtx): ValueChecks {
  const check = (ok: boolean, path: string, expected: string) => {
    if (!ok) ctx.addIssue({ code: "custom", path: path.split("."), message: expected });
  };
  return {
    check,
    integerInRange(value, path, min, max) {
      if (value === undefined) return;
      check(
        Number.isInteger(value) && value >= min && value <= max,
        path,
        `expected an integer from ${min} to ${max}, got ${value}`,
      );
    },
  };
}
