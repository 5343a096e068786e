/** SQS rules: encryption, no public queue policy, 14-day dead-letter queues, EventBridge access scoped to the rule. */
import {
  conditionOn,
  hasServicePrincipal,
  isPublicPrincipal,
  type PolicyCondition,
  type PolicyDocument,
  type PolicyStatement,
  readPolicy,
  statementLabel,
} from "../policy-document";
import type { Rule, Violation } from "../rule";
import { block, isExpression, type StackView, type TfResource } from "../terraform-json";

const QUEUE = "aws_sqs_queue";
const QUEUE_POLICY = "aws_sqs_queue_policy";
const EVENT_TARGET = "aws_cloudwatch_event_target";
const EVENT_RULE = "aws_cloudwatch_event_rule";

/** The longest retention SQS allows, which every dead-letter queue keeps: 14 days. */
export const DLQ_RETENTION_SECONDS = 1209600;

/** A queue's access policies: its inline `policy` and every aws_sqs_queue_policy attached by `queue_url`. */
function policiesOf(stack: StackView, queue: TfResource): { address: string; doc: PolicyDocument }[] {
  const out: { address: string; doc: PolicyDocument }[] = [];
  if (queue.body.policy) out.push({ address: queue.address, doc: readPolicy(stack, queue.body.policy) });
  for (const p of stack.resources(QUEUE_POLICY)) {
    if (stack.refersTo(p.body.queue_url, queue, ["url", "id"]))
      out.push({ address: p.address, doc: readPolicy(stack, p.body.policy) });
  }
  return out;
}

/** Every queue policy in the stack (aws_sqs_queue_policy resources and inline aws_sqs_queue.policy), unparsed. */
function queuePolicies(stack: StackView): { address: string; value: unknown }[] {
  return [
    ...stack.resources(QUEUE_POLICY).map((p) => ({ address: p.address, value: p.body.policy })),
    ...stack
      .resources(QUEUE)
      .filter((q) => q.body.policy)
      .map((q) => ({ address: q.address, value: q.body.policy })),
  ];
}

/**
 * Visits every statement of every queue policy in the stack; a policy that cannot be read is
 * itself a violation (never a silent pass).
 */
function forEachQueuePolicyStatement(
  stack: StackView,
  out: Violation[],
  visit: (address: string, s: PolicyStatement, index: number) => void,
): void {
  for (const { address, value } of queuePolicies(stack)) {
    const doc = readPolicy(stack, value);
    if (!doc.readable) {
      out.push({ address, reason: `cannot read the queue policy: ${doc.problem}` });
      continue;
    }
    for (const [i, s] of doc.statements.entries()) visit(address, s, i);
  }
}

export const sqsEncrypted: Rule = {
  id: "sqs-encrypted",
  checkov: "CKV_AWS_27",
  meaning: "every SQS queue is encrypted at rest, explicitly: sqs_managed_sse_enabled = true or a kms_master_key_id",
  kinds: [QUEUE],
  check(stack) {
    return stack
      .resources(QUEUE)
      .filter((q) => q.body.sqs_managed_sse_enabled !== true && !q.body.kms_master_key_id)
      .map((q) => ({
        address: q.address,
        reason: "neither sqs_managed_sse_enabled = true nor kms_master_key_id is set",
      }));
  },
};

export const sqsPolicyNotPublic: Rule = {
  id: "sqs-policy-not-public",
  checkov: "CKV_AWS_168",
  meaning: 'no SQS queue policy allows any principal ("*"); grant named accounts, roles or services instead',
  kinds: [QUEUE_POLICY, QUEUE],
  check(stack) {
    const out: Violation[] = [];
    forEachQueuePolicyStatement(stack, out, (address, s, i) => {
      if (s.effect === "Allow" && isPublicPrincipal(s.principals)) {
        out.push({
          address,
          reason: `${statementLabel(s, i)} allows principal "*" (${[...s.actions].join(", ") || "no actions"})`,
        });
      }
      if (s.effect === "Allow" && s.notPrincipals.length > 0) {
        out.push({ address, reason: `${statementLabel(s, i)} allows everyone except its NotPrincipal` });
      }
    });
    return out;
  },
};

/**
 * False only when a redrive allow policy is readable JSON with `"redrivePermission": "denyAll"`, which
 * forbids every source queue from using the queue as its DLQ; `allowAll`, `byQueue` or an unreadable
 * value mark the queue as a dead-letter queue.
 */
