/**
 * IAM policy documents as the rules see them: one normalized statement shape, read from a JSON
 * policy string (`aws_iam_role_policy.policy`, `aws_sqs_queue_policy.policy`, ...) or from an
 * `aws_iam_policy_document` data source the string refers to (`${data.aws_iam_policy_document.x.json}`).
 */
import { blocks, interpolations, referencesIn, type StackView, strings } from "./terraform-json";

/** A principal entry: `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` (the anonymous `"Principal": "*"`). */
export interface PolicyPrincipal {
  readonly type: string;
  readonly ids: readonly string[];
}

/** A condition entry: operator (`ArnEquals`), key (`aws:SourceArn`) and values. */
export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** One statement, normalized from JSON or from a data source `statement` block. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Principals; empty for identity policies. */
  readonly principals: readonly PolicyPrincipal[];
  readonly notPrincipals: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

/** A policy the rules could read, or why they could not (rules report that rather than pass it). */
export type PolicyDocument =
  | { readonly readable: true; readonly statements: readonly PolicyStatement[]; readonly sources: readonly string[] }
  | { readonly readable: false; readonly problem: string };

function principalsFromJson(value: unknown): PolicyPrincipal[] {
  if (value === undefined) return [];
  if (value === "*") return [{ type: "*", ids: ["*"] }];
  if (value && typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).map(([type, ids]) => ({ type, ids: strings(ids) }));
  }
  return [{ type: "AWS", ids: strings(value) }];
}

function conditionsFromJson(value: unknown): PolicyCondition[] {
  const out: PolicyCondition[] = [];
  for (const [test, entries] of Object.entries((value as Record<string, unknown>) ?? {})) {
    for (const [variable, values] of Object.entries((entries as Record<string, unknown>) ?? {})) {
      out.push({ test, variable, values: strings(values) });
    }
  }
  return out;
}

function statementFromJson(s: Record<string, any>): PolicyStatement {
  return {
    sid: s.Sid,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    principals: principalsFromJson(s.Principal),
    notPrincipals: principalsFromJson(s.NotPrincipal),
    conditions: conditionsFromJson(s.Condition),
  };
}

function principalsFromBlocks(value: unknown): PolicyPrincipal[] {
  return blocks(value).map((p) =>
    p.type === "*" ? { type: "*", ids: ["*"] } : { type: String(p.type), ids: strings(p.identifiers) },
  );
}

function statementFromBlock(s: Record<string, any>): PolicyStatement {
  return {
    sid: s.sid,
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    principals: principalsFromBlocks(s.principals),
    notPrincipals: principalsFromBlocks(s.not_principals),
    conditions: blocks(s.condition).map((c) => ({
      test: String(c.test),
      variable: String(c.variable),
      values: strings(c.values),
    })),
  };
}

/**
 * Reads the policy a resource argument holds. `value` is the argument (a JSON string, a reference
 * to an `aws_iam_policy_document`, or absent). Anything else (an HCL `jsonencode(...)`, a variable)
 * comes back unreadable, so rules fail closed instead of passing what they cannot see.
 */
export function readPolicy(stack: StackView, value: unknown, seen: ReadonlySet<string> = new Set()): PolicyDocument {
  if (value === undefined || value === null || value === "") return { readable: true, statements: [], sources: [] };
  if (typeof value === "object") return fromParsed(value as Record<string, any>);
  const text = String(value);
  const exprs = interpolations(text);
  if (exprs.length === 1 && text.trim() === `\${${exprs[0]}}`) {
    const refs = referencesIn(text);
    const ref = refs[0];
    if (
      refs.length === 1 &&
      ref.mode === "data" &&
      ref.type === "aws_iam_policy_document" &&
      ["json", "minified_json"].includes(ref.attribute ?? "")
    ) {
      const doc = stack.lookup(ref);
      if (!doc)
        return { readable: false, problem: `refers to data.${ref.type}.${ref.name}, which is not in this stack` };
      if (seen.has(doc.address)) return { readable: false, problem: `${doc.address} includes itself` };
      return fromDataSource(stack, doc.address, doc.body, new Set([...seen, doc.address]));
    }
    return { readable: false, problem: `policy is the expression "${text}", which the checks cannot read` };
  }
  try {
    return fromParsed(JSON.parse(text));
  } catch {
    return { readable: false, problem: "policy is not valid JSON" };
  }
}

function fromParsed(doc: Record<string, any>): PolicyDocument {
  if (!doc || typeof doc !== "object" || Array.isArray(doc))
    return { readable: false, problem: "policy is not a JSON object" };
  const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return { readable: true, statements: list.map(statementFromJson), sources: [] };
}

function fromDataSource(
  stack: StackView,
  address: string,
  body: Record<string, any>,
  seen: ReadonlySet<string>,
): PolicyDocument {
  const statements: PolicyStatement[] = [];
  const sources = [address];
  for (const included of [...strings(body.source_policy_documents), ...strings(body.override_policy_documents)]) {
    const doc = readPolicy(stack, included, seen);
    if (!doc.readable) return { readable: false, problem: `${address}: ${doc.problem}` };
    statements.push(...doc.statements);
    sources.push(...doc.sources);
  }
  statements.push(...blocks(body.statement).map(statementFromBlock));
  return { readable: true, statements, sources };
}

/** A statement's label for messages: `statement "Sid"` or `statement #n`. */
export function statementLabel(s: PolicyStatement, index: number): string {
  return s.sid ? `statement "${s.sid}"` : `statement #${index + 1}`;
}

/** True when a principal list admits anyone (`"*"` or `{"AWS": "*"}`). */
export function isPublicPrincipal(principals: readonly PolicyPrincipal[]): boolean {
  return principals.some((p) => (p.type === "*" || p.type === "AWS") && p.ids.includes("*"));
}

/** True when a statement's principals include the given service (`events` matches `events.amazonaws.com` and `events.${dns_suffix}`). */
export function hasServicePrincipal(s: PolicyStatement, service: string): boolean {
  return s.principals.some(
    (p) => p.type === "Service" && p.ids.some((id) => id === service || id.startsWith(`${service}.`)),
  );
}

/** Values of one condition key (case-insensitive, any operator), with the operators that test it. */
export function conditionOn(s: PolicyStatement, key: string): PolicyCondition[] {
  return s.conditions.filter((c) => c.variable.toLowerCase() === key.toLowerCase());
}
