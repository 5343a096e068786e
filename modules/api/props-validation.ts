import { Token } from "cdktn";
import type { z } from "zod";
import { parseProps } from "../shared/zod-problems";

/**
 * How the API module's constructs validate their props: one parse with their zod schema (front-door-schema.ts,
 * route-schema.ts), Terraform references standing in as well-formed samples, and no second parse of props that
 * RestApiFrontDoor built for the constructs it is made of from props it had validated.
 */

/**
 * Fields that may hold a Terraform reference (a token) instead of a literal, with a literal of the right format the
 * token stands in for while validating; a token anywhere else is judged as the text it is.
 */
const REFERENCE_SAMPLES: Readonly<Record<string, string>> = {
  alarmTopicArn: "arn:aws:sns:us-east-1:000000000000:reference",
  topicArn: "arn:aws:sns:us-east-1:000000000000:reference",
  certificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
  webAclArn: "arn:aws:wafv2:us-east-1:000000000000:global/webacl/reference/00000000-0000-0000-0000-000000000000",
  hostedZoneId: "Z000000000000",
  kmsKeyArn: "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000",
  accessLogKmsKeyArn: "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000",
};

const VOUCHED = new WeakSet<object>();

/** Marks props a construct of this module built from props it validated: the construct they are for skips its parse. */
export function vouched<T extends object>(props: T): T {
  VOUCHED.add(props);
  return props;
}

/**
 * Parses props with the construct's schema and returns what the schema returned (keys a record drops, such as
 * `__proto__`, are gone), with the Terraform references put back; throws a PropsError naming `construct` and every
 * problem. Props vouched for are returned as they are.
 */
export function validateProps<S extends z.ZodType>(construct: string, schema: S, props: unknown): z.output<S> {
  if (typeof props === "object" && props !== null && VOUCHED.has(props)) return props as z.output<S>;
  const references: Reference[] = [];
  const parsed = parseProps(construct, schema, withReferenceSamples(props, [], references));
  for (const { path, token } of references) putBack(parsed, path, token);
  return parsed;
}

/** A token found in a reference field, and where. */
interface Reference {
  readonly path: readonly string[];
  readonly token: string;
}

/** The value with every token in a reference field replaced by its sample (copies only what changes). */
function withReferenceSamples(value: unknown, at: readonly string[], found: Reference[]): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item, i) => withReferenceSamples(item, [...at, String(i)], found));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const isReference = typeof item === "string" && Object.hasOwn(REFERENCE_SAMPLES, key) && Token.isUnresolved(item);
    if (isReference) found.push({ path: [...at, key], token: item });
    const replaced = isReference ? REFERENCE_SAMPLES[key] : withReferenceSamples(item, [...at, key], found);
    if (replaced === item) continue;
    copy ??= { ...value };
    // defineProperty, not assignment: a key named "__proto__" stays a key.
    Object.defineProperty(copy, key, { value: replaced, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? value;
}

/** Sets `path` of the parsed value back to the token, following own keys only (never a prototype). */
function putBack(parsed: unknown, path: readonly string[], token: string): void {
  let container: unknown = parsed;
  for (const key of path.slice(0, -1)) {
    if (container === null || typeof container !== "object" || !Object.hasOwn(container, key)) return;
    container = (container as Record<string, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (container !== null && typeof container === "object" && Object.hasOwn(container, last))
    (container as Record<string, unknown>)[last] = token;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
