/**
 * The redrive engine: drains one DLQ through a QueuePort, deciding each message with the pure
 * functions in decide.ts. A message is deleted from the DLQ only after its destination
 * acknowledged that exact entry; everything it takes and does not delete (skipped, failed, dry
 * run) stays invisible until the run ends and is then made visible again at once. A crash loses
 * nothing: unacknowledged messages reappear when their visibility timeout ends.
 */
import { classify, type DeadLetterInfo, MAX_ASYNC_PAYLOAD, MAX_PUT_EVENTS_ENTRY, messageSize, prepareInvoke, preparePutEvent, prepareReplay, type Route } from "./decide";
import type { BusEntry, Destination, DlqMessage, OutcomeRecord, Outcome, QueueDestination, RedriveContext, RedriveSummary, ReplayEntry, SkipReason } from "./model";
import { OptionsError, type RedriveOptions } from "./options";
import type { BatchFailure, BatchResult, EventBusPort, FunctionPort, QueuePort } from "./port";

/** Counters reported while a run is going. */
export interface Progress {
  readonly received: number;
  readonly replayed: number;
  readonly wouldReplay: number;
  readonly skipped: number;
  readonly failed: number;
  /** Messages the run expects to take: the DLQ's approximate count, capped by maxMessages (unknown: undefined). */
  readonly expected?: number;
}

/** What the engine needs from its caller. */
export interface EngineDeps {
  readonly port: QueuePort;
  /** Invokes Lambda targets asynchronously; without it their messages are left in place as unsupported-target. */
  readonly functions?: FunctionPort;
  /** Puts events on event-bus targets; without it their messages are left in place as unsupported-target. */
  readonly buses?: EventBusPort;
  /** Receives one record per message outcome (the audit log). */
  readonly record?: (record: OutcomeRecord) => void;
  /** Called after each batch. */
  readonly progress?: (progress: Progress) => void;
  /** Warnings that concern no single message (a failed visibility extension, a failed release). */
  readonly warn?: (message: string, detail?: Record<string, unknown>) => void;
  /** Clock; default the system clock. */
  readonly now?: () => Date;
  /** Milliseconds the run may still take messages for; it stops taking them at 0. Default: no limit. */
  readonly remainingMs?: () => number;
  /** Aborting stops taking messages; what was taken is finished and released. */
  readonly signal?: AbortSignal;
  /** Retries of a failed call or batch entry on top of the SDK's own: attempts and first delay. Default 5 / 100 ms. */
  readonly retry?: { readonly attempts: number; readonly baseDelayMs: number };
}

interface Held {
  readonly receiptHandle: string;
  expiresAt: number;
}

/** What is sent, by kind of destination. */
type Replay = { readonly kind: "sqs"; readonly entry: ReplayEntry } | { readonly kind: "lambda"; readonly payload: Uint8Array } | { readonly kind: "event-bus"; readonly entry: BusEntry };

interface Pending {
  readonly msg: DlqMessage;
  readonly info: DeadLetterInfo;
  readonly replay: Replay;
  readonly context: RedriveContext;
  readonly destination: Destination;
  /** Size the destination counts for the replay (SQS: body + attribute names, types and values; PutEvents: the entry). */
  readonly size: number;
}

/** The name a destination goes by in outcomes: a queue URL, a function ARN or a bus ARN. */
function destinationName(d: Destination): string {
  return d.kind === "sqs" ? d.queueUrl : d.kind === "lambda" ? d.functionArn : d.busArn;
}

/** The redrive-context of a replay that cannot carry it (Lambda, event bus), for the audit record; nothing for SQS. */
function logged(d: Destination, context: RedriveContext): { context?: RedriveContext } {
  return d.kind === "sqs" ? {} : { context };
}

/**
 * SQS limits the sum of the message sizes in one SendMessageBatch to the service's maximum
 * message size (256 KiB, or 1 MiB where that is available). A queue configured for more than
 * 256 KiB proves the larger limit; otherwise the engine assumes 256 KiB.
 */
export const BATCH_PAYLOAD_FLOOR = 262_144;

