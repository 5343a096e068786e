import { Token } from "cdktn";

/**
 * Terraform references standing in for literals while props are parsed (parseProps' `references`): the schema checks
 * a literal's format; a reference (a token) is checked by Terraform and AWS, so a well-formed sample takes its place
 * and the token is put back into what the parse returned.
 */

/**
 * The API module's fields that may hold a Terraform reference (a token) instead of a literal, with a literal of the right format the
 * token stands in for while validating; a token anywhere else is judged as the text it is.
 */
export const API_REFERENCE_SAMPLES: Readonly<Record<string, string>> = {
  alarmTopicArn: "arn:aws:sns:us-east-1:000000000000:reference",
  topicArn: "arn:aws:sns:us-east-1:000000000000:reference",
  certificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
  webAclArn: "arn:aws:wafv2:us-east-1:000000000000:global/webacl/reference/00000000-0000-0000-0000-000000000000",
  hostedZoneId: "Z000000000000",
  kmsKeyArn: "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000",
  accessLogKmsKeyArn: "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000",
};

/**
 * The value with every token in a reference field (a key of `samples`) replaced by its sample, and the tokens found:
 * the schema judges a reference as a well-formed value of its field; `putBack` restores them in the parsed result.
 */
export function withReferenceSamples(
  value: unknown,
  samples: Readonly<Record<string, string>>,
): { value: unknown; references: Reference[] } {
  const references: Reference[] = [];
  return { value: substitute(value, samples, [], references), references };
}

/** A token found in a reference field, and where. */
export interface Reference {
  readonly path: readonly string[];
  readonly token: string;
}

/** The value with every token in a reference field replaced by its sample (copies only what changes). */
function substitute(
  value: unknown,
  samples: Readonly<Record<string, string>>,
  at: readonly string[],
  found: Reference[],
): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item, i) => substitute(item, samples, [...at, String(i)], found));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const isReference = typeof item === "string" && Object.hasOwn(samples, key) && Token.isUnresolved(item);
    if (isReference) found.push({ path: [...at, key], token: item });
    const replaced = isReference ? samples[key] : substitute(item, samples, [...at, key], found);
    if (replaced === item) continue;
    copy ??= { ...value };
    // defineProperty, not assignment: a key named "__proto__" stays a key.
    Object.defineProperty(copy, key, { value: replaced, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? value;
}

/** Sets `path` of the parsed value back to the token, following own keys only (never a prototype). */
export function putBack(parsed: unknown, path: readonly string[], token: string): void {
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

/** parseProps' options for the API module's constructs: their reference fields. */
export const API_PARSE_OPTIONS = { references: API_REFERENCE_SAMPLES } as const;
