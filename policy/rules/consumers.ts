/**
 * Queue consumer rules: idempotency tables that survive mistakes and are encrypted, SQS event
 * sources that report partial batch failures, and queues whose visibility timeout covers their
 * consumer (6 x function timeout + batching window).
 */
import type { Rule, Violation } from "../rule";
import { block, isExpression, type StackView, type TfResource } from "../terraform-json";

const TABLE = "aws_dynamodb_table";
const MAPPING = "aws_lambda_event_source_mapping";
const QUEUE = "aws_sqs_queue";
const FUNCTION = "aws_lambda_function";

/** Lambda's advice: a queue's visibility timeout is at least 6 function timeouts (plus the batching window). */
export const CONSUMER_VISIBILITY_FACTOR = 6;

export const dynamodbPointInTimeRecovery: Rule = {
  id: "dynamodb-pitr",
  checkov: "CKV_AWS_28",
  meaning: "every DynamoDB table has point-in-time recovery on (point_in_time_recovery.enabled = true)",
  kinds: [TABLE],
  check(stack) {
    return stack
      .resources(TABLE)
      .filter((t) => block(t.body.point_in_time_recovery)?.enabled !== true)
      .map((t) => ({
        address: t.address,
        reason: `point_in_time_recovery.enabled is ${JSON.stringify(block(t.body.point_in_time_recovery)?.enabled ?? "unset")}, expected true`,
      }));
  },
};

export const dynamodbEncrypted: Rule = {
  id: "dynamodb-encrypted",
  meaning:
    "every DynamoDB table sets server_side_encryption.enabled = true (a KMS key: the customer key in kms_key_arn, or the AWS managed aws/dynamodb), so every use of the key is in CloudTrail",
  kinds: [TABLE],
  check(stack) {
    return stack
      .resources(TABLE)
      .filter((t) => block(t.body.server_side_encryption)?.enabled !== true)
      .map((t) => ({
        address: t.address,
        reason: `server_side_encryption.enabled is ${JSON.stringify(block(t.body.server_side_encryption)?.enabled ?? "unset")}: the table uses an AWS owned key, expected true (aws/dynamodb or kms_key_arn)`,
      }));
  },
};

/** The SQS queue a mapping reads: in the stack (by reference), or only its ARN. */
function sqsSource(stack: StackView, m: TfResource): { queue?: TfResource; isSqs: boolean } {
  const [queue] = stack.referenced(m.body.event_source_arn, QUEUE);
  if (queue) return { queue, isSqs: true };
  const arn = m.body.event_source_arn;
  return { isSqs: typeof arn === "string" && /^arn:aws[a-z-]*:sqs:/.test(arn) };
}

export const lambdaSqsPartialBatch: Rule = {
  id: "lambda-sqs-partial-batch",
  meaning:
    'every SQS event source mapping reports batch item failures (function_response_types includes "ReportBatchItemFailures"), so one bad record does not retry its whole batch',
  kinds: [MAPPING],
  check(stack) {
    const out: Violation[] = [];
    for (const m of stack.resources(MAPPING)) {
      if (!sqsSource(stack, m).isSqs) continue;
      const types = m.body.function_response_types;
      if (isExpression(types)) continue;
      if (!Array.isArray(types) || !types.includes("ReportBatchItemFailures")) {
        out.push({
          address: m.address,
          reason: `function_response_types is ${JSON.stringify(types ?? "unset")}, expected ["ReportBatchItemFailures"]`,
        });
      }
    }
    return out;
  },
};

/** A number argument with its AWS default; undefined when it is an expression (not judged). */
function numberOr(value: unknown, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  if (isExpression(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export const sqsConsumerVisibility: Rule = {
  id: "sqs-consumer-visibility",
  meaning: `every SQS queue a Lambda function consumes has visibility_timeout_seconds >= ${CONSUMER_VISIBILITY_FACTOR} x the function's timeout + the mapping's maximum_batching_window_in_seconds, so no record reappears while it is still in a batch`,
  kinds: [MAPPING, QUEUE],
  check(stack) {
    const out: Violation[] = [];
    for (const m of stack.resources(MAPPING)) {
      const { queue } = sqsSource(stack, m);
      const [fn] = stack.referenced(m.body.function_name, FUNCTION);
      if (!queue || !fn) continue; // a queue or function outside the stack is not judged
      const visibility = numberOr(queue.body.visibility_timeout_seconds, 30);
      const timeout = numberOr(fn.body.timeout, 3);
      const window = numberOr(m.body.maximum_batching_window_in_seconds, 0);
      if (visibility === undefined || timeout === undefined || window === undefined) continue;
      const needed = CONSUMER_VISIBILITY_FACTOR * timeout + window;
      if (visibility < needed) {
        out.push({
          address: queue.address,
          reason: `visibility_timeout_seconds is ${visibility}, expected at least ${needed} (${CONSUMER_VISIBILITY_FACTOR} x ${fn.address} timeout ${timeout} + ${m.address} batching window ${window})`,
        });
      }
    }
    return out;
  },
};

/** Consumer rules, in report order. */
export const CONSUMER_RULES: readonly Rule[] = [
  dynamodbPointInTimeRecovery,
  dynamodbEncrypted,
  lambdaSqsPartialBatch,
  sqsConsumerVisibility,
];
