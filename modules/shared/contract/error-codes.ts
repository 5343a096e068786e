/**
 * The error codes `--error-code` (the event's `errorCodes`) accepts, by the kind of dead letter
 * that carries them. This is the one list: add a kind of dead letter here and its codes are known
 * to validation, the CLI's error message and the redrive runbook's table (docs/redrive.md) alike. Codes compare
 * case-insensitively.
 */

/**
 * ERROR_CODE values EventBridge puts on target-DLQ messages (EventBridge user guide, "Using
 * dead-letter queues"). AWS calls the list a sample, so codes outside it are accepted only when
 * the caller says so (`--allow-unknown-error-code`, event field `allowUnknownErrorCodes`).
 */
export const EVENTBRIDGE_ERROR_CODES = [
  "CONNECTION_FAILURE",
  "CROSS_ACCOUNT_INGESTION_FAILED",
  "CROSS_REGION_INGESTION_FAILED",
  "ERROR_FROM_TARGET",
  "EVENTS_IN_BATCH_REQUEST_REJECTED",
  "FAILED_TO_ASSUME_ROLE",
  "INTERNAL_ERROR",
  "INVALID_JSON",
  "INVALID_PARAMETER",
  "NO_PERMISSIONS",
  "NO_RESOURCE",
  "RESOURCE_ALREADY_EXISTS",
  "RESOURCE_LIMIT_EXCEEDED",
  "RESOURCE_MODIFICATION_COLLISION",
  "SDK_CLIENT_ERROR",
  "THIRD_ACCOUNT_HOP_DETECTED",
  "THIRD_REGION_HOP_DETECTED",
  "THROTTLING",
  "TIMEOUT",
  "TRANSIENT_ASSUME_ROLE",
  "UNKNOWN",
] as const;

/**
 * `requestContext.condition` values Lambda documents for on-failure records (its asynchronous
 * invocation guide). A record's error *type* (`responsePayload.errorType`, e.g. `Sandbox.Timedout`
 * or the function's own error class) is open-ended: filter on it with `--allow-unknown-error-code`.
 */
export const LAMBDA_FAILURE_CONDITIONS = ["RetriesExhausted", "EventAgeExceeded"] as const;

/**
 * `context.condition` values of an outbox pipe's stream failure record: the same conditions stream sources give up
 * with in Lambda's on-failure records for Kinesis and DynamoDB (retries exhausted, or the record older than the
 * maximum record age).
 */
export const PIPE_STREAM_CONDITIONS = ["RetryAttemptsExhausted", "RecordAgeExceeded"] as const;

/** Known codes by the kind of dead letter that carries them (add a kind here). */
export const KNOWN_ERROR_CODES: Readonly<Record<string, readonly string[]>> = {
  eventbridge: EVENTBRIDGE_ERROR_CODES,
  "lambda-on-failure": LAMBDA_FAILURE_CONDITIONS,
  "pipe-stream": PIPE_STREAM_CONDITIONS,
};

/** Every known code, in the spelling the dead letters use. */
export function knownErrorCodes(): string[] {
  return [...new Set(Object.values(KNOWN_ERROR_CODES).flat())];
}

/** The known code `code` names, whatever its case, or undefined. */
export function canonicalErrorCode(code: string): string | undefined {
  const lower = code.toLowerCase();
  return knownErrorCodes().find((c) => c.toLowerCase() === lower);
}

/** Whether `code` (a message's ERROR_CODE) is one of `wanted`, compared case-insensitively. */
export function matchesErrorCode(wanted: readonly string[], code: string): boolean {
  const lower = code.toLowerCase();
  return wanted.some((w) => w.toLowerCase() === lower);
}
