/**
 * Lambda on-failure destination records: what Lambda sends to a function's on-failure destination
 * queue when it gives up on an event it accepted asynchronously (from an EventBridge rule, or from
 * the redrive's own replays). Recognised here, turned into the same failure details as an
 * EventBridge dead letter, and replayed as the original event (`requestPayload`), text unchanged.
 * Pure: no I/O.
 */
import { matchesErrorCode } from "../../../modules/shared/contract/error-codes";
import type { DlqMessage, FailureDetails } from "../engine/model";

/** What an on-failure record says, as the redrive uses it. */
export interface LambdaFailureRecord {
  /** `requestContext.condition`: why Lambda gave up (RetriesExhausted, EventAgeExceeded). */
  readonly condition: string;
  /** `requestContext.functionArn`, with a `:$LATEST` qualifier dropped (the unqualified function runs $LATEST). */
  readonly functionArn: string;
  /** `requestContext.approximateInvokeCount`: how often Lambda ran the function on the event. */
  readonly approximateInvokeCount: number;
  /** `responsePayload.errorType`, else `responseContext.functionError`, when present. */
  readonly errorType: string | null;
  /** `responsePayload.errorMessage`, when present. */
  readonly errorMessage: string | null;
  /** `requestPayload`: the original event, exactly as it appears in the record's text. */
  readonly requestPayload: string;
}

/** EventBridge's DLQ attributes: a message carrying any of them is an EventBridge dead letter, not a Lambda record. */
const EVENTBRIDGE_MARKERS = ["RULE_ARN", "TARGET_ARN", "ERROR_CODE"];
const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

const parsed = new WeakMap<DlqMessage, LambdaFailureRecord | null>();

/** The on-failure record a message holds, or undefined when it is not one (parsed once per message). */
export function lambdaFailureRecordOf(msg: DlqMessage): LambdaFailureRecord | undefined {
  let hit = parsed.get(msg);
  if (hit === undefined) {
    hit = EVENTBRIDGE_MARKERS.some((name) => name in msg.messageAttributes)
      ? null
      : (parseLambdaFailureRecord(msg.body) ?? null);
    parsed.set(msg, hit);
  }
  return hit ?? undefined;
}

/** Parses an on-failure record's text; undefined unless it has a function ARN, a condition, an invoke count and a requestPayload. */
export function parseLambdaFailureRecord(body: string): LambdaFailureRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isObject(value.requestContext) || !("requestPayload" in value)) return undefined;
  const { functionArn, condition, approximateInvokeCount } = value.requestContext;
  if (typeof functionArn !== "string" || !FUNCTION_ARN.test(functionArn)) return undefined;
  if (typeof condition !== "string" || condition === "") return undefined;
  if (!Number.isInteger(approximateInvokeCount) || (approximateInvokeCount as number) < 1) return undefined;
  const payload = topLevelValueText(body, "requestPayload");
  if (payload === undefined) return undefined;
  const response = isObject(value.responsePayload) ? value.responsePayload : {};
  const responseContext = isObject(value.responseContext) ? value.responseContext : {};
  const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
  return {
    condition,
    functionArn: functionArn.replace(/:\$LATEST$/, ""),
    approximateInvokeCount: approximateInvokeCount as number,
    errorType: text(response.errorType) ?? text(responseContext.functionError),
    errorMessage: text(response.errorMessage),
    requestPayload: payload,
  };
}

/**
 * The failure details of a record, in the vocabulary of EventBridge's dead letters: error type as
 * the error code (the condition when there is none), the condition as the exhausted-retry
 * condition, retries as invokes - 1, the function as the target; records have no rule.
 */
export function lambdaFailureDetails(record: LambdaFailureRecord): FailureDetails {
  return {
    errorCode: record.errorType ?? record.condition,
    errorMessage: record.errorMessage,
    exhaustedRetryCondition: record.condition,
    retryAttempts: record.approximateInvokeCount - 1,
    ruleArn: null,
    targetArn: record.functionArn,
    invokeCount: record.approximateInvokeCount,
  };
}

/** Whether `--error-code` selects a message: its error code, or for a Lambda record also its condition. */
export function errorCodeSelected(info: FailureDetails, codes: readonly string[]): boolean {
  if (info.errorCode !== null && matchesErrorCode(codes, info.errorCode)) return true;
  return (
    info.invokeCount !== undefined &&
    info.exhaustedRetryCondition !== null &&
    matchesErrorCode(codes, info.exhaustedRetryCondition)
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * The text of a top-level member's value in a JSON object (the last one, as JSON.parse keeps it),
 * sliced from the document so that numbers, escapes and key order stay exactly as sent. Call only
 * with text JSON.parse accepted.
 */
export function topLevelValueText(json: string, key: string): string | undefined {
  let i = skipSpace(json, 0);
  if (json[i] !== "{") return undefined;
  i = skipSpace(json, i + 1);
  let found: string | undefined;
  while (i < json.length && json[i] !== "}") {
    const keyEnd = skipString(json, i);
    const name = JSON.parse(json.slice(i, keyEnd)) as string;
    i = skipSpace(json, skipSpace(json, keyEnd) + 1);
    const end = skipValue(json, i);
    if (name === key) found = json.slice(i, end);
    i = skipSpace(json, end);
    if (json[i] === ",") i = skipSpace(json, i + 1);
  }
  return found;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === " " || s[i] === "\n" || s[i] === "\r" || s[i] === "\t")) i++;
  return i;
}

/** Index after the string starting at `i` (at its opening quote). */
function skipString(s: string, i: number): number {
  for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === "\\") i++;
  return i + 1;
}

/** Index after the value starting at `i`. */
function skipValue(s: string, i: number): number {
  if (s[i] === '"') return skipString(s, i);
  if (s[i] === "{" || s[i] === "[") {
    let depth = 0;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === '"') i = skipString(s, i) - 1;
      else if (c === "{" || c === "[") depth++;
      else if ((c === "}" || c === "]") && --depth === 0) return i + 1;
    }
    return i;
  }
  while (i < s.length && !",}] \n\r\t".includes(s[i])) i++;
  return i;
}
