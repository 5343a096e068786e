/**
 * An outbox declaration rendered for a pipe (filter pattern, input template), and a pipe's template read back and
 * applied to a record by the redrive. The template follows EventBridge Pipes input transformation: `<$.path>`
 * placeholders, quoted when the value is a string, bare when it is a boolean, an object or an array
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-input-transformation.html: "put quotes around
 * variables that refer to JSON path parameters, but do not put quotes around variables that refer to JSON objects or
 * arrays"). Pure.
 */
import {
  type OutboxCondition,
  type OutboxEventSpec,
  OUTBOX_META_FIELD,
  OUTBOX_META_PATHS,
  QUOTED_TYPES,
  recordPath,
  splitPath,
} from "./outbox-spec";

/** The pipe's input template of an event: its fields, then the record's identity under `outbox`. */
export function renderInputTemplate(spec: OutboxEventSpec): string {
  const members = Object.entries(spec.fields).map(([name, field]) => {
    const path = recordPath(splitPath(field.path)!, field.type);
    return `${JSON.stringify(name)}: ${QUOTED_TYPES.has(field.type) ? `"<${path}>"` : `<${path}>`}`;
  });
  const meta = Object.entries(OUTBOX_META_PATHS).map(([name, path]) => `${JSON.stringify(name)}: "<${path}>"`);
  members.push(`${JSON.stringify(OUTBOX_META_FIELD)}: {${meta.join(", ")}}`);
  return `{${members.join(", ")}}`;
}

type Pattern = { [key: string]: Pattern | unknown[] };

/** Sets `leaf` at the nested keys of `root` (creating the objects along the way). */
function setAt(root: Pattern, keys: readonly string[], leaf: unknown[]): void {
  let node = root;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Pattern;
  }
  node[keys[keys.length - 1]] = leaf;
}

/** The keys of a path's value in the record, as a pattern nests them. */
function patternKeys(path: string, type: string): string[] {
  return recordPath(splitPath(path)!, type).slice(2).split(".");
}

/** The matchers of one condition: its values, values it must not have, or (neither) that it exists. */
function conditionMatchers(c: OutboxCondition): unknown[] {
  if (c.anyOf !== undefined) return [...c.anyOf];
  if (c.noneOf !== undefined) return [{ "anything-but": [...c.noneOf] }];
  return [{ exists: true }];
}

/**
 * The pipe's filter pattern: the event names, every condition, and every field's presence (a record lacking a
 * field never becomes a half event: it does not match, in the pipe and in the redrive alike). A condition on a
 * field's path replaces its presence test (a value implies it).
 */
export function renderFilterPattern(spec: OutboxEventSpec): Pattern {
  const pattern: Pattern = { eventName: [...spec.eventNames] };
  for (const field of Object.values(spec.fields))
    setAt(pattern, patternKeys(field.path, field.type), [{ exists: true }]);
  for (const c of spec.when ?? []) setAt(pattern, patternKeys(c.path, c.type ?? "S"), conditionMatchers(c));
  return pattern;
}

/** A template read back: the detail's shape, with each placeholder's path and whether it was quoted. */
export type TemplateNode =
  | { readonly kind: "value"; readonly path: readonly string[]; readonly quoted: boolean }
  | { readonly kind: "object"; readonly members: ReadonlyArray<readonly [string, TemplateNode]> }
  | { readonly kind: "literal"; readonly value: unknown };

const PLACEHOLDER = /("?)<\$((?:\.[A-Za-z0-9_-]+)+)>("?)/g;
const MARK = "\u0000outbox-placeholder";

/**
 * Reads a pipe's input template (as the Outbox module renders it, or any JSON object template of placeholders and
 * literals); undefined when it is not one (free text, reserved variables, array indices or wildcards).
 */
export function parseInputTemplate(template: string): TemplateNode | undefined {
  const marked = template.replace(PLACEHOLDER, (_all, open: string, path: string, close: string) => {
    if (open !== close) return "\u0000invalid";
    return JSON.stringify({ [MARK]: path.slice(1), quoted: open === '"' });
  });
  if (marked.includes("\u0000invalid") || /<[^>]*>/.test(marked.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return undefined;
  try {
    const value = JSON.parse(marked) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value) ? toNode(value) : undefined;
  } catch {
    return undefined;
  }
}

function toNode(value: unknown): TemplateNode {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { kind: "literal", value };
  const o = value as Record<string, unknown>;
  if (typeof o[MARK] === "string")
    return { kind: "value", path: (o[MARK] as string).split("."), quoted: o.quoted === true };
  return { kind: "object", members: Object.entries(o).map(([k, v]) => [k, toNode(v)] as const) };
}

/** The value at a path of a record, or undefined. */
export function valueAt(record: unknown, path: readonly string[]): unknown {
  let node = record;
  for (const key of path) {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * Applies a template read back to a record (the pipe's JSON form of a stream record): the detail the pipe would
 * have put. A placeholder whose value is missing, or a quoted one whose value is not a string, is an error naming
 * it (the pipe's filter makes every field present, so this means the record is not what the pipe was built for).
 */
export function applyTemplate(node: TemplateNode, record: unknown): unknown {
  if (node.kind === "literal") return node.value;
  if (node.kind === "object") return Object.fromEntries(node.members.map(([k, v]) => [k, applyTemplate(v, record)]));
  const value = valueAt(record, node.path);
  const at = `$.${node.path.join(".")}`;
  if (value === undefined) throw new Error(`the record has no value at ${at}`);
  if (node.quoted && typeof value !== "string") throw new Error(`the value at ${at} is not a string`);
  return value;
}
