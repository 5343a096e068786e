/**
 * EventBridge Pipes reading a stream (the outbox): what a pipe gives up on is kept, retries and record age are bounded,
 * its data is under a customer key, it logs, and its role is scoped to its own source, target and DLQ.
 */
import { readPolicy } from "../policy-document";
import type { Rule, Violation } from "../rule";
import { block, type StackView, type TfResource } from "../terraform-json";

const PIPE = "aws_pipes_pipe";
const STREAM_PARAMETERS = ["dynamodb_stream_parameters", "kinesis_stream_parameters"] as const;

/** A pipe's stream source parameters, when its source is a stream. */
function streamParameters(pipe: TfResource): Record<string, any> | undefined {
  const source = block(pipe.body.source_parameters);
  for (const key of STREAM_PARAMETERS) {
    const p = block(source?.[key]);
    if (p) return p;
  }
  return undefined;
}

/** The problems of one stream pipe's failure handling. */
function failureProblems(p: Record<string, any>): string[] {
  const out: string[] = [];
  if (!block(p.dead_letter_config)?.arn)
    out.push("dead_letter_config.arn is not set: records the pipe gives up on are dropped");
  for (const field of ["maximum_retry_attempts", "maximum_record_age_in_seconds"]) {
    if (p[field] === undefined || p[field] === null)
      out.push(`${field} is not set: the default -1 retries a failing record until it leaves the stream`);
    else if (p[field] === -1)
      out.push(`${field} is -1 (infinite): a poison record blocks its shard until it leaves the stream`);
  }
  return out;
}

export const pipeStreamFailuresKept: Rule = {
  id: "pipe-stream-failures-kept",
  meaning:
    "every pipe reading a stream has a DLQ, bounded retries and record age (never -1), a customer KMS key and logging",
  kinds: [PIPE],
  check(stack) {
    const out: Violation[] = [];
    for (const pipe of stack.resources(PIPE)) {
      const p = streamParameters(pipe);
      if (!p) continue;
      const reasons = failureProblems(p);
      if (!pipe.body.kms_key_identifier)
        reasons.push("kms_key_identifier is not set: its filter and template rest under an AWS owned key");
      const logs = block(pipe.body.log_configuration);
      if (!logs || logs.level === "OFF")
        reasons.push("log_configuration is missing or OFF: its failures leave no trace");
      for (const reason of reasons) out.push({ address: pipe.address, reason });
    }
    return out;
  },
  judged: (stack) => stack.resources(PIPE).filter((p) => streamParameters(p) !== undefined).length,
};

/** Actions a pipe's role may hold only on its pipes' sources, targets and DLQs, by what they reach. */
const SCOPED: ReadonlyArray<{ readonly actions: RegExp; readonly allowed: (p: TfResource) => unknown[] }> = [
  {
    actions: /^dynamodb:(DescribeStream|GetRecords|GetShardIterator)$/i,
    allowed: (p) => [p.body.source],
  },
  { actions: /^events:PutEvents$/i, allowed: (p) => [p.body.target] },
  {
    actions: /^sqs:SendMessage$/i,
    allowed: (p) => [block(streamParameters(p)?.dead_letter_config)?.arn],
  },
];

/** The statements of the inline policies of the role a pipe runs as (those the stack defines). */
function roleStatements(stack: StackView, pipe: TfResource) {
  const role = stack.referenced(pipe.body.role_arn, "aws_iam_role")[0];
  if (!role) return undefined;
  return stack
    .resources("aws_iam_role_policy")
    .filter((p) => stack.refersTo(p.body.role, role))
    .flatMap((p) => {
      const doc = readPolicy(stack, p.body.policy);
      return doc.readable ? doc.statements.map((s) => ({ policy: p.address, s })) : [];
    });
}

export const pipeRoleScoped: Rule = {
  id: "pipe-role-scoped",
  meaning:
    "a pipe's role reads only its pipes' sources, puts only on their targets and sends only to their DLQs (no other resource, no wildcard)",
  kinds: [PIPE],
  check(stack) {
    const out: Violation[] = [];
    const pipes = stack.resources(PIPE);
    for (const pipe of pipes) {
      const statements = roleStatements(stack, pipe);
      if (!statements) continue;
      // A role may serve several pipes (one per event of an outbox): their ends are all allowed.
      const sharing = pipes.filter((other) => other.body.role_arn === pipe.body.role_arn);
      for (const { policy, s } of statements) {
        if (s.effect !== "Allow") continue;
        for (const rule of SCOPED) {
          if (!s.actions.some((a) => rule.actions.test(a))) continue;
          const allowed = new Set(sharing.flatMap(rule.allowed).filter((v): v is string => typeof v === "string"));
          for (const r of s.resources.filter((r) => !allowed.has(r)))
            out.push({
              address: pipe.address,
              reason: `${policy} grants ${s.actions.join(", ")} on ${r}, which is not this pipe's own`,
            });
        }
      }
    }
    return out;
  },
};

export const PIPE_RULES: readonly Rule[] = [pipeStreamFailuresKept, pipeRoleScoped];
