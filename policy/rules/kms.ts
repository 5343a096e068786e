/** KMS rules: key policy grants to AWS services are scoped by a condition that reaches KMS. */
import { type PolicyCondition, type PolicyStatement, readPolicy, statementLabel } from "../policy-document";
import type { Rule, Violation } from "../rule";
import type { StackView } from "../terraform-json";

const KEY = "aws_kms_key";
const KEY_POLICY = "aws_kms_key_policy";

/**
 * Operators that restrict a key to the listed values. `...IfExists` and `ForAllValues:` are not
 * among them: both are true when the key is absent from the request, so they scope nothing.
 */
const RESTRICTING = new Set(["stringequals", "stringlike", "arnequals", "arnlike"]);

/**
 * Condition keys AWS documents on a service's path to KMS: the encryption context the service
 * sends with every KMS request (`kms:EncryptionContext:aws:sqs:arn` for SQS, `...:aws:sns:topicArn`
 * for SNS, `...:aws:logs:arn` for CloudWatch Logs) and `kms:ViaService`.
 */
function isDocumentedScope(c: PolicyCondition): boolean {
  const key = c.variable.toLowerCase();
  const operator = c.test.replace(/^ForAnyValue:/i, "").toLowerCase();
  const scopes = key === "kms:viaservice" || /^kms:encryptioncontext:.+/.test(key);
  return (
    scopes && RESTRICTING.has(operator) && c.values.length > 0 && c.values.some((v) => v.replace(/[*?]/g, "") !== "")
  );
}

/** Why an Allow to a service principal is not scoped, or undefined when it is. */
function unscopedReason(s: PolicyStatement, index: number): string | undefined {
  if (s.effect !== "Allow") return undefined;
  const services = s.principals.filter((p) => p.type === "Service").flatMap((p) => p.ids);
  if (services.length === 0 || s.conditions.some(isDocumentedScope)) return undefined;
  const global = s.conditions
    .filter((c) => /^aws:Source(Account|Arn|OrgID|OrgPaths)$/i.test(c.variable))
    .map((c) => c.variable);
  const why =
    global.length > 0
      ? `only ${[...new Set(global)].join(" and ")}, which AWS does not document to reach KMS when a service encrypts through SQS or SNS`
      : "no condition";
  return `${statementLabel(s, index)} lets ${services.join(", ")} use the key with ${why}; scope it with kms:EncryptionContext:<the service's context key> (e.g. aws:sqs:arn, aws:sns:topicArn) or kms:ViaService`;
}

/** Every key policy in the stack: inline on aws_kms_key and in aws_kms_key_policy resources. */
function keyPolicies(stack: StackView): { address: string; value: unknown }[] {
  return [
    ...stack
      .resources(KEY)
      .filter((k) => k.body.policy !== undefined)
      .map((k) => ({ address: k.address, value: k.body.policy })),
    ...stack.resources(KEY_POLICY).map((p) => ({ address: p.address, value: p.body.policy })),
  ];
}

export const kmsServicePrincipalScoped: Rule = {
  id: "kms-service-principal-scoped",
  meaning:
    "every KMS key policy statement that allows an AWS service principal carries a condition documented on the service's path to KMS (kms:EncryptionContext:<context key> or kms:ViaService), not only aws:SourceAccount/aws:SourceArn",
  kinds: [KEY, KEY_POLICY],
  check(stack) {
    const out: Violation[] = [];
    for (const { address, value } of keyPolicies(stack)) {
      const doc = readPolicy(stack, value);
      if (!doc.readable) {
        out.push({ address, reason: `cannot read the key policy: ${doc.problem}` });
        continue;
      }
      doc.statements.forEach((s, i) => {
        const reason = unscopedReason(s, i);
        if (reason) out.push({ address, reason });
      });
    }
    return out;
  },
};

/** KMS rules, in report order. */
export const KMS_RULES: readonly Rule[] = [kmsServicePrincipalScoped];