/** Splits replays (at most 10) into send batches whose total payload fits `budget`; a message alone is always allowed. */
export function splitByPayload<T extends { readonly size: number }>(items: readonly T[], budget: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= 10 || total + item.size > budget)) {
      out.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += item.size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Drains `options.queueUrl`; resolves with the run's summary. Throws only when the run cannot start. */
export async function redrive(options: RedriveOptions, deps: EngineDeps): Promise<RedriveSummary> {
  const started = Date.now();
  const { port } = deps;
  const now = deps.now ?? (() => new Date());
  const retry = deps.retry ?? { attempts: 5, baseDelayMs: 100 };
  const warn = deps.warn ?? (() => undefined);
  const visibilityMs = options.visibilityTimeout * 1000;

  const withRetry = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    let last: unknown;
    for (let attempt = 0; attempt < retry.attempts; attempt++) {
      try {
        return await fn();
      } catch (err) {
        last = err;
        if (!isRetryable(err)) break;
        if (attempt + 1 < retry.attempts) await sleep(backoff(retry.baseDelayMs, attempt));
      }
    }
    throw new CallError(what, last);
  };

  const source = await withRetry(`describe ${options.queueUrl}`, () => port.describe(options.queueUrl));
  const expected = source.approximateMessages;
  const destinations = new Map<string, Promise<Destination>>();
  const resolve = (route: Route): Promise<Destination> => {
    // Lambda functions and event buses need no lookup: the ARN names them and their region.
    if (route.kind === "function") return Promise.resolve({ kind: "lambda", functionArn: route.arn.raw, region: route.arn.region, maxPayloadSize: MAX_ASYNC_PAYLOAD });
    if (route.kind === "event-bus") return Promise.resolve({ kind: "event-bus", busArn: route.arn.raw, region: route.arn.region, maxEntrySize: MAX_PUT_EVENTS_ENTRY });
    const key = route.kind === "queue-url" ? route.queueUrl : route.arn.raw;
    let hit = destinations.get(key);
    if (!hit) {
      hit = (async (): Promise<Destination> => {
        const url =
          route.kind === "queue-url"
            ? route.queueUrl
            : await withRetry(`GetQueueUrl ${route.arn.raw}`, () => port.queueUrl(route.arn.resource, route.arn.account, route.arn.region));
        const d = await withRetry(`describe ${url}`, () => port.describe(url));
        return { kind: "sqs" as const, queueUrl: url, ...d };
      })();
      hit.catch(() => undefined);
      destinations.set(key, hit);
    }
    return hit;
  };
  if (options.to !== undefined) {
    const to = (await resolve({ kind: "queue-url", queueUrl: options.to })) as QueueDestination;
    if (to.queueArn === source.queueArn) {
      throw new OptionsError([{ field: "to", message: "expected a queue other than the DLQ being drained" }]);
    }
  }

  // Everything taken and not deleted: kept invisible while the run lasts, released at its end.
  const held = new Map<string, Held>();
  const hold = (m: DlqMessage) => held.set(m.receiptHandle, { receiptHandle: m.receiptHandle, expiresAt: Date.now() + visibilityMs });

  const counts = { received: 0, replayed: 0, wouldReplay: 0, failed: 0, notDeleted: 0 };
  const skipped: Partial<Record<SkipReason, number>> = {};
  const byErrorCode: Record<string, number> = {};
  const emit = (msg: DlqMessage, info: DeadLetterInfo | null, outcome: Outcome) => {
    if (outcome.outcome === "replayed") {
      counts.replayed++;
      if (!outcome.deleted) counts.notDeleted++;
    } else if (outcome.outcome === "would-replay") counts.wouldReplay++;
    else if (outcome.outcome === "skipped") skipped[outcome.reason] = (skipped[outcome.reason] ?? 0) + 1;
    else counts.failed++;
    deps.record?.({
      messageId: msg.messageId,
      sourceQueueUrl: options.queueUrl,
      errorCode: info?.errorCode ?? null,
      ruleArn: info?.ruleArn ?? null,
      targetArn: info?.targetArn ?? null,
      ...outcome,
    });
  };

  // Visibility: extend what is held before it expires (long runs, slow destinations).
  let heartbeatBusy = false;
  const heartbeat = setInterval(
    () => {
      if (heartbeatBusy) return;
      heartbeatBusy = true;
      const due = [...held.values()].filter((h) => h.expiresAt - Date.now() < visibilityMs / 2);
      changeVisibilityAll(due, options.visibilityTimeout)
        .then((ok) => {
          const until = Date.now() + visibilityMs;
          for (const h of ok) h.expiresAt = until;
        })
        .finally(() => {
          heartbeatBusy = false;
        });
    },
    Math.max(50, Math.floor(visibilityMs / 4)),
  );
  heartbeat.unref?.();

  async function changeVisibilityAll(items: Held[], seconds: number): Promise<Held[]> {
    const done: Held[] = [];
    const chunks: Held[][] = [];
    for (let i = 0; i < items.length; i += 10) chunks.push(items.slice(i, i + 10));
    // As many calls in flight as the run has workers.
    let nextChunk = 0;
    const lane = async () => {
      for (let c = nextChunk++; c < chunks.length; c = nextChunk++) await changeVisibilityChunk(chunks[c], seconds, done);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, chunks.length) }, lane));
    return done;
  }

  /** Changes the visibility of up to 10 messages; entries that failed on the service's side are tried again. */
  async function changeVisibilityChunk(first: Held[], seconds: number, done: Held[]): Promise<void> {
    let chunk = first;
    for (let attempt = 0; chunk.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoff(retry.baseDelayMs, attempt - 1));
      const batch = chunk;
      let result: { ok: readonly string[]; failed: readonly BatchFailure[] };
      try {
        result = await withRetry("ChangeMessageVisibilityBatch", () =>
          port.changeVisibility(options.queueUrl, batch.map((h, j) => ({ id: String(j), receiptHandle: h.receiptHandle, seconds }))),
        );
      } catch (err) {
        warn("visibility change failed", { seconds, error: describeError(err), messages: batch.length });
        return;
      }
      for (const id of result.ok) done.push(batch[Number(id)]);
      const last = attempt + 1 >= retry.attempts;
      const again = last ? [] : result.failed.filter((f) => !f.senderFault);
      const given = result.failed.filter((f) => !again.includes(f));
      if (given.length > 0) warn("visibility change failed for some messages", { seconds, failed: given });
      chunk = again.map((f) => batch[Number(f.id)]);
    }
  }

  // Rate limit: each batch reserves its slot in time.
  let nextSlot = Date.now();
  const acquire = async (n: number) => {
    if (!options.rate) return;
    const t = Date.now();
    const start = Math.max(t, nextSlot);
    nextSlot = start + (n * 1000) / options.rate;
    if (start > t) await sleep(start - t);
  };

  let taken = 0;
  let stoppedBecause: RedriveSummary["stoppedBecause"] = "drained";
  const stopReason = (): RedriveSummary["stoppedBecause"] | undefined => {
    if (deps.signal?.aborted) return "aborted";
    if (deps.remainingMs && deps.remainingMs() <= 0) return "deadline";
    if (options.maxMessages !== undefined && taken >= options.maxMessages) return "max-messages";
    return undefined;
  };

  const report = () =>
    deps.progress?.({
      received: counts.received,
      replayed: counts.replayed,
      wouldReplay: counts.wouldReplay,
      skipped: Object.values(skipped).reduce((a, b) => a + (b ?? 0), 0),
      failed: counts.failed,
      expected: expected === undefined ? options.maxMessages : Math.min(expected, options.maxMessages ?? Infinity),
    });

  async function processBatch(messages: DlqMessage[]): Promise<void> {
    const pending: Pending[] = [];
    for (const msg of messages) {
      counts.received++;
      const c = classify(msg, options);
      // From the decision: a Lambda on-failure record's error code is in its body.
      const code = c.info?.errorCode ?? msg.messageAttributes.ERROR_CODE?.StringValue ?? "none";
      byErrorCode[code] = (byErrorCode[code] ?? 0) + 1;
      if (c.action === "fail") {
        emit(msg, c.info, { outcome: "failed", error: c.error });
        continue;
      }
      if (c.action === "skip") {
        emit(msg, c.info, { outcome: "skipped", reason: c.reason, detail: c.detail });
        continue;
      }
      if ((c.route.kind === "function" && !deps.functions) || (c.route.kind === "event-bus" && !deps.buses)) {
        emit(msg, c.info, { outcome: "skipped", reason: "unsupported-target", detail: `this run has no ${c.route.kind === "function" ? "Lambda" : "EventBridge"} client for target ${c.route.arn.raw}` });
        continue;
      }
      let destination: Destination;
      try {
        destination = await resolve(c.route);
      } catch (err) {
        emit(msg, c.info, { outcome: "failed", error: `destination ${routeName(c.route)} not resolved: ${describeError(err)}` });
        continue;
      }
      if (destination.kind === "sqs" && destination.queueArn === source.queueArn) {
        emit(msg, c.info, { outcome: "failed", error: `destination ${destination.queueUrl} is the DLQ itself` });
        continue;
      }
      const prepared = prepare(msg, c.info, destination);
      if (prepared.action === "skip") {
        emit(msg, c.info, { outcome: "skipped", reason: prepared.reason, detail: prepared.detail });
        continue;
      }
      if (options.dryRun) {
        const { context } = prepared;
        emit(msg, c.info, { outcome: "would-replay", destination: destinationName(destination), redriveId: context.redriveId, redriveCount: context.redriveCount, ...logged(destination, context) });
        continue;
      }
      pending.push({ msg, info: c.info, destination, ...prepared });
    }

    const byDestination = new Map<string, Pending[]>();
    for (const p of pending) {
      const key = destinationName(p.destination);
      const list = byDestination.get(key) ?? [];
      list.push(p);
      byDestination.set(key, list);
    }
    await Promise.all([...byDestination.entries()].map(([name, list]) => replay(name, list)));
  }

  /** The replay of one message for its destination, or why it stays in the DLQ. */
  function prepare(
    msg: DlqMessage,
    info: DeadLetterInfo,
    destination: Destination,
  ): { action: "skip"; reason: SkipReason; detail: string } | { action: "replay"; replay: Replay; context: RedriveContext; size: number } {
    const ctx = { sourceQueueArn: source.queueArn, now: now(), fifoGroupId: options.fifoGroupId };
    if (destination.kind === "sqs") {
      const p = prepareReplay(msg, info, destination, ctx);
      if (p.action === "skip") return p;
      return { action: "replay", replay: { kind: "sqs", entry: p.entry }, context: p.context, size: messageSize(p.entry.body, p.entry.messageAttributes) };
    }
    if (destination.kind === "lambda") {
      const p = prepareInvoke(msg, info, destination, ctx);
      if (p.action === "skip") return p;
      return { action: "replay", replay: { kind: "lambda", payload: p.payload }, context: p.context, size: p.payload.byteLength };
    }
    const p = preparePutEvent(msg, info, destination, ctx);
    if (p.action === "skip") return p;
    return { action: "replay", replay: { kind: "event-bus", entry: p.event }, context: p.context, size: p.size };
  }

  /** One send call to a destination: SendMessageBatch, PutEvents, or one asynchronous invoke per entry (in parallel). */
  async function deliver(destination: Destination, todo: readonly { id: string; p: Pending }[]): Promise<BatchResult> {
    if (destination.kind === "sqs") return port.send(destination.queueUrl, todo.map((t) => ({ id: t.id, entry: (t.p.replay as Extract<Replay, { kind: "sqs" }>).entry })));
    if (destination.kind === "event-bus") {
      return deps.buses!.putEvents(destination.busArn, todo.map((t) => ({ id: t.id, entry: (t.p.replay as Extract<Replay, { kind: "event-bus" }>).entry })));
    }
    const ok: string[] = [];
    const failed: BatchFailure[] = [];
    await Promise.all(
      todo.map(async (t) => {
        try {
          const status = await deps.functions!.invokeAsync(destination.functionArn, (t.p.replay as Extract<Replay, { kind: "lambda" }>).payload);
          // Only 202 means Lambda queued the event; anything else is not retried (it might have been queued).
          if (status === 202) ok.push(t.id);
          else failed.push({ id: t.id, code: `HTTP ${status}`, message: "the asynchronous invoke was not acknowledged with 202", senderFault: true });
        } catch (err) {
          const e = err as { name?: string; message?: string };
          failed.push({ id: t.id, code: e?.name ?? "Error", message: e?.message ?? String(err), senderFault: !isRetryable(err) });
        }
      }),
    );
    return { ok, failed };
  }

  /** Sends (in batches whose total payload the destination accepts), then deletes exactly the acknowledged messages. */
  async function replay(url: string, list: Pending[]): Promise<void> {
    const d = list[0].destination;
    // A batch of asynchronous invokes is not one request: no payload budget applies to it.
    const batches = d.kind === "lambda" ? [list] : splitByPayload(list, d.kind === "sqs" ? Math.max(BATCH_PAYLOAD_FLOOR, d.maxMessageSize) : d.maxEntrySize);
    const acked = (await Promise.all(batches.map((batch) => send(url, batch)))).flat();
    if (acked.length === 0) return;

    const deleted = await deleteAll(acked.map((p) => p.msg));
    for (const p of acked) {
      const ok = deleted.has(p.msg.receiptHandle);
      if (ok) held.delete(p.msg.receiptHandle);
      emit(p.msg, p.info, { outcome: "replayed", destination: url, redriveId: p.context.redriveId, redriveCount: p.context.redriveCount, deleted: ok, ...logged(d, p.context) });
    }
  }

  /** Sends one batch, retrying what failed retryably; resolves with the entries the destination acknowledged. */
  async function send(url: string, list: Pending[]): Promise<Pending[]> {
    const destination = list[0].destination;
    let todo = list.map((p, i) => ({ id: String(i), p }));
    const acked: Pending[] = [];
    let lastError = new Map<string, string>();
    for (let attempt = 0; attempt < retry.attempts && todo.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoff(retry.baseDelayMs, attempt - 1));
      const errors = new Map<string, string>();
      let result: { ok: readonly string[]; failed: readonly BatchFailure[] };
      try {
        result = await deliver(destination, todo);
      } catch (err) {
        if (!isRetryable(err)) {
          for (const t of todo) errors.set(t.id, describeError(err));
          lastError = errors;
          break;
        }
        for (const t of todo) errors.set(t.id, describeError(err));
        lastError = errors;
        continue;
      }
      const ok = new Set(result.ok);
      const next: typeof todo = [];
      for (const t of todo) {
        if (ok.has(t.id)) {
          acked.push(t.p);
          continue;
        }
        const f = result.failed.find((x) => x.id === t.id);
        const error = f ? `${f.code}: ${f.message}` : "not acknowledged by the destination";
        if (f?.senderFault) emit(t.p.msg, t.p.info, { outcome: "failed", error, destination: url, redriveId: t.p.context.redriveId, ...logged(destination, t.p.context) });
        else {
          errors.set(t.id, error);
          next.push(t);
        }
      }
      lastError = errors;
      todo = next;
    }
    for (const t of todo) {
      emit(t.p.msg, t.p.info, { outcome: "failed", error: lastError.get(t.id) ?? "not sent", destination: url, redriveId: t.p.context.redriveId, ...logged(destination, t.p.context) });
    }
    return acked;
  }

  async function deleteAll(messages: DlqMessage[]): Promise<Set<string>> {
    const done = new Set<string>();
    let todo = messages.map((m, i) => ({ id: String(i), m }));
    for (let attempt = 0; attempt < retry.attempts && todo.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoff(retry.baseDelayMs, attempt - 1));
      try {
        const result = await port.delete(options.queueUrl, todo.map((t) => ({ id: t.id, receiptHandle: t.m.receiptHandle })));
        const ok = new Set(result.ok);
        for (const t of todo) if (ok.has(t.id)) done.add(t.m.receiptHandle);
        todo = todo.filter((t) => !ok.has(t.id));
      } catch (err) {
        if (!isRetryable(err)) break;
      }
    }
    if (todo.length > 0) warn("replayed messages could not be deleted from the DLQ; a later run replays them again with the same redriveId", { messageIds: todo.map((t) => t.m.messageId) });
    return done;
  }

  async function worker(): Promise<void> {
    for (;;) {
      const reason = stopReason();
      if (reason) {
        if (stoppedBecause === "drained") stoppedBecause = reason;
        return;
      }
      const want = Math.min(10, options.maxMessages === undefined ? 10 : options.maxMessages - taken);
      taken += want;
      await acquire(want);
      let messages: DlqMessage[];
      try {
        messages = await withRetry("ReceiveMessage", () => port.receive(options.queueUrl, want, options.visibilityTimeout, options.waitTimeSeconds));
      } catch (err) {
        taken -= want;
        throw err;
      }
      taken -= want - messages.length;
      if (messages.length === 0) return;
      for (const m of messages) hold(m);
      await processBatch(messages);
      report();
    }
  }

  let workerError: unknown;
  try {
    const results = await Promise.allSettled(Array.from({ length: options.concurrency }, () => worker()));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failure) workerError = failure.reason;
  } finally {
    clearInterval(heartbeat);
    // Release everything taken and not deleted, at once.
    const rest = [...held.values()];
    const released = await changeVisibilityAll(rest, 0);
    if (released.length < rest.length) warn(`${rest.length - released.length} message(s) not released; they reappear when their visibility timeout ends`);
  }
  if (workerError) {
    warn("receiving stopped early", { error: describeError(workerError) });
    if (stoppedBecause === "drained") stoppedBecause = "aborted";
  }
  report();

  const skippedTotal = Object.values(skipped).reduce((a, b) => a + (b ?? 0), 0);
  return {
    dryRun: options.dryRun,
    queues: [options.queueUrl],
    received: counts.received,
    replayed: counts.replayed,
    wouldReplay: counts.wouldReplay,
    skipped,
    skippedTotal,
    failed: counts.failed,
    notDeleted: counts.notDeleted,
    byErrorCode,
    durationMs: Date.now() - started,
    stoppedBecause,
    ...(workerError ? { error: describeError(workerError) } : {}),
  };
}

