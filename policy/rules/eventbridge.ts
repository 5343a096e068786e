/** EventBridge rules: no target drops events silently (nor a Lambda target after it accepted them). */
import type { Rule, Violation } from "../rule";
import { block, isExpression, referencesIn, type StackView, type TfResource } from "../terraform-json";

const TARGET = "aws_cloudwatch_event_target";

/** True when a target delivers to an event bus (same or cross account), which takes no retry policy. */
function isEventBusTarget(stack: StackView, target: TfResource): boolean {
  const arn = target.body.arn;
  if (stack.referenced(arn).some((r) => r.type === "aws_cloudwatch_event_bus")) return true;
  return typeof arn === "string" && /:event-bus\//.test(arn);
}

export const eventBridgeTargetRetryDlq: Rule = {
  id: "eventbridge-target-retry-dlq",
  meaning:
    "every EventBridge target has a standard-queue DLQ (dead_letter_config.arn) and an explicit retry_policy, except event-bus targets, which take no retry policy",
  kinds: [TARGET],
  check(stack) {
    const out: Violation[] = [];
    for (const t of stack.resources(TARGET)) {
      const dlqArn = block(t.body.dead_letter_config)?.arn;
      if (!dlqArn)
        out.push({
          address: t.address,
          reason: "dead_letter_config.arn is not set: events that exhaust retries are dropped",
        });
      else {
        const fifo = stack.referenced(dlqArn, "aws_sqs_queue").find((q) => q.body.fifo_queue === true);
        if (fifo || (typeof dlqArn === "string" && !isExpression(dlqArn) && dlqArn.endsWith(".fifo"))) {
          out.push({
            address: t.address,
            reason: `dead_letter_config.arn names a FIFO queue (${fifo?.address ?? dlqArn}); EventBridge needs a standard queue`,
          });
        }
      }
      const retry = block(t.body.retry_policy);
      const hasRetry =
        retry !== undefined &&
        (retry.maximum_retry_attempts !== undefined || retry.maximum_event_age_in_seconds !== undefined);
      if (isEventBusTarget(stack, t)) {
        if (retry)
          out.push({ address: t.address, reason: "retry_policy is set on an event-bus target, which takes none" });
      } else if (!hasRetry) {
        out.push({
          address: t.address,
          reason: "retry_policy (maximum_retry_attempts, maximum_event_age_in_seconds) is not set explicitly",
        });
      }
    }
    return out;
  },
};

const FUNCTION = "aws_lambda_function";
const ALIAS = "aws_lambda_alias";
const PERMISSION = "aws_lambda_permission";
const INVOKE_CONFIG = "aws_lambda_function_event_invoke_config";

/** Which function (and version or alias) a value names, as far as the stack tells; undefined when it cannot tell. */
interface FunctionRef {
  /** Function name, when literal. */
  readonly name?: string;
  /** Address of the aws_lambda_function, when the value refers to one. */
  readonly resource?: string;
  /** Account, when the value is an ARN with a literal account. */
  readonly account?: string;
  /** Version or alias; undefined for the unqualified function ($LATEST). */
  readonly qualifier?: string;
}

