import { REDRIVE_CONTEXT_ATTRIBUTE } from "../../../modules/shared/contract/message-attributes";
import type { DlqMessage, FailureDetails } from "../engine/model";
import type { Decoded, DeadLetterInfo } from "./failure-source";

/** Name of the message attribute every replayed message carries (the contract's: consumers read it too). */
export const CONTEXT_ATTRIBUTE = REDRIVE_CONTEXT_ATTRIBUTE;

function stringAttribute(msg: DlqMessage, name: string): string | null {
  const value = msg.messageAttributes[name];
  return value && value.StringValue !== undefined ? value.StringValue : null;
}

/**
 * Reads EventBridge's attributes and any earlier redrive-context; an unreadable redrive-context is an error. A
 * message without EventBridge's attributes (e.g. a replay that failed again and reached the target's own DLQ) keeps
 * the failure its earlier redrive-context recorded.
 */
export function decodeAttributesAndContext(msg: DlqMessage): Decoded {
  const context = readContext(msg);
  if ("error" in context) return context;
  const { previous, carried } = context;
  const attempts = stringAttribute(msg, "RETRY_ATTEMPTS");
  const parsedAttempts = attempts !== null && /^\d+$/.test(attempts.trim()) ? Number(attempts) : null;
  return {
    info: {
      errorCode: stringAttribute(msg, "ERROR_CODE") ?? carried.errorCode ?? null,
      errorMessage: stringAttribute(msg, "ERROR_MESSAGE") ?? carried.errorMessage ?? null,
      exhaustedRetryCondition:
        stringAttribute(msg, "EXHAUSTED_RETRY_CONDITION") ?? carried.exhaustedRetryCondition ?? null,
      retryAttempts: parsedAttempts ?? carried.retryAttempts ?? null,
      ruleArn: stringAttribute(msg, "RULE_ARN") ?? carried.ruleArn ?? null,
      targetArn: stringAttribute(msg, "TARGET_ARN") ?? carried.targetArn ?? null,
      previous,
    },
  };
}

type Context = { previous: DeadLetterInfo["previous"]; carried: Partial<FailureDetails> } | { error: string };

/** The earlier redrive-context of a message: its count and first id, and the failure it carried; none is fine. */
function readContext(msg: DlqMessage): Context {
  const raw = msg.messageAttributes[CONTEXT_ATTRIBUTE];
  if (!raw) return { previous: null, carried: {} };
  let parsed: unknown;
  try {
    parsed = raw.StringValue === undefined ? undefined : JSON.parse(raw.StringValue);
  } catch {
    parsed = undefined;
  }
  const p = parsed as { redriveCount?: unknown; originalMessageId?: unknown } | undefined;
  if (
    !p ||
    typeof p !== "object" ||
    !Number.isInteger(p.redriveCount) ||
    (p.redriveCount as number) < 1 ||
    typeof p.originalMessageId !== "string" ||
    p.originalMessageId === ""
  ) {
    return {
      error: `unreadable ${CONTEXT_ATTRIBUTE} attribute (expected JSON with redriveCount >= 1 and originalMessageId); left in place so the redrive cap cannot be bypassed`,
    };
  }
  return {
    previous: { redriveCount: p.redriveCount as number, originalMessageId: p.originalMessageId },
    carried: carriedFailure(p as Record<string, unknown>),
  };
}

/** The failure details an earlier redrive-context carries (only fields of the right type). */
function carriedFailure(p: Record<string, unknown>): Partial<FailureDetails> {
  const text = (k: keyof FailureDetails) => (typeof p[k] === "string" && p[k] !== "" ? (p[k] as string) : undefined);
  return {
    errorCode: text("errorCode"),
    errorMessage: text("errorMessage"),
    exhaustedRetryCondition: text("exhaustedRetryCondition"),
    retryAttempts:
      Number.isInteger(p.retryAttempts) && (p.retryAttempts as number) >= 0 ? (p.retryAttempts as number) : undefined,
    ruleArn: text("ruleArn"),
    targetArn: text("targetArn"),
  };
}
