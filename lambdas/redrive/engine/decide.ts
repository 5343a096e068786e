/**
 * Pure decisions: what to do with one dead-lettered message. No I/O here; the engine resolves
 * destinations through its port and passes them in.
 */
import { createHash } from "node:crypto";
import type { TargetKindName } from "../../../modules/shared/contract/target-kinds";
import type {
  AttributeValue,
  BusDestination,
  BusEntry,
  DlqMessage,
  FunctionDestination,
  QueueDestination,
  RedriveContext,
  ReplayEntry,
  SkipReason,
  StateMachineDestination,
} from "./model";
import type { RedriveOptions } from "./options";
import { errorCodeSelected } from "../sources/lambda-failure-record";
import { CONTEXT_ATTRIBUTE, type DeadLetterInfo, type Decoded, sourceOf } from "../sources";
import { memberText } from "./raw-json";

/** The message attributes EventBridge puts on a target-DLQ message; they are not replayed. */
export const EVENTBRIDGE_ATTRIBUTES = [
  "RULE_ARN",
  "TARGET_ARN",
  "ERROR_CODE",
  "ERROR_MESSAGE",
  "EXHAUSTED_RETRY_CONDITION",
  "RETRY_ATTEMPTS",
] as const;

export { CONTEXT_ATTRIBUTE, type DeadLetterInfo };

/** SQS allows at most 10 message attributes per message. */
export const MAX_ATTRIBUTES = 10;

/**
 * Largest payload of an asynchronous Lambda invoke, and largest PutEvents entry, in bytes: the
 * long-standing 256 KB. (AWS has since raised both to 1 MB; this stays conservative, so a larger
 * message is left in the DLQ and reported as too-large rather than refused by the service.)
 */
export const MAX_ASYNC_PAYLOAD = 262_144;
export const MAX_PUT_EVENTS_ENTRY = 262_144;
/** Largest input of a Step Functions execution, in bytes (256 KiB). */
export const MAX_EXECUTION_INPUT = 262_144;

/** A parsed ARN. */
export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/**
 * Where a message should go, before the destination is resolved: an explicit queue URL (`--to`), or the target its
 * TARGET_ARN names, by target kind (the events module's names: modules/shared/contract/target-kinds.ts).
 */
export type Route =
  | { readonly kind: "queue-url"; readonly queueUrl: string }
  | { readonly kind: RouteKind; readonly arn: ParsedArn & { readonly raw: string } };

/** A target kind, or an outbox pipe (its failures are replayed from its stream onto its bus). */
export type RouteKind = TargetKindName | "outbox-pipe";

/** First decision on a message, before its destination is known. */
export type Classification =
  | { readonly action: "route"; readonly route: Route; readonly info: DeadLetterInfo }
  | { readonly action: "skip"; readonly reason: SkipReason; readonly detail: string; readonly info: DeadLetterInfo }
  | { readonly action: "fail"; readonly error: string; readonly info: DeadLetterInfo | null };

/** Final decision on a message whose destination is known. */
export type Preparation =
  | { readonly action: "replay"; readonly entry: ReplayEntry; readonly context: RedriveContext }
  | { readonly action: "skip"; readonly reason: SkipReason; readonly detail: string; readonly context: RedriveContext };

/** Decision on a message bound for a Lambda function: the payload to invoke it with. */
export type InvokePreparation =
  | { readonly action: "replay"; readonly payload: Uint8Array; readonly context: RedriveContext }
  | { readonly action: "skip"; readonly reason: SkipReason; readonly detail: string; readonly context: RedriveContext };

/** Decision on a message bound for an event bus: the PutEvents entry and its size as EventBridge counts it. */
export type PutEventPreparation =
  | { readonly action: "replay"; readonly event: BusEntry; readonly size: number; readonly context: RedriveContext }
  | { readonly action: "skip"; readonly reason: SkipReason; readonly detail: string; readonly context: RedriveContext };

/** What the preparations need besides the message. */
export interface PrepareContext {
  readonly sourceQueueArn: string;
  readonly now: Date;
  readonly fifoGroupId: string;
}

/** The filters and limits `classify` applies. */
export type ClassifyOptions = Pick<RedriveOptions, "to" | "errorCodes" | "ruleArn" | "targetArn" | "maxRedrives">;

/** Reads a dead letter's failure details by its source (./sources/: EventBridge DLQ, Lambda record, plain SQS DLQ). */
export function readDeadLetterInfo(msg: DlqMessage): Decoded {
  return sourceOf(msg).decode(msg);
}

/** Splits an ARN into its parts, or returns undefined when it is not one. */
export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], account: m[4] ?? "", resource: m[5] };
}

