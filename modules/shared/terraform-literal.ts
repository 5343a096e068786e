/**
 * Strings from config or props reach Terraform as literals. Terraform evaluates `${...}` (an
 * interpolation) and `%{...}` (a directive) inside any string of its JSON configuration
 * (https://developer.hashicorp.com/terraform/language/syntax/json#expression-mapping), so a string
 * holding either is refused where it enters: the env file reader and the props parser.
 */

/** `${` or `%{`: where Terraform starts an interpolation or a directive in a string. */
const TEMPLATE_SEQUENCE = /[$%]\{/;

/** Why a string cannot reach Terraform as a literal, or undefined. */
export function templateSequenceProblem(value: string): string | undefined {
  const at = TEMPLATE_SEQUENCE.exec(value);
  if (!at) return undefined;
  return `contains "${at[0]}", which Terraform would evaluate as an expression (\${file(...)} reads a file, \${timestamp()} changes every plan): write the text without "\${" or "%{"`;
}

/**
 * `text` as Terraform reads it back literally: `${` written `$${` and `%{` written `%%{` (Terraform's
 * escapes). For text the modules themselves write that must keep such sequences, such as a VTL
 * mapping template's formal reference `${n}`.
 */
export function terraformLiteral(text: string): string {
  // Replacement functions, not strings: in a replacement string "$$" means one "$".
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