const ARN_TAIL = /(?:^|:)(\d{12}|\$\{[^}]*\}):function:([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
const PLAIN_NAME = /^([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/** The function a target ARN, a permission's or invoke config's function_name (and qualifier) names. */
function functionRef(stack: StackView, value: unknown, qualifier?: unknown): FunctionRef | undefined {
  if (typeof value !== "string") return undefined;
  const q = (v: string | undefined): string | undefined => (v === undefined || v === "$LATEST" ? undefined : v);
  const extra = typeof qualifier === "string" ? aliasName(stack, qualifier) : undefined;
  const fn = stack.referenced(value, FUNCTION)[0];
  if (fn && /^\$\{[^}]*\}$/.test(value)) {
    const name =
      typeof fn.body.function_name === "string" && !isExpression(fn.body.function_name)
        ? fn.body.function_name
        : undefined;
    // qualified_arn is the latest published version: configured with qualifier = that resource's version.
    const published = referencesIn(value).some((r) => r.type === FUNCTION && r.attribute === "qualified_arn");
    return { resource: fn.address, name, qualifier: published ? `\${${fn.address}.version}` : q(extra) };
  }
  const alias = stack.referenced(value, ALIAS)[0];
  if (alias && /^\$\{[^}]*\}$/.test(value)) {
    const base = functionRef(stack, alias.body.function_name);
    return base && { ...base, qualifier: q(aliasName(stack, alias.body.name)) };
  }
  const arn = ARN_TAIL.exec(value);
  if (arn)
    return { name: arn[2], account: /^\d{12}$/.test(arn[1]) ? arn[1] : undefined, qualifier: q(arn[3] ?? extra) };
  const plain = PLAIN_NAME.exec(value);
  if (plain) return { name: plain[1], qualifier: q(plain[2] ?? extra) };
  return undefined;
}

/** A qualifier that is a literal, or a reference to an alias's name. */
function aliasName(stack: StackView, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!isExpression(value)) return value;
  const alias = stack.referenced(value, ALIAS)[0];
  return alias && typeof alias.body.name === "string" && !isExpression(alias.body.name) ? alias.body.name : value;
}

function sameFunction(a: FunctionRef, b: FunctionRef): boolean {
  if (a.qualifier !== b.qualifier) return false;
  if (a.account && b.account && a.account !== b.account) return false;
  if (a.resource && b.resource) return a.resource === b.resource;
  return a.name !== undefined && a.name === b.name;
}

/** True when a target delivers to a Lambda function (a function or alias in the stack, or a function ARN). */
function isLambdaTarget(stack: StackView, target: TfResource): boolean {
  const arn = target.body.arn;
  if (stack.referenced(arn).some((r) => r.type === FUNCTION || r.type === ALIAS)) return true;
  return typeof arn === "string" && /:lambda:/.test(arn) && /:function:/.test(arn);
}

export const lambdaTargetOnFailureDestination: Rule = {
  id: "lambda-target-on-failure-destination",
  meaning:
    "every Lambda function an EventBridge rule invokes (a target, or a permission for events.amazonaws.com) has an aws_lambda_function_event_invoke_config with destination_config.on_failure.destination, matched by function name or ARN and qualifier",
  kinds: [TARGET, PERMISSION, INVOKE_CONFIG],
  check(stack) {
    const configs = stack
      .resources(INVOKE_CONFIG)
      .map((c) => ({ config: c, fn: functionRef(stack, c.body.function_name, c.body.qualifier) }));
    const invoked: { address: string; value: unknown; qualifier?: unknown; what: string }[] = [
      ...stack
        .resources(TARGET)
        .filter((t) => isLambdaTarget(stack, t))
        .map((t) => ({ address: t.address, value: t.body.arn, what: "target arn" })),
      ...stack
        .resources(PERMISSION)
        .filter((p) => p.body.principal === "events.amazonaws.com")
        .map((p) => ({
          address: p.address,
          value: p.body.function_name,
          qualifier: p.body.qualifier,
          what: "function_name",
        })),
    ];
    const out: Violation[] = [];
    for (const i of invoked) {
      const fn = functionRef(stack, i.value, i.qualifier);
      const shown = JSON.stringify(i.value);
      if (!fn) {
        out.push({
          address: i.address,
          reason: `cannot tell which function ${i.what} ${shown} is, so no event invoke config can be matched to it: name the function by ARN or name`,
        });
        continue;
      }
      const matches = configs.filter((c) => c.fn && sameFunction(fn, c.fn)).map((c) => c.config);
      if (matches.length === 0) {
        out.push({
          address: i.address,
          reason: `the function ${shown} has no ${INVOKE_CONFIG} in the stack: after Lambda's retries, events it accepted and failed are dropped`,
        });
        continue;
      }
      const bare = matches.filter((c) => !block(block(c.body.destination_config)?.on_failure)?.destination);
      if (bare.length === matches.length) {
        out.push({
          address: i.address,
          reason: `${bare.map((c) => c.address).join(", ")} sets no destination_config.on_failure.destination: after Lambda's retries, events the function failed are dropped`,
        });
      }
    }
    return out;
  },
};

/** EventBridge rules, in report order. */
export const EVENTBRIDGE_RULES: readonly Rule[] = [eventBridgeTargetRetryDlq, lambdaTargetOnFailureDestination];
