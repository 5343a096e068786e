/** EventBridge and SQS limits the module and the environment config both enforce, in one place. */

/** `maximum_retry_attempts` range of a target retry policy. */
export const RETRY_ATTEMPTS = { min: 0, max: 185 } as const;
/** `maximum_event_age_in_seconds` range of a target retry policy. */
export const EVENT_AGE_SECONDS = { min: 60, max: 86400 } as const;
/** `maximum_retry_attempts` range of Lambda's asynchronous invocation (aws_lambda_function_event_invoke_config). */
export const LAMBDA_ASYNC_RETRY_ATTEMPTS = { min: 0, max: 2 } as const;
/** `maximum_event_age_in_seconds` range of Lambda's asynchronous invocation. */
export const LAMBDA_ASYNC_EVENT_AGE_SECONDS = { min: 60, max: 21600 } as const;
/** Targets per rule (EventBridge quota). */
export const MAX_TARGETS_PER_RULE = 5;
/** SQS `max_message_size` range, in bytes. */
export const MESSAGE_SIZE_BYTES = { min: 1024, max: 1048576 } as const;
/** SQS retention range, in seconds; DLQs always use the maximum. */
export const RETENTION_SECONDS = { min: 60, max: 1209600 } as const;
/** SQS visibility timeout range, in seconds. */
export const VISIBILITY_TIMEOUT_SECONDS = { min: 0, max: 43200 } as const;
/** SQS redrive `maxReceiveCount` range. */
export const MAX_RECEIVE_COUNT = { min: 1, max: 1000 } as const;
/** Rule and target names: they become stems of queue, rule, role and alarm names. */
export const EVENTS_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
export const EVENTS_NAME_EXPECTED =
  "expected a name of at most 32 lower-case letters, digits and '-', starting with a letter";

/** Name, after `<prefix>-`, of the on-failure destination queue the module creates for a Lambda target. */
export function lambdaFailureQueueStem(targetName: string): string {
  return `${targetName}-async-failures`;
}

/** Name of the role EventBridge assumes for an event-bus target (IAM allows 64 characters). */
export function eventBusRoleName(prefix: string, targetName: string): string {
  return `${prefix}-${targetName}-put-events`;
}

/** Name of the role EventBridge assumes for a Step Functions target (IAM allows 64 characters). */
export function stateMachineRoleName(prefix: string, targetName: string): string {
  return `${prefix}-${targetName}-start`;
}

/** Statement id of a Lambda target's invoke permission (Lambda allows 100 characters). */
export function lambdaStatementId(prefix: string, ruleName: string, targetName: string): string {
  return `events-${prefix}-${ruleName}-${targetName}`;
}

/** A standard (not FIFO) queue name, and how a wrong one is worded. */
export const STANDARD_QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
export const standardQueueNameExpected = (name: string) =>
  `expected a standard queue name of 1-80 letters, digits, '-' or '_', got "${name}"`;

/** IAM role ARN (any path). */
export const ROLE_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::(\d{12}):role\/([\w+=,.@/-]{1,512})$/;

/** SQS queue ARN (standard or FIFO: FIFO is recognised so that it can be refused by name). */
export const SQS_ARN =
  /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,75}(\.fifo)?|[A-Za-z0-9_-]{1,80})$/;
/** Lambda function ARN, optionally with a version or alias. */
export const LAMBDA_ARN =
  /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
/** Lambda function name, optionally with a version or alias. */
export const LAMBDA_NAME = /^[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
/** KMS key or alias ARN. */
export const KMS_KEY_ARN =
  /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:kms:([a-z0-9-]*):(\d{12})?:(key\/[0-9a-f-]{36}|alias\/[\w/-]+)$/;
/** Event bus ARN. */
export const EVENT_BUS_ARN =
  /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:events:([a-z0-9-]+):(\d{12}):event-bus\/[A-Za-z0-9._\-/]{1,256}$/;

/** Step Functions state machine ARN. */
export const STATE_MACHINE_ARN =
  /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:states:([a-z0-9-]+):(\d{12}):stateMachine:[A-Za-z0-9_-]{1,80}$/;

/** The parts of an ARN the checks need. */
export interface ArnParts {
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN into region, account and resource (the part after the account). */
export function arnParts(arn: string): ArnParts {
  const [, , , region = "", account = "", ...rest] = arn.split(":");
  return { region, account, resource: rest.join(":") };
}

/**
 * Checks an event pattern: an object, or a string holding a JSON object, whose every field is an
 * array of match values or a nested pattern object. Returns what is wrong, or undefined.
 */
export function eventPatternProblem(pattern: unknown): string | undefined {
  let value = pattern;
  if (typeof pattern === "string") {
    try {
      value = JSON.parse(pattern);
    } catch (err) {
      return `expected valid JSON (an event pattern object), got a string that does not parse: ${(err as Error).message}`;
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return 'expected an event pattern: a JSON object such as {"source": ["acme.orders"]}';
  }
  if (Object.keys(value).length === 0)
    return "expected an event pattern with at least one field (an empty pattern matches nothing)";
  return fieldProblem(value as Record<string, unknown>, "");
}

function fieldProblem(obj: Record<string, unknown>, prefix: string): string | undefined {
  for (const [key, v] of Object.entries(obj)) {
    const at = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(v)) {
      if (v.length === 0) return `expected at least one match value in "${at}"`;
      if (key === "$or") {
        for (const alt of v) {
          if (alt === null || typeof alt !== "object" || Array.isArray(alt))
            return `expected "$or" to list pattern objects`;
          const p = fieldProblem(alt as Record<string, unknown>, prefix);
          if (p) return p;
        }
      }
      continue;
    }
    if (v !== null && typeof v === "object") {
      const p = fieldProblem(v as Record<string, unknown>, at);
      if (p) return p;
      continue;
    }
    return `expected "${at}" to be an array of match values or a nested object, got ${JSON.stringify(v)}`;
  }
  return undefined;
}

/** The pattern as the compact JSON text EventBridge takes (call only after eventPatternProblem passed). */
export function eventPatternJson(pattern: string | Readonly<Record<string, unknown>>): string {
  return JSON.stringify(typeof pattern === "string" ? JSON.parse(pattern) : pattern);
}
