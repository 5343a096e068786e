/**
 * Config and props values reach Terraform as literals. Terraform evaluates `${...}` and `%{...}` in
 * every string of its JSON configuration
 * (https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping), so a tag value
 * `${file("/etc/hostname")}` would read a file at plan and `${timestamp()}` change every plan. The
 * modules write only references (`${aws_sqs_queue.q.arn}`, `${data.aws_region.r.region}`, `${var.x}`)
 * and `jsonencode(...)`; any other template sequence came from a value that was meant as text.
 */
import type { Rule, Violation } from "../rule";
import type { StackView } from "../terraform-json";

/** How an expression the modules write may start: a reference to a resource, data source, variable, local or module, or jsonencode. */
const GENERATED = /^(aws_[a-z0-9_]+\.|data\.|var\.|local\.|module\.|jsonencode\()/;

/** The sections of a stack's JSON whose strings Terraform evaluates, with how their entries are addressed. */
function bodies(stack: StackView): { address: string; body: unknown }[] {
  const out: { address: string; body: unknown }[] = [];
  const each = (section: Record<string, Record<string, unknown>> | undefined, prefix: string) => {
    for (const [type, byName] of Object.entries(section ?? {}))
      for (const [name, body] of Object.entries(byName ?? {})) out.push({ address: `${prefix}${type}.${name}`, body });
  };
  each(stack.json.resource, "");
  each(stack.json.data, "data.");
  for (const name of Object.keys(stack.json.provider ?? {}))
    for (const p of stack.providers(name)) out.push({ address: p.address, body: p.body });
  for (const [name, body] of Object.entries(stack.json.output ?? {})) out.push({ address: `output.${name}`, body });
  return out;
}

/** Template sequences in one string that the modules do not write: `%{` directives, and `${` not starting a reference. */
export function foreignSequences(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/([$%])\{/g)) {
    // `$${` and `%%{` are Terraform's escapes: literal text.
    if (m.index > 0 && text[m.index - 1] === m[1]) continue;
    const rest = text.slice(m.index + 2);
    if (m[1] === "%" || !GENERATED.test(rest)) found.push(text.slice(m.index, m.index + 2 + Math.min(rest.length, 28)));
  }
  return found;
}

function stringsIn(value: unknown, at: string, out: { at: string; text: string }[]): void {
  if (typeof value === "string") out.push({ at, text: value });
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) stringsIn(v, `${at}[${i}]`, out);
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k === "//") continue; // cdktf's metadata
      stringsIn(k, `${at}.<key>`, out);
      stringsIn(v, at ? `${at}.${k}` : k, out);
    }
}

export const terraformLiteralStrings: Rule = {
  id: "terraform-literal-strings",
  meaning:
    "no string of a resource, data source, provider or output holds a template sequence the modules do not write (`%{...}`, or `${...}` that is not a reference or jsonencode): a config or props value meant as text would be evaluated by Terraform",
  kinds: ["resource", "provider.aws"],
  judged: (stack) => bodies(stack).length,
  check(stack) {
    const out: Violation[] = [];
    for (const { address, body } of bodies(stack)) {
      const found: { at: string; text: string }[] = [];
      stringsIn(body, "", found);
      for (const { at, text } of found)
        for (const seq of foreignSequences(text))
          out.push({
            address,
            reason: `${at} holds ${JSON.stringify(seq)}, which Terraform would evaluate: a value meant as text (escape it as $\${ or %%{, or remove it)`,
          });
    }
    return out;
  },
};

export const TERRAFORM_LITERAL_RULES: readonly Rule[] = [terraformLiteralStrings];
