import { z } from "zod";
import { environmentSchema } from "./schema";

/** One field of an environment file, as docs/env-reference.md lists it. */
export interface FieldDoc {
  /** Dotted config path; `[]` for array items, `<key>` for record keys, `(kind "sqs")` for one variant. */
  readonly path: string;
  readonly type: string;
  /** `required`, `optional`, or `default <value>`. */
  readonly presence: string;
  /** Allowed values or range (enum, minimum/maximum, length, pattern), or empty. */
  readonly allowed: string;
  /** What the field means, from the schema's `.describe()`/`.meta()`, else from FIELD_MEANINGS. */
  readonly meaning: string;
}

// biome-ignore lint/suspicious/noExplicitAny: zod's JSON Schema output is walked field by field, of any shape.
type Json = Record<string, any>;

/** Every field of the environment schema, in schema order, from zod's JSON Schema of the input. */
export function environmentFields(meanings: Readonly<Record<string, string>>): FieldDoc[] {
  const root = z.toJSONSchema(environmentSchema, { io: "input", unrepresentable: "any" }) as Json;
  const out: FieldDoc[] = [];
  walkProperties(root, "", meanings, out);
  return out;
}

function walkProperties(
  schema: Json,
  prefix: string,
  meanings: Readonly<Record<string, string>>,
  out: FieldDoc[],
): void {
  const required = new Set<string>(schema.required ?? []);
  // Keys whose schemas are identical (the HTTP methods of a resource) are listed once: `{GET|POST|...}`.
  const groups = new Map<string, string[]>();
  for (const [key, child] of Object.entries<Json>(schema.properties ?? {}))
    groups.set(JSON.stringify(child), [...(groups.get(JSON.stringify(child)) ?? []), key]);
  for (const [text, keys] of groups) {
    const name = keys.length > 1 && keys.length > 3 ? `{${keys.join("|")}}` : undefined;
    for (const key of name ? [name] : keys) {
      const path = prefix ? `${prefix}.${key}` : key;
      field(JSON.parse(text), path, required.has(key) ? "required" : "optional", meanings, out);
    }
  }
}

function field(
  schema: Json,
  path: string,
  presence: string,
  meanings: Readonly<Record<string, string>>,
  out: FieldDoc[],
): void {
  const shown = "default" in schema ? `default \`${JSON.stringify(schema.default)}\`` : presence;
  const variants: Json[] | undefined = schema.oneOf ?? schema.anyOf;
  out.push({
    path,
    type: typeOf(schema),
    presence: shown,
    allowed: allowedOf(schema),
    meaning: schema.description ?? meaningFor(path, meanings),
  });
  if (variants) {
    for (const v of variants) {
      const tag = discriminator(variants);
      if (!tag) continue;
      const value = v.properties[tag].const;
      walkProperties(
        { ...v, properties: Object.fromEntries(Object.entries(v.properties).filter(([k]) => k !== tag)) },
        `${path}(${tag} "${value}")`,
        meanings,
        out,
      );
    }
    return;
  }
  if (schema.type === "object" && schema.properties) walkProperties(schema, path, meanings, out);
  else if (schema.type === "object" && typeof schema.additionalProperties === "object")
    field(schema.additionalProperties, `${path}.<key>`, "optional", meanings, out);
  else if (schema.type === "array" && schema.items && (schema.items.properties || schema.items.oneOf)) {
    if (schema.items.oneOf) field(schema.items, `${path}[]`, "required", meanings, out);
    else walkProperties(schema.items, `${path}[]`, meanings, out);
  }
}

/** The property every variant of a union fixes to a constant (`kind`, `type`), if any. */
function discriminator(variants: readonly Json[]): string | undefined {
  const first = variants[0]?.properties ?? {};
  return Object.keys(first).find((k) => variants.every((v) => v.properties?.[k]?.const !== undefined));
}

