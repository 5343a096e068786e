/** IAM rules: least privilege in every identity policy (and every policy document). */
import { type PolicyDocument, readPolicy, statementLabel } from "../policy-document";
import type { Rule, Violation } from "../rule";
import { blocks, type StackView } from "../terraform-json";
import { isUnscopedAction } from "./unscoped-actions";

/** Resource types whose `policy` argument is an identity-based policy. */
const IDENTITY_POLICY_TYPES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"];
const POLICY_DOCUMENT = "aws_iam_policy_document";

/**
 * Every policy the IAM rules judge, once each: JSON written inline in identity policy resources and
 * role inline_policy blocks, and every aws_iam_policy_document data source (reported under its own
 * address; resources that only refer to one are not reported twice).
 */
function policies(stack: StackView): { address: string; doc: PolicyDocument }[] {
  const out: { address: string; doc: PolicyDocument }[] = [];
  const inline: { address: string; value: unknown }[] = [];
  for (const type of IDENTITY_POLICY_TYPES)
    for (const r of stack.resources(type)) inline.push({ address: r.address, value: r.body.policy });
  for (const role of stack.resources("aws_iam_role")) {
    for (const p of blocks(role.body.inline_policy))
      if (p.policy) inline.push({ address: role.address, value: p.policy });
  }
  for (const { address, value } of inline) {
    const doc = readPolicy(stack, value);
    if (doc.readable && doc.sources.length > 0) continue; // an aws_iam_policy_document, judged below
    out.push({ address, doc });
  }
  for (const d of stack.dataSources(POLICY_DOCUMENT))
    out.push({ address: d.address, doc: readPolicy(stack, `\${${d.address}.json}`) });
  return out;
}

function isWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}

export const iamNoWildcardAction: Rule = {
  id: "iam-no-wildcard-action",
  checkov: "CKV_AWS_63",
  meaning:
    'no IAM policy statement allows every action ("*"), every action of a service ("sqs:*"), or everything but a NotAction list',
  kinds: [...IDENTITY_POLICY_TYPES, "aws_iam_role", `data.${POLICY_DOCUMENT}`],
  check(stack) {
    const out: Violation[] = [];
    for (const { address, doc } of policies(stack)) {
      if (!doc.readable) {
        out.push({ address, reason: `cannot read the policy: ${doc.problem}` });
        continue;
      }
      doc.statements.forEach((s, i) => {
        if (s.effect !== "Allow") return;
        const wild = s.actions.filter(isWildcardAction);
        if (wild.length > 0)
          out.push({
            address,
            reason: `${statementLabel(s, i)} allows action ${wild.map((a) => `"${a}"`).join(", ")}; list the actions needed`,
          });
        if (s.notActions.length > 0)
          out.push({
            address,
            reason: `${statementLabel(s, i)} allows every action except NotAction ${JSON.stringify(s.notActions)}`,
          });
      });
    }
    return out;
  },
};

export const iamNoWildcardResource: Rule = {
  id: "iam-no-wildcard-resource",
  checkov: "CKV_AWS_355",
  meaning:
    'no identity policy statement grants an action that supports resource scoping on "Resource": "*" (or NotResource); scope it to ARNs (policy/rules/unscoped-actions.ts lists the exceptions)',
  kinds: [...IDENTITY_POLICY_TYPES, "aws_iam_role", `data.${POLICY_DOCUMENT}`],
  check(stack) {
    const out: Violation[] = [];
    for (const { address, doc } of policies(stack)) {
      if (!doc.readable) continue; // iam-no-wildcard-action reports unreadable policies
      doc.statements.forEach((s, i) => {
        // Statements with principals are resource policies (key, queue, topic policies): "*" there means "this resource".
        if (s.effect !== "Allow" || s.principals.length > 0) return;
        if (s.notResources.length > 0) {
          out.push({ address, reason: `${statementLabel(s, i)} uses NotResource, which grants every other resource` });
          return;
        }
        if (!s.resources.includes("*")) return;
        const scopable = [...s.actions, ...s.notActions].filter((a) => !isUnscopedAction(a));
        if (scopable.length > 0) {
          out.push({
            address,
            reason: `${statementLabel(s, i)} grants ${scopable.map((a) => `"${a}"`).join(", ")} on "Resource": "*"; scope it to ARNs`,
          });
        }
      });
    }
    return out;
  },
};

/** IAM rules, in report order. */
export const IAM_RULES: readonly Rule[] = [iamNoWildcardAction, iamNoWildcardResource];