const UTF8 = new TextEncoder();

/** `function:<name>[:<version or alias>]` of a Lambda function ARN. */
const FUNCTION_RESOURCE = /^function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
/** `event-bus/<name>` of an event bus ARN (partner bus names hold '/' and '.'). */
const BUS_RESOURCE = /^event-bus\/[A-Za-z0-9._/-]{1,256}$/;

/** `pipe/<name>` of a pipe ARN. */
const PIPE_RESOURCE = /^pipe\/[A-Za-z0-9._-]{1,64}$/;

/** Applies filters, the redrive cap and routing to one message. */
export function classify(msg: DlqMessage, options: ClassifyOptions): Classification {
  const read = readDeadLetterInfo(msg);
  if ("error" in read) return { action: "fail", error: read.error, info: null };
  const { info } = read;
  const filtered = filteredOut(info, options);
  if (filtered) return filtered;
  if (options.to !== undefined) return { action: "route", route: { kind: "queue-url", queueUrl: options.to }, info };
  if (info.targetArn === null) {
    return {
      action: "skip",
      reason: "no-destination",
      detail: "no TARGET_ARN attribute and no explicit destination (--to)",
      info,
    };
  }
  const arn = parseArn(info.targetArn);
  if (!arn)
    return {
      action: "skip",
      reason: "no-destination",
      detail: `TARGET_ARN ${JSON.stringify(info.targetArn)} is not an ARN`,
      info,
    };
  const kind = ROUTABLE.find((r) => r.matches(arn))?.kind;
  if (kind) return { action: "route", route: { kind, arn: { ...arn, raw: info.targetArn } }, info };
  return {
    action: "skip",
    reason: "unsupported-target",
    detail: `target ${info.targetArn} is not an SQS queue, Lambda function, event bus, state machine or outbox pipe; replay it with --to <queue-url> or by hand`,
    info,
  };
}

/** How a TARGET_ARN names each kind of target the engine replays to (the events module's kind names). */
const ROUTABLE: ReadonlyArray<{ readonly kind: RouteKind; matches(arn: ParsedArn): boolean }> = [
  { kind: "sqs", matches: (a) => a.service === "sqs" && /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(a.resource) },
  { kind: "lambda", matches: (a) => a.service === "lambda" && a.region !== "" && FUNCTION_RESOURCE.test(a.resource) },
  { kind: "event-bus", matches: (a) => a.service === "events" && a.region !== "" && BUS_RESOURCE.test(a.resource) },
  {
    kind: "step-functions",
    matches: (a) => a.service === "states" && a.region !== "" && /^stateMachine:[A-Za-z0-9_-]{1,80}$/.test(a.resource),
  },
  { kind: "outbox-pipe", matches: (a) => a.service === "pipes" && a.region !== "" && PIPE_RESOURCE.test(a.resource) },
];

/** The skip a message gets from the run's filters (error code, rule, target) or the redrive cap, if any. */
function filteredOut(info: DeadLetterInfo, options: ClassifyOptions): Classification | undefined {
  if (options.errorCodes.length > 0 && !errorCodeSelected(info, options.errorCodes)) {
    return {
      action: "skip",
      reason: "filtered-error-code",
      detail: `ERROR_CODE ${info.errorCode ?? "(none)"} is not one of ${options.errorCodes.join(", ")}`,
      info,
    };
  }
  if (options.ruleArn !== undefined && info.ruleArn !== options.ruleArn) {
    return {
      action: "skip",
      reason: "filtered-rule-arn",
      detail: `RULE_ARN ${info.ruleArn ?? "(none)"} is not ${options.ruleArn}`,
      info,
    };
  }
  if (options.targetArn !== undefined && info.targetArn !== options.targetArn) {
    return {
      action: "skip",
      reason: "filtered-target-arn",
      detail: `TARGET_ARN ${info.targetArn ?? "(none)"} is not ${options.targetArn}`,
      info,
    };
  }
  const count = info.previous?.redriveCount ?? 0;
  if (count >= options.maxRedrives) {
    return {
      action: "skip",
      reason: "max-redrives-reached",
      detail: `already redriven ${count} time(s); the maximum is ${options.maxRedrives}`,
      info,
    };
  }
  return undefined;
}

/**
 * Stable id of one redrive of one DLQ message: the same DLQ message and count always give the same
 * id. It is derived from the DLQ message's own id, never only from a copied redrive-context, so
 * distinct messages carrying the same context never share it (a FIFO destination would drop one).
 * On a first redrive the DLQ message is the original, and the id is the hash of (id, count).
 */