/** Merges the summaries of runs over several DLQs into one. */
export function mergeSummaries(summaries: readonly RedriveSummary[], durationMs: number): RedriveSummary {
  const skipped: Partial<Record<SkipReason, number>> = {};
  const byErrorCode: Record<string, number> = {};
  for (const s of summaries) {
    for (const [k, v] of Object.entries(s.skipped)) skipped[k as SkipReason] = (skipped[k as SkipReason] ?? 0) + (v ?? 0);
    for (const [k, v] of Object.entries(s.byErrorCode)) byErrorCode[k] = (byErrorCode[k] ?? 0) + v;
  }
  const sum = (f: (s: RedriveSummary) => number) => summaries.reduce((a, s) => a + f(s), 0);
  const errors = summaries.map((s) => s.error).filter((e): e is string => e !== undefined);
  return {
    dryRun: summaries.some((s) => s.dryRun),
    queues: summaries.flatMap((s) => s.queues),
    received: sum((s) => s.received),
    replayed: sum((s) => s.replayed),
    wouldReplay: sum((s) => s.wouldReplay),
    skipped,
    skippedTotal: sum((s) => s.skippedTotal),
    failed: sum((s) => s.failed),
    notDeleted: sum((s) => s.notDeleted),
    byErrorCode,
    durationMs,
    stoppedBecause: summaries.find((s) => s.stoppedBecause !== "drained")?.stoppedBecause ?? "drained",
    ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
  };
}