function typeOf(schema: Json): string {
  const variants: Json[] | undefined = schema.oneOf ?? schema.anyOf;
  if (variants) {
    const tag = discriminator(variants);
    return tag
      ? `object, one of ${tag} ${variants.map((v) => JSON.stringify(v.properties[tag].const)).join(", ")}`
      : variants.map(typeOf).join(" or ");
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.type === "array") return `array of ${schema.items ? typeOf(schema.items) : "any"}`;
  if (schema.type === "object" && !schema.properties && typeof schema.additionalProperties === "object") return "map";
  return schema.type ?? "any JSON";
}

function allowedOf(schema: Json): string {
  const parts: string[] = [];
  if (schema.enum) parts.push(schema.enum.map((v: unknown) => JSON.stringify(v)).join(", "));
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.exclusiveMinimum !== undefined)
    parts.push(range(schema.minimum, schema.maximum, schema.exclusiveMinimum, schema.exclusiveMaximum));
  if (schema.minLength !== undefined || schema.maxLength !== undefined)
    parts.push(`${range(schema.minLength, schema.maxLength)} characters`);
  if (schema.minItems !== undefined || schema.maxItems !== undefined)
    parts.push(`${range(schema.minItems, schema.maxItems)} items`);
  if (schema.format) parts.push(schema.format);
  if (schema.pattern) parts.push(`\`${schema.pattern}\``);
  if (schema.propertyNames?.pattern) parts.push(`keys \`${schema.propertyNames.pattern}\``);
  if (schema.type === "array" && schema.items && !schema.items.properties && !schema.items.oneOf) {
    const inner = allowedOf(schema.items);
    if (inner) parts.push(`each ${inner}`);
  }
  return parts.join("; ");
}

function range(rawMin?: number, rawMax?: number, exMin?: number, exMax?: number): string {
  // zod writes "no bound" on integers as +-MAX_SAFE_INTEGER.
  const min = rawMin !== undefined && rawMin > -Number.MAX_SAFE_INTEGER ? rawMin : undefined;
  const max = rawMax !== undefined && rawMax < Number.MAX_SAFE_INTEGER ? rawMax : undefined;
  const lo = exMin !== undefined ? `> ${exMin}` : min !== undefined ? `>= ${min}` : "";
  const hi = exMax !== undefined ? `< ${exMax}` : max !== undefined ? `<= ${max}` : "";
  if (min !== undefined && max !== undefined && exMin === undefined && exMax === undefined) return `${min}..${max}`;
  return [lo, hi].filter(Boolean).join(", ");
}

/** The meaning of a path: an exact key, else the key without variant labels, else the longest `*.<suffix>` key. */
export function meaningFor(path: string, meanings: Readonly<Record<string, string>>): string {
  if (meanings[path] !== undefined) return meanings[path];
  const plain = path.replace(/\((\w+) "[^"]*"\)/g, "");
  if (meanings[plain] !== undefined) return meanings[plain];
  const parts = plain.split(".");
  for (let i = 1; i < parts.length; i++) {
    const key = `*.${parts.slice(i).join(".")}`;
    if (meanings[key] !== undefined) return meanings[key];
  }
  return "";
}

/** docs/env-reference.md: every field of env/<name>.json, generated from the schema by `npm run docs:env`. */
export function renderEnvironmentReference(fields: readonly FieldDoc[]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    "# Environment file reference (`env/<name>.json`)",
    "",
    "Generated from the zod schema (`stacks/config/`) by `npm run docs:env`; `npm test` fails when this file is stale.",
    'Paths: `a.b` nested field, `[]` an array item, `<key>` a key you choose, `(kind "sqs")` a field of that variant only,',
    "`{GET|POST|...}` any of those keys. Besides these per-field rules, validation rejects cross-field and cross-environment",
    "mistakes (docs/platform.md): every problem is reported as `env/<file>: <path>: <what was expected>`.",
    "",
    "| field | type | required / default | allowed | meaning |",
    "|---|---|---|---|---|",
    ...fields.map(
      (f) =>
        `| \`${cell(f.path)}\` | ${cell(f.type)} | ${cell(f.presence)} | ${cell(f.allowed)} | ${cell(f.meaning)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}
