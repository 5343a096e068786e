/**
 * A read-only view of one synthesized stack (`cdk.tf.json`) for policy rules: resources by type,
 * Terraform references (`${aws_x.y.arn}`) resolved back to the resources they name, nested blocks
 * read the same whether cdktf wrote them as an object or a one-element list.
 */

/** Synthesized Terraform JSON of one stack (the parts the rules read). */
export interface TerraformJson {
  readonly terraform?: Record<string, any>;
  readonly provider?: Record<string, any>;
  readonly resource?: Record<string, Record<string, any>>;
  readonly data?: Record<string, Record<string, any>>;
  readonly [key: string]: unknown;
}

/** One resource or data source of a stack. */
export interface TfResource {
  /** Terraform type, e.g. `aws_sqs_queue`. */
  readonly type: string;
  /** Logical id (the resource's name in Terraform). */
  readonly name: string;
  /** Terraform address: `type.name`, or `data.type.name` for data sources. */
  readonly address: string;
  /** The resource's arguments as synthesized. */
  readonly body: Record<string, any>;
  /** cdktf construct path (`dev/events/orders-dlq`), when the JSON still carries metadata. */
  readonly path?: string;
}

/** A Terraform reference found in a value: `aws_sqs_queue.dlq.arn` or `data.aws_iam_policy_document.p.json`. */
export interface TfReference {
  readonly mode: "resource" | "data";
  readonly type: string;
  readonly name: string;
  /** First attribute after the name (`arn`, `url`, `json`), if any. */
  readonly attribute?: string;
}

/** One provider configuration block. */
export interface TfProvider {
  /** `provider.aws`, or `provider.aws.<alias>` for an aliased configuration. */
  readonly address: string;
  readonly body: Record<string, any>;
}

/** `${ ... }` interpolations in a string, outermost first (nested braces are kept inside). */
export function interpolations(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf("${");
  while (i >= 0) {
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && --depth === 0) break;
    }
    out.push(text.slice(i + 2, j));
    i = text.indexOf("${", j + 1);
  }
  return out;
}

const REFERENCE = /(?<![\w.-])(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)(?:\.([a-z_][a-z0-9_]*))?/g;

/** Every Terraform resource/data reference inside `${...}` in a value (strings, arrays, objects, deeply). */
export function referencesIn(value: unknown): TfReference[] {
  const out: TfReference[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const expr of interpolations(v)) {
        for (const m of expr.matchAll(REFERENCE)) {
          const [, data, type, name, attribute] = m;
          // Only provider resource types (`aws_...`, `random_...`) have an underscore; skips `var.x`, `local.y`, functions.
          if (!type.includes("_")) continue;
          out.push({ mode: data ? "data" : "resource", type, name, attribute });
        }
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(value);
  return out;
}

/** True when a value is (or contains) an unresolved Terraform expression. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** A nested block as one object, whether cdktf wrote it as an object or a list (first element); undefined when absent. */
export function block(value: unknown): Record<string, any> | undefined {
  if (Array.isArray(value)) return value.length > 0 && value[0] && typeof value[0] === "object" ? value[0] : undefined;
  return value && typeof value === "object" ? (value as Record<string, any>) : undefined;
}

/** A repeatable nested block as a list, whether written as an object or a list. */
export function blocks(value: unknown): Record<string, any>[] {
  if (Array.isArray(value)) return value.filter((v) => v && typeof v === "object");
  return value && typeof value === "object" ? [value as Record<string, any>] : [];
}

/** A value that may be a single string or a list of strings, as a list. */
export function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

function metadataPath(body: Record<string, any>): string | undefined {
  return body["//"]?.metadata?.path;
}

/** The stack the rules see. */
export class StackView {
  constructor(
    /** Stack name (the environment). */
    readonly name: string,
    /** The stack's synthesized Terraform JSON. */
    readonly json: TerraformJson,
  ) {}

  /** Every resource of a type, in logical-id order. */
  resources(type: string): TfResource[] {
    return Object.entries(this.json.resource?.[type] ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, body]) => ({ type, name, address: `${type}.${name}`, body, path: metadataPath(body) }));
  }

  /** Every data source of a type. */
  dataSources(type: string): TfResource[] {
    return Object.entries(this.json.data?.[type] ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, body]) => ({ type, name, address: `data.${type}.${name}`, body, path: metadataPath(body) }));
  }

  /** The resource or data source a reference names, if it is in this stack. */
  lookup(ref: TfReference): TfResource | undefined {
    const body =
      ref.mode === "data" ? this.json.data?.[ref.type]?.[ref.name] : this.json.resource?.[ref.type]?.[ref.name];
    if (!body) return undefined;
    const address = ref.mode === "data" ? `data.${ref.type}.${ref.name}` : `${ref.type}.${ref.name}`;
    return { type: ref.type, name: ref.name, address, body, path: metadataPath(body) };
  }

  /** Resources (of `type`, if given) that a value refers to. */
  referenced(value: unknown, type?: string): TfResource[] {
    const seen = new Set<string>();
    const out: TfResource[] = [];
    for (const ref of referencesIn(value)) {
      if (type && ref.type !== type) continue;
      const r = this.lookup(ref);
      if (r && !seen.has(r.address)) {
        seen.add(r.address);
        out.push(r);
      }
    }
    return out;
  }

  /** True when a value refers to the given resource (optionally through one of `attributes`). */
  refersTo(value: unknown, target: TfResource, attributes?: readonly string[]): boolean {
    const mode = target.address.startsWith("data.") ? "data" : "resource";
    return referencesIn(value).some(
      (r) =>
        r.mode === mode &&
        r.type === target.type &&
        r.name === target.name &&
        (!attributes || (r.attribute !== undefined && attributes.includes(r.attribute))),
    );
  }

  /** Every configuration of a provider (`aws` by default), aliased ones included. */
  providers(name = "aws"): TfProvider[] {
    return blocks(this.json.provider?.[name]).map((body) => ({
      address: body.alias ? `provider.${name}.${body.alias}` : `provider.${name}`,
      body,
    }));
  }

  /** True when the stack has at least one resource or data source of a provider (type prefix `aws_`). */
  usesProvider(name = "aws"): boolean {
    const prefix = `${name}_`;
    return [this.json.resource, this.json.data].some((section) =>
      Object.keys(section ?? {}).some((t) => t.startsWith(prefix)),
    );
  }
}