export function redriveIdOf(originalMessageId: string, redriveCount: number, dlqMessageId = originalMessageId): string {
  const key =
    dlqMessageId === originalMessageId
      ? `${originalMessageId}\n${redriveCount}`
      : `${originalMessageId}\n${redriveCount}\n${dlqMessageId}`;
  return createHash("sha256").update(key).digest("hex");
}

/** Size SQS counts for a message: body plus each attribute's name, data type and value, in bytes. */
export function messageSize(body: string, attributes: Readonly<Record<string, AttributeValue>>): number {
  let size = Buffer.byteLength(body, "utf8");
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name, "utf8") + Buffer.byteLength(value.DataType, "utf8");
    if (value.StringValue !== undefined) size += Buffer.byteLength(value.StringValue, "utf8");
    if (value.BinaryValue !== undefined) size += value.BinaryValue.byteLength;
  }
  return size;
}

/** The redrive-context of one replay (same redriveId rules for every kind of destination). */
export function redriveContextOf(
  msg: DlqMessage,
  info: DeadLetterInfo,
  ctx: Pick<PrepareContext, "sourceQueueArn" | "now">,
): RedriveContext {
  const redriveCount = (info.previous?.redriveCount ?? 0) + 1;
  const originalMessageId = info.previous?.originalMessageId ?? msg.messageId;
  const sent = Number(msg.attributes.SentTimestamp);
  const context: RedriveContext = {
    errorCode: info.errorCode,
    errorMessage: info.errorMessage,
    exhaustedRetryCondition: info.exhaustedRetryCondition,
    retryAttempts: info.retryAttempts,
    ruleArn: info.ruleArn,
    targetArn: info.targetArn,
    ...(info.invokeCount !== undefined ? { invokeCount: info.invokeCount } : {}),
    sourceQueueArn: ctx.sourceQueueArn,
    originalMessageId,
    dlqMessageId: msg.messageId,
    deadLetteredAt: Number.isFinite(sent) && sent > 0 ? new Date(sent).toISOString() : null,
    redriveCount,
    redrivenAt: ctx.now.toISOString(),
    redriveId: redriveIdOf(originalMessageId, redriveCount, msg.messageId),
  };
  return context;
}

/** Builds the replay of one message for a resolved destination, or says why it must stay in the DLQ. */
export function prepareReplay(
  msg: DlqMessage,
  info: DeadLetterInfo,
  destination: QueueDestination,
  ctx: PrepareContext,
): Preparation {
  const context = redriveContextOf(msg, info, ctx);
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(msg.messageAttributes)) {
    if ((EVENTBRIDGE_ATTRIBUTES as readonly string[]).includes(name) || name === CONTEXT_ATTRIBUTE) continue;
    attributes[name] = value;
  }
  attributes[CONTEXT_ATTRIBUTE] = { DataType: "String", StringValue: JSON.stringify(context) };

  const count = Object.keys(attributes).length;
  if (count > MAX_ATTRIBUTES) {
    return {
      action: "skip",
      reason: "too-many-attributes",
      detail: `${count - 1} original attribute(s) plus ${CONTEXT_ATTRIBUTE} exceed SQS's ${MAX_ATTRIBUTES} per message`,
      context,
    };
  }
  const body = sourceOf(msg).replayBody(msg);
  const size = messageSize(body, attributes);
  if (size > destination.maxMessageSize) {
    return {
      action: "skip",
      reason: "too-large",
      detail: `${size} bytes with ${CONTEXT_ATTRIBUTE} exceed the destination's maximum of ${destination.maxMessageSize}`,
      context,
    };
  }
  const entry: ReplayEntry = destination.fifo
    ? {
        body,
        messageAttributes: attributes,
        messageGroupId: msg.attributes.MessageGroupId ?? ctx.fifoGroupId,
        messageDeduplicationId: context.redriveId,
      }
    : { body, messageAttributes: attributes };
  return { action: "replay", entry, context };
}

/**
 * Builds the asynchronous invoke of a Lambda target: the body's bytes unchanged. An async invoke
 * carries no message attributes, so the original attributes and the redrive-context cannot travel
 * with it; the context is returned for the audit log.
 */
export function prepareInvoke(
  msg: DlqMessage,
  info: DeadLetterInfo,
  destination: FunctionDestination,
  ctx: PrepareContext,
): InvokePreparation {
  const context = redriveContextOf(msg, info, ctx);
  const payload = UTF8.encode(sourceOf(msg).replayBody(msg));
  if (payload.byteLength > destination.maxPayloadSize) {
    return {
      action: "skip",
      reason: "too-large",
      detail: `${payload.byteLength} bytes exceed the ${destination.maxPayloadSize}-byte limit of an asynchronous invoke`,
      context,
    };
  }
  return { action: "replay", payload, context };
}