function allowsRedrive(policy: unknown): boolean {
  if (typeof policy !== "string") return policy !== undefined && policy !== null;
  try {
    return JSON.parse(policy)?.redrivePermission !== "denyAll";
  } catch {
    return true;
  }
}

/** Each queue that is some other thing's dead-letter queue, with who dead-letters into it. */
export function deadLetterQueues(stack: StackView): Map<string, { queue: TfResource; sources: Set<string> }> {
  const out = new Map<string, { queue: TfResource; sources: Set<string> }>();
  const add = (value: unknown, source: string) => {
    for (const q of stack.referenced(value, QUEUE)) {
      const entry = out.get(q.address) ?? { queue: q, sources: new Set<string>() };
      entry.sources.add(source);
      out.set(q.address, entry);
    }
  };
  for (const q of stack.resources(QUEUE)) {
    add(q.body.redrive_policy, q.address);
    if (q.body.redrive_allow_policy && allowsRedrive(q.body.redrive_allow_policy))
      add(`\${${q.address}.arn}`, `${q.address} redrive_allow_policy`);
  }
  for (const r of stack.resources("aws_sqs_queue_redrive_policy")) add(r.body.redrive_policy, r.address);
  for (const r of stack.resources("aws_sqs_queue_redrive_allow_policy"))
    if (allowsRedrive(r.body.redrive_allow_policy)) add(r.body.queue_url, r.address);
  for (const t of stack.resources(EVENT_TARGET)) add(block(t.body.dead_letter_config)?.arn, t.address);
  for (const f of stack.resources("aws_lambda_function")) add(block(f.body.dead_letter_config)?.target_arn, f.address);
  for (const m of stack.resources("aws_lambda_event_source_mapping"))
    add(block(block(m.body.destination_config)?.on_failure)?.destination_arn, m.address);
  for (const c of stack.resources("aws_lambda_function_event_invoke_config"))
    add(block(block(c.body.destination_config)?.on_failure)?.destination, c.address);
  for (const s of stack.resources("aws_sns_topic_subscription")) add(s.body.redrive_policy, s.address);
  return out;
}

export const sqsDlqRetention: Rule = {
  id: "sqs-dlq-retention",
  meaning: `every dead-letter queue (of a queue, EventBridge target, Lambda or subscription) keeps messages 14 days (message_retention_seconds = ${DLQ_RETENTION_SECONDS})`,
  kinds: [QUEUE],
  check(stack) {
    const out: Violation[] = [];
    for (const { queue, sources } of deadLetterQueues(stack).values()) {
      const retention = queue.body.message_retention_seconds;
      if (isExpression(retention) || Number(retention) === DLQ_RETENTION_SECONDS) continue;
      out.push({
        address: queue.address,
        reason: `dead-letter queue of ${[...sources].sort().join(", ")} keeps messages ${retention === undefined ? "345600 s (the default)" : `${retention} s`}, expected ${DLQ_RETENTION_SECONDS} (14 days)`,
      });
    }
    return out;
  },
};

/** Operators that restrict a key to the listed values (`ArnNotEquals` or `...IfExists` do not). */
const RESTRICTING_OPERATORS = new Set(["arnequals", "arnlike", "stringequals", "stringlike"]);

/** The aws:SourceArn conditions of a statement that actually restrict the caller to the listed ARNs. */
function sourceArnConditions(s: PolicyStatement): PolicyCondition[] {
  return conditionOn(s, "aws:SourceArn").filter((c) =>
    RESTRICTING_OPERATORS.has(c.test.replace(/^ForAnyValue:/i, "").toLowerCase()),
  );
}

