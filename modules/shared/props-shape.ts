/**
 * The structural shape of a construct's props (which keys exist, which are required, which type each value has),
 * checked before the construct's value rules so that props from plain JavaScript (a missing field, a string where an
 * object belongs, `null`, a misspelled key, an unknown `kind`) become problems with paths, never a TypeError.
 * Each module owns the shapes of its constructs; value rules (ranges, patterns, cross-field) stay in the module.
 */
export type Shape =
  | { readonly kind: "string" | "number" | "boolean" | "unknown" }
  | { readonly kind: "enum"; readonly values: readonly (string | number | boolean)[] }
  | { readonly kind: "array" | "record" | "optional"; readonly of: Shape }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Shape>> }
  | { readonly kind: "union"; readonly key: string; readonly cases: Readonly<Record<string, ObjectShape>> }
  | { readonly kind: "either"; readonly options: readonly Shape[]; readonly expected: string };

/** An object shape: its fields by key (an `optional(...)` field may be absent or undefined). */
export type ObjectShape = Extract<Shape, { kind: "object" }>;

export const string: Shape = { kind: "string" };
export const number: Shape = { kind: "number" };
export const boolean: Shape = { kind: "boolean" };
/** Any value (a JSON document the module passes on as is). */
export const unknown: Shape = { kind: "unknown" };
export const oneOf = (...values: readonly (string | number | boolean)[]): Shape => ({ kind: "enum", values });
export const arrayOf = (of: Shape): Shape => ({ kind: "array", of });
/** An object whose keys are free (names, paths) and whose values all have one shape. */
export const recordOf = (of: Shape): Shape => ({ kind: "record", of });
/** A field that may be absent. */
export const optional = (of: Shape): Shape => ({ kind: "optional", of });
/** An object with exactly these keys. */
export const object = (fields: Readonly<Record<string, Shape>>): ObjectShape => ({ kind: "object", fields });
/** Objects told apart by the value of `key` (`kind: "sqs"`); each case lists `key` among its fields. */
export const union = (key: string, cases: Readonly<Record<string, ObjectShape>>): Shape => ({
  kind: "union",
  key,
  cases,
});
/** A value of any of the shapes (`string | object`), described as `expected` when it is none. */
export const either = (expected: string, ...options: readonly Shape[]): Shape => ({
  kind: "either",
  options,
  expected,
});

/** Every structural problem of `value` against `shape`, as `path: expected ...` lines (path "props" at the top). */
export function shapeProblems(value: unknown, shape: Shape, path = ""): string[] {
  const out: string[] = [];
  check(value, shape, path, (at, message) => out.push(`${at || "props"}: ${message}`));
  return out;
}

type Report = (path: string, message: string) => void;

function check(value: unknown, shape: Shape, path: string, report: Report): void {
  switch (shape.kind) {
    case "optional":
      if (value !== undefined) check(value, shape.of, path, report);
      return;
    case "unknown":
      return;
    case "either":
      if (!shape.options.some((o) => shapeProblems(value, o).length === 0))
        report(path, `expected ${shape.expected}, got ${got(value)}`);
      return;
    case "enum":
      if (!shape.values.includes(value as string | number))
        report(path, `expected ${describe(shape)}, got ${got(value)}`);
      return;
    case "object":
    case "record":
    case "union":
      if (isPlainObject(value)) checkObject(value, shape, path, report);
      else report(path, `expected ${describe(shape)}, got ${got(value)}`);
      return;
    case "array":
      if (!Array.isArray(value)) report(path, `expected ${describe(shape)}, got ${got(value)}`);
      else for (const [i, item] of value.entries()) check(item, shape.of, `${path}[${i}]`, report);
      return;
    default:
      if (!isScalar(value, shape.kind)) report(path, `expected ${describe(shape)}, got ${got(value)}`);
  }
}

function checkObject(value: Record<string, unknown>, shape: Shape, path: string, report: Report): void {
  if (shape.kind === "record") {
    for (const [key, item] of Object.entries(value)) check(item, shape.of, join(path, key), report);
    return;
  }
  if (shape.kind === "union") {
    const tag = value[shape.key];
    const chosen = typeof tag === "string" && Object.hasOwn(shape.cases, tag) ? shape.cases[tag] : undefined;
    if (chosen) checkObject(value, chosen, path, report);
    else
      report(
        join(path, shape.key),
        `${tag === undefined ? "required: " : ""}expected one of ${quoted(Object.keys(shape.cases))}${tag === undefined ? "" : `, got ${got(tag)}`}`,
      );
    return;
  }
  if (shape.kind !== "object") return;
  for (const [key, field] of Object.entries(shape.fields)) {
    const item = value[key];
    if (item === undefined && field.kind !== "optional")
      report(join(path, key), `required: expected ${describe(field)}`);
    else check(item, field, join(path, key), report);
  }
  const known = Object.keys(shape.fields);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape.fields, key)) report(join(path, key), `unknown property (${suggestion(key, known)})`);
  }
}

/** `did you mean "throttle"?` for a near miss, else the keys the object takes. */
export function suggestion(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const [k, c] = [key.toLowerCase(), candidate.toLowerCase()];
    // Same but for case, a prefix of the key meant (`memory` for `memorySize`), or a few edits away.
    const d = k === c ? 0 : k.length >= 4 && c.startsWith(k) ? 1 : distance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3))) return `did you mean "${best}"?`;
  return known.length > 0 ? `expected one of ${quoted(known)}` : "expected none";
}

/** Levenshtein distance (keys are short). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function isScalar(value: unknown, kind: "string" | "number" | "boolean"): boolean {
  if (kind === "number") return typeof value === "number" && !Number.isNaN(value);
  return typeof value === kind;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describe(shape: Shape): string {
  switch (shape.kind) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "enum":
      return `one of ${quoted(shape.values)}`;
    case "array":
      return "an array";
    case "optional":
      return describe(shape.of);
    case "either":
      return shape.expected;
    case "unknown":
      return "a value";
    default:
      return "an object";
  }
}

/** The value as a problem shows it: JSON for scalars (cut at 60 characters), the kind for the rest. */
function got(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function quoted(values: readonly (string | number | boolean)[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** `a.b`; a key that would not read as one (empty, blank at an end, control characters) is quoted: `a[" "]`. */
function join(path: string, key: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the test looks for.
  if (key === "" || /^\s|\s$|[\u0000-\u001f"]/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}