/** Decision on a message bound for a state machine: its input and the execution's deterministic name. */
export type StartPreparation =
  | { readonly action: "replay"; readonly input: string; readonly name: string; readonly context: RedriveContext }
  | { readonly action: "skip"; readonly reason: SkipReason; readonly detail: string; readonly context: RedriveContext };

/**
 * Builds the StartExecution of a state machine target: the original event as the input, and a name derived from the
 * redrive id (the same DLQ message and count give the same name, so a replay that already started is answered
 * ExecutionAlreadyExists, not run twice; execution names are unique per account and region for 90 days).
 */
export function prepareStart(
  msg: DlqMessage,
  info: DeadLetterInfo,
  destination: StateMachineDestination,
  ctx: PrepareContext,
): StartPreparation {
  const context = redriveContextOf(msg, info, ctx);
  const input = sourceOf(msg).replayBody(msg);
  const size = Buffer.byteLength(input, "utf8");
  if (size > destination.maxInputSize)
    return {
      action: "skip",
      reason: "too-large",
      detail: `${size} bytes exceed the ${destination.maxInputSize}-byte limit of an execution's input`,
      context,
    };
  return { action: "replay", input, name: `redrive-${context.redriveId}`, context };
}

/** Size EventBridge counts for a PutEvents entry: Time 14 bytes, then Source, DetailType, Detail and each resource in UTF-8 bytes. */
export function putEventsEntrySize(entry: BusEntry): number {
  let size =
    (entry.time ? 14 : 0) +
    Buffer.byteLength(entry.source, "utf8") +
    Buffer.byteLength(entry.detailType, "utf8") +
    Buffer.byteLength(entry.detail, "utf8");
  for (const r of entry.resources) size += Buffer.byteLength(r, "utf8");
  return size;
}

/** What an event lacks to be put on a bus (source, detail-type, an object detail, string resources). */
function missingEventFields(e: Record<string, unknown> | null): string[] {
  const missing: string[] = [];
  if (!e || typeof e !== "object" || Array.isArray(e)) return ["an object"];
  if (typeof e.source !== "string" || e.source === "") missing.push("source");
  if (typeof e["detail-type"] !== "string" || e["detail-type"] === "") missing.push("detail-type");
  if (!e.detail || typeof e.detail !== "object" || Array.isArray(e.detail)) missing.push("detail (an object)");
  if (e.resources !== undefined && !(Array.isArray(e.resources) && e.resources.every((r) => typeof r === "string")))
    missing.push("resources (strings)");
  return missing;
}

/**
 * Rebuilds the PutEvents entry of an event-bus target from the dead-lettered event (the body is the
 * full EventBridge event JSON). EventBridge gives the replay a new id, account and region; the
 * redrive-context cannot travel (PutEvents has no attributes) and is returned for the audit log.
 */
export function preparePutEvent(
  msg: DlqMessage,
  info: DeadLetterInfo,
  destination: BusDestination,
  ctx: PrepareContext,
): PutEventPreparation {
  const context = redriveContextOf(msg, info, ctx);
  let event: unknown;
  try {
    event = JSON.parse(msg.body);
  } catch {
    return {
      action: "skip",
      reason: "not-an-event",
      detail: "the body is not JSON, so it is not an EventBridge event that can be put on the bus",
      context,
    };
  }
  const e = event as Record<string, unknown> | null;
  const missing = missingEventFields(e);
  if (missing.length > 0 || !e) {
    return {
      action: "skip",
      reason: "not-an-event",
      detail: `the body is not an EventBridge event: expected ${missing.join(", ")}`,
      context,
    };
  }
  // The original text, never re-serialized (big integers, 1e400 and duplicate keys survive).
  const detail = memberText(msg.body, "detail");
  if (detail === undefined)
    return {
      action: "skip",
      reason: "not-an-event",
      detail: "the text of the event's detail could not be read from the body",
      context,
    };
  const time = typeof e.time === "string" && !Number.isNaN(Date.parse(e.time)) ? new Date(e.time) : undefined;
  const entry: BusEntry = {
    source: e.source as string,
    detailType: e["detail-type"] as string,
    detail,
    resources: (e.resources as string[] | undefined) ?? [],
    ...(time ? { time } : {}),
  };
  const size = putEventsEntrySize(entry);
  if (size > destination.maxEntrySize) {
    return {
      action: "skip",
      reason: "too-large",
      detail: `the PutEvents entry is ${size} bytes; the limit is ${destination.maxEntrySize}`,
      context,
    };
  }
  return { action: "replay", event: entry, size, context };
}