function globMatches(pattern: string, candidate: string): boolean {
  const parts = pattern.split(/(\$\{[^}]*\}|\*|\?)/);
  const regex = parts
    .map((part) =>
      part === "*" || part.startsWith("${") ? ".*" : part === "?" ? "." : part.replace(/[.+^$()|[\]\\{}]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${regex}$`).test(candidate);
}

/** A rule's ARN path after `:rule/`: `<name>` on the default bus, `<bus name>/<name>` on a custom bus (either may be an expression). */
function rulePath(rule: TfResource): string | undefined {
  const name = rule.body.name;
  if (typeof name !== "string" || name === "") return undefined; // name_prefix or none: the ARN cannot be known before apply
  const bus = rule.body.event_bus_name;
  const busName = typeof bus === "string" ? bus.replace(/^arn:[^$]*:event-bus\//, "") : undefined;
  return busName === undefined || busName === "default" ? name : `${busName}/${name}`;
}

/**
 * True when a SourceArn condition value admits events from `rule` and only rules named like it:
 * a reference to the rule's ARN, or an events ARN whose `rule/...` part is the rule's path. Terraform
 * expressions are resolved, never guessed: `${aws_cloudwatch_event_rule.<rule>.name}` stands for the
 * rule's name, and any other expression (a variable, another resource, another rule) must appear
 * verbatim in the rule's own name or bus, or the value does not cover the rule. Wildcards (ArnLike)
 * are matched only between literal texts.
 */
function sourceArnCovers(stack: StackView, value: string, rule: TfResource): boolean {
  if (stack.refersTo(value, rule, ["arn"])) return true;
  const at = value.indexOf(":rule/");
  const expected = rulePath(rule);
  if (!value.includes(":events:") || at < 0 || expected === undefined) return false;
  // The rule's own name, written as a reference to it, is the rule's name.
  const path = value
    .slice(at + ":rule/".length)
    .split(`\${${rule.address}.name}`)
    .join(String(rule.body.name));
  if (path === expected) return true;
  // Region and account before `:rule/` are the stack's own (often references); only the path is judged.
  if (isExpression(path) || isExpression(expected)) return false;
  return globMatches(path, expected);
}

export const sqsEventBridgeSourceArn: Rule = {
  id: "sqs-eventbridge-source-arn",
  meaning:
    "every SQS queue EventBridge delivers to (target or target DLQ) has a queue policy allowing events.amazonaws.com only on an aws:SourceArn condition naming the feeding rule",
  kinds: [QUEUE_POLICY, QUEUE, EVENT_TARGET],
  check(stack) {
    const out: Violation[] = [];
    // 1. Every statement that lets EventBridge in must be conditioned on aws:SourceArn.
    forEachQueuePolicyStatement(stack, out, (address, s, i) => {
      if (s.effect === "Allow" && hasServicePrincipal(s, "events") && sourceArnConditions(s).length === 0) {
        out.push({
          address,
          reason: `${statementLabel(s, i)} allows events.amazonaws.com without an aws:SourceArn condition (ArnEquals/ArnLike)`,
        });
      }
    });
    // 2. Every queue an EventBridge target delivers to must let the feeding rule in.
    const fed = new Map<string, { queue: TfResource; rules: Map<string, TfResource>; targets: Set<string> }>();
    for (const t of stack.resources(EVENT_TARGET)) {
      const rules = stack.referenced(t.body.rule, EVENT_RULE);
      for (const q of [
        ...stack.referenced(t.body.arn, QUEUE),
        ...stack.referenced(block(t.body.dead_letter_config)?.arn, QUEUE),
      ]) {
        const entry = fed.get(q.address) ?? { queue: q, rules: new Map(), targets: new Set() };
        for (const r of rules) entry.rules.set(r.address, r);
        entry.targets.add(t.address);
        fed.set(q.address, entry);
      }
    }
    for (const { queue, rules, targets } of fed.values()) {
      const statements = policiesOf(stack, queue).flatMap(({ doc }) => (doc.readable ? doc.statements : []));
      const eventStatements = statements.filter(
        (s) =>
          s.effect === "Allow" &&
          hasServicePrincipal(s, "events") &&
          s.actions.some((a) => /^sqs:(SendMessage|\*)$/i.test(a)),
      );
      const feeders = [...targets].sort().join(", ");
      if (eventStatements.length === 0) {
        out.push({
          address: queue.address,
          reason: `EventBridge delivers here (${feeders}) but no queue policy allows events.amazonaws.com sqs:SendMessage`,
        });
        continue;
      }
      // Statements without any aws:SourceArn were reported above.
      if (eventStatements.every((s) => sourceArnConditions(s).length === 0)) continue;
      for (const rule of rules.values()) {
        const covered = eventStatements.some((s) =>
          sourceArnConditions(s).some((c) => c.values.some((v) => sourceArnCovers(stack, v, rule))),
        );
        if (!covered)
          out.push({
            address: queue.address,
            reason: `no queue policy statement allows events.amazonaws.com with aws:SourceArn matching ${rule.address}`,
          });
      }
    }
    return out;
  },
};

/** SQS rules, in report order. */
export const SQS_RULES: readonly Rule[] = [sqsEncrypted, sqsPolicyNotPublic, sqsDlqRetention, sqsEventBridgeSourceArn];