/** True when a summary means everything taken was replayed or deliberately left in place. */
export function succeeded(summary: RedriveSummary): boolean {
  return summary.failed === 0 && summary.notDeleted === 0 && summary.error === undefined;
}

/** A call that still failed after the engine's retries. */
export class CallError extends Error {
  constructor(
    readonly what: string,
    readonly cause: unknown,
  ) {
    super(`${what} failed: ${describeError(cause)}`);
    this.name = "CallError";
  }
}

function routeName(route: Route): string {
  return route.kind === "queue-url" ? route.queueUrl : route.arn.raw;
}


function backoff(base: number, attempt: number): number {
  const ceiling = base * 2 ** attempt;
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

const NOT_RETRYABLE = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "AWS.SimpleQueueService.NonExistentQueue",
  "QueueDoesNotExist",
  "InvalidAddress",
  "InvalidParameterValue",
  "UnsupportedOperation",
  "KmsAccessDenied",
  "KmsDisabled",
  "KmsNotFound",
  "InvalidSecurity",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
]);

/** Whether a failed call may succeed when tried again (server errors, throttling, network). */
export function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!e) return false;
  if (e.name && NOT_RETRYABLE.has(e.name)) return false;
  if (e.$fault === "client" && !/thrott|RequestLimit|TooMany/i.test(e.name ?? "")) return false;
  return true;
}

/** A short description of an error for logs and outcomes. */
export function describeError(err: unknown): string {
  if (err instanceof CallError) return err.message;
  const e = err as { name?: string; message?: string } | undefined;
  if (!e) return String(err);
  return e.name && e.message ? `${e.name}: ${e.message}` : (e.message ?? String(err));
}
