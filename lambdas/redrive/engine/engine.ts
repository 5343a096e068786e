/**
 * The redrive engine: drains one DLQ through a QueuePort, deciding each message with the pure
 * functions in decide.ts. A message is deleted from the DLQ only after its destination
 * acknowledged that exact entry; everything it takes and does not delete (skipped, failed, dry
 * run) stays invisible until the run ends and is then made visible again at once. A crash loses
 * nothing: unacknowledged messages reappear when their visibility timeout ends.
 */
import {
  classify,
  type DeadLetterInfo,
  MAX_ASYNC_PAYLOAD,
  MAX_PUT_EVENTS_ENTRY,
  messageSize,
  prepareInvoke,
  preparePutEvent,
  prepareReplay,
  type Route,
} from "./decide";
import type {
  BusEntry,
  Destination,
  DlqMessage,
  OutcomeRecord,
  Outcome,
  RedriveContext,
  RedriveSummary,
  ReplayEntry,
  SkipReason,
} from "./model";
import { OptionsError, type RedriveOptions } from "./options";
import { type LaneControl, runLanes } from "./lanes";
import { Pacer } from "./pacer";
import { RunCounters } from "./run-counters";
import type { BatchFailure, BatchResult, EventBusPort, FunctionPort, QueuePort } from "../ports/port";

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
  /** Counters shared with the other engines of the same run (the CLI's threads); default this run's own. */
  readonly counters?: RunCounters;
  /** The DLQ's approximate depth at the start, read once for all engines of one run (the CLI's threads); default: read here. */
  readonly expected?: number;
}

interface Held {
  readonly receiptHandle: string;
  readonly messageId: string;
  expiresAt: number;
}

/** What is sent, by kind of destination. */
type Replay =
  | { readonly kind: "sqs"; readonly entry: ReplayEntry }
  | { readonly kind: "lambda"; readonly payload: Uint8Array }
  | { readonly kind: "event-bus"; readonly entry: BusEntry };

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

/** Waits `ms`, or less when `signal` aborts first. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Messages a run receives before it stops as `receive-limit`: twice the DLQ's depth when the run
 * started, plus 100 (10,000 when the depth is unknown). Messages that keep coming back (visibility
 * lapsing) or keep arriving then end the run, reported, instead of looping without end.
 */
export function receiveLimit(expected: number | undefined): number {
  return 2 * (expected ?? 10_000) + 100;
}

type RetryPolicy = { readonly attempts: number; readonly baseDelayMs: number };
type Warn = NonNullable<EngineDeps["warn"]>;

/** Calls `fn`, retrying retryable errors with backoff; throws CallError naming `what` when it keeps failing. `failed` hears of every failed attempt. */
async function callWithRetry<T>(
  retry: RetryPolicy,
  what: string,
  fn: () => Promise<T>,
  failed?: (err: unknown) => void,
): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < retry.attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      failed?.(err);
      last = err;
      if (!isRetryable(err)) break;
      if (attempt + 1 < retry.attempts) await sleep(backoff(retry.baseDelayMs, attempt));
    }
  }
  throw new CallError(what, last);
}

/** Whether an error says the queue does not exist. */
function isMissingQueue(err: unknown): boolean {
  const cause = err instanceof CallError ? err.cause : err;
  const name = (cause as { name?: string } | undefined)?.name ?? "";
  return /QueueDoesNotExist|NonExistentQueue/.test(name);
}

/** Describes a queue named by an option; a queue that does not exist is an OptionsError naming the option. */
async function describeOption(port: QueuePort, retry: RetryPolicy, field: "queueUrl" | "to", url: string) {
  try {
    return await callWithRetry(retry, `describe ${url}`, () => port.describe(url));
  } catch (err) {
    if (isMissingQueue(err))
      throw new OptionsError([
        { field, message: `queue ${url} does not exist (or these credentials cannot see it): ${describeError(err)}` },
      ]);
    throw err;
  }
}

/**
 * Resolves routes to destinations, once per queue. A queue found by TARGET_ARN must have exactly
 * that ARN (account, region and name): GetQueueUrl answering with another account's queue (a
 * missing QueueOwnerAWSAccountId, an emulator) must not receive the replay.
 */
function destinationResolver(port: QueuePort, retry: RetryPolicy): (route: Route) => Promise<Destination> {
  const cache = new Map<string, Promise<Destination>>();
  return (route) => {
    // Lambda functions and event buses need no lookup: the ARN names them and their region.
    if (route.kind === "lambda")
      return Promise.resolve({
        kind: "lambda",
        functionArn: route.arn.raw,
        region: route.arn.region,
        maxPayloadSize: MAX_ASYNC_PAYLOAD,
      });
    if (route.kind === "event-bus")
      return Promise.resolve({
        kind: "event-bus",
        busArn: route.arn.raw,
        region: route.arn.region,
        maxEntrySize: MAX_PUT_EVENTS_ENTRY,
      });
    const key = route.kind === "queue-url" ? route.queueUrl : route.arn.raw;
    let hit = cache.get(key);
    if (!hit) {
      hit = (async (): Promise<Destination> => {
        if (route.kind === "queue-url")
          return {
            kind: "sqs",
            queueUrl: route.queueUrl,
            ...(await callWithRetry(retry, `describe ${route.queueUrl}`, () => port.describe(route.queueUrl))),
          };
        const url = await callWithRetry(retry, `GetQueueUrl ${route.arn.raw}`, () =>
          port.queueUrl(route.arn.resource, route.arn.account, route.arn.region),
        );
        const d = await callWithRetry(retry, `describe ${url}`, () => port.describe(url));
        if (d.queueArn !== route.arn.raw)
          throw new Error(`GetQueueUrl gave ${url}, whose ARN is ${d.queueArn}, not the TARGET_ARN ${route.arn.raw}`);
        return { kind: "sqs", queueUrl: url, ...d };
      })();
      hit.catch(() => undefined);
      cache.set(key, hit);
    }
    return hit;
  };
}

/** Counters and the audit record of one run. */
class Tally {
  received = 0;
  replayed = 0;
  wouldReplay = 0;
  failed = 0;
  notDeleted = 0;
  holdLapsed = 0;
  readonly skipped: Partial<Record<SkipReason, number>> = {};
  readonly byErrorCode: Record<string, number> = {};
  readonly byRuleArn: Record<string, number> = {};
  readonly byTargetArn: Record<string, number> = {};

  constructor(
    private readonly queueUrl: string,
    private readonly record?: (record: OutcomeRecord) => void,
  ) {}

  /** Counts a received message by error code, rule and target (from its attributes or earlier context). */
  receivedOne(msg: DlqMessage, info: DeadLetterInfo | null): void {
    this.received++;
    const attr = (name: string) => msg.messageAttributes[name]?.StringValue;
    const add = (map: Record<string, number>, key: string | null | undefined) =>
      (map[key ?? "none"] = (map[key ?? "none"] ?? 0) + 1);
    add(this.byErrorCode, info ? info.errorCode : attr("ERROR_CODE"));
    add(this.byRuleArn, info ? info.ruleArn : attr("RULE_ARN"));
    add(this.byTargetArn, info ? info.targetArn : attr("TARGET_ARN"));
  }

  get skippedTotal(): number {
    return Object.values(this.skipped).reduce((a, b) => a + (b ?? 0), 0);
  }

  emit(msg: DlqMessage, info: DeadLetterInfo | null, outcome: Outcome): void {
    if (outcome.outcome === "replayed") {
      this.replayed++;
      if (!outcome.deleted) this.notDeleted++;
      if (outcome.holdLapsed) this.holdLapsed++;
    } else if (outcome.outcome === "would-replay") this.wouldReplay++;
    else if (outcome.outcome === "skipped") this.skipped[outcome.reason] = (this.skipped[outcome.reason] ?? 0) + 1;
    else this.failed++;
    this.record?.({
      messageId: msg.messageId,
      sourceQueueUrl: this.queueUrl,
      errorCode: info?.errorCode ?? null,
      ruleArn: info?.ruleArn ?? null,
      targetArn: info?.targetArn ?? null,
      ...outcome,
    });
  }
}

/** Below this visibility timeout (seconds) a run warns that its holds may lapse while a batch is sent. */
export const SHORT_VISIBILITY_SECONDS = 10;

/** Most of a hold kept back before a replay is sent: time for the send and the delete (half the visibility when shorter). */
export const HOLD_MARGIN_MS = 2_000;

/**
 * Everything a run took and has not deleted, kept invisible while the run lasts (a heartbeat
 * extends it) and released at the end. A handle whose extension failed or whose visibility ran
 * out is dropped as stale and reported: the message may be received again, so the handle is
 * neither extended again nor trusted for a delete. Every hold's clock starts when its receive (or
 * extension) request left, not when the answer came back: SQS starts the visibility timeout on its
 * side, somewhere in between, so the run never believes it holds a message longer than it does.
 */
class Holds {
  private readonly held = new Map<string, Held>();
  private readonly latest = new Map<string, string>();
  private readonly stale = new Set<string>();
  private readonly ms: number;
  /** Time a hold must still have for a replay to be sent with it (HOLD_MARGIN_MS, at most half the visibility). */
  readonly margin: number;
  private busy = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly port: QueuePort,
    private readonly options: Pick<RedriveOptions, "queueUrl" | "visibilityTimeout" | "concurrency">,
    private readonly retry: RetryPolicy,
    private readonly warn: Warn,
  ) {
    this.ms = options.visibilityTimeout * 1000;
    this.margin = Math.min(HOLD_MARGIN_MS, this.ms / 2);
    this.timer = setInterval(() => this.beat(), Math.max(50, Math.floor(this.ms / 4)));
    this.timer.unref?.();
  }

  /** Holds a message received by a request sent at `requestedAt` (epoch ms). */
  hold(m: DlqMessage, requestedAt: number): void {
    const prior = this.latest.get(m.messageId);
    const old = prior === undefined ? undefined : this.held.get(prior);
    if (old && prior !== m.receiptHandle)
      this.drop([old], "received again: its visibility lapsed while this run held it");
    this.latest.set(m.messageId, m.receiptHandle);
    this.held.set(m.receiptHandle, {
      receiptHandle: m.receiptHandle,
      messageId: m.messageId,
      expiresAt: requestedAt + this.ms,
    });
  }

  /** True when a handle can no longer be trusted: dropped, or its visibility ran out (or has less than `marginMs` left). */
  lapsed(receiptHandle: string, marginMs = 0): boolean {
    if (this.stale.has(receiptHandle)) return true;
    const h = this.held.get(receiptHandle);
    return h !== undefined && h.expiresAt - marginMs <= Date.now();
  }

  deleted(receiptHandle: string): void {
    const h = this.held.get(receiptHandle);
    if (h && this.latest.get(h.messageId) === receiptHandle) this.latest.delete(h.messageId);
    this.held.delete(receiptHandle);
  }

  /** Stops the heartbeat and makes everything still held visible again, at once. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    const rest = [...this.held.values()];
    const { ok } = await this.changeAll(rest, 0);
    if (ok.length < rest.length)
      this.warn(`${rest.length - ok.length} message(s) not released; they reappear when their visibility timeout ends`);
  }

  private drop(items: Held[], reason: string): void {
    for (const h of items) {
      this.held.delete(h.receiptHandle);
      this.stale.add(h.receiptHandle);
    }
    this.warn(
      "receipt handles dropped: the messages may be received again; a replay already sent with them is reported not deleted",
      { reason, messageIds: items.map((h) => h.messageId) },
    );
  }

  private beat(): void {
    if (this.busy) return;
    this.busy = true;
    const now = Date.now();
    const expired = [...this.held.values()].filter((h) => h.expiresAt <= now);
    if (expired.length > 0) this.drop(expired, "its visibility timeout ended before it was extended");
    const due = [...this.held.values()].filter((h) => h.expiresAt - now < this.ms / 2);
    this.changeAll(due, this.options.visibilityTimeout)
      .then(({ ok, failed }) => {
        for (const h of ok) h.expiresAt = now + this.ms;
        const lost = failed.filter((h) => this.held.get(h.receiptHandle) === h);
        if (lost.length > 0) this.drop(lost, "the visibility extension failed");
      })
      .finally(() => {
        this.busy = false;
      });
  }

  private async changeAll(items: Held[], seconds: number): Promise<{ ok: Held[]; failed: Held[] }> {
    const done = { ok: [] as Held[], failed: [] as Held[] };
    const chunks: Held[][] = [];
    for (let i = 0; i < items.length; i += 10) chunks.push(items.slice(i, i + 10));
    // As many calls in flight as the run has workers.
    let nextChunk = 0;
    const lane = async () => {
      for (let c = nextChunk++; c < chunks.length; c = nextChunk++) await this.changeChunk(chunks[c], seconds, done);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, chunks.length) }, lane));
    return done;
  }

  /** Changes the visibility of up to 10 messages; entries that failed on the service's side are tried again. */
  private async changeChunk(first: Held[], seconds: number, done: { ok: Held[]; failed: Held[] }): Promise<void> {
    let chunk = first;
    for (let attempt = 0; chunk.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoff(this.retry.baseDelayMs, attempt - 1));
      const batch = chunk;
      let result: BatchResult;
      try {
        result = await callWithRetry(this.retry, "ChangeMessageVisibilityBatch", () =>
          this.port.changeVisibility(
            this.options.queueUrl,
            batch.map((h, j) => ({ id: String(j), receiptHandle: h.receiptHandle, seconds })),
          ),
        );
      } catch (err) {
        this.warn("visibility change failed", { seconds, error: describeError(err), messages: batch.length });
        done.failed.push(...batch);
        return;
      }
      for (const id of result.ok) done.ok.push(batch[Number(id)]);
      const last = attempt + 1 >= this.retry.attempts;
      const again = last ? [] : result.failed.filter((f) => !f.senderFault);
      const given = result.failed.filter((f) => !again.includes(f));
      if (given.length > 0) this.warn("visibility change failed for some messages", { seconds, failed: given });
      done.failed.push(...given.map((f) => batch[Number(f.id)]));
      chunk = again.map((f) => batch[Number(f.id)]);
    }
  }
}

/** Rate limit across workers: each receive reserves its slot in time. */
class RateLimiter {
  private next = Date.now();
  constructor(private readonly rate: number | undefined) {}

  /** Waits for the slot of `n` messages; gives up (false) as soon as `stopped()` says so (Ctrl-C, the Lambda deadline). */
  async acquire(n: number, stopped: () => boolean, signal?: AbortSignal, remainingMs?: () => number): Promise<boolean> {
    if (!this.rate) return true;
    const start = Math.max(Date.now(), this.next);
    this.next = start + (n * 1000) / this.rate;
    for (let wait = start - Date.now(); wait > 0; wait = start - Date.now()) {
      if (stopped()) return false;
      await pause(Math.min(wait, Math.max(1, remainingMs?.() ?? wait)), signal);
    }
    return !stopped();
  }
}

/** The MessageGroupId a FIFO replay is sent with. */
function groupOf(p: Pending): string {
  return p.replay.kind === "sqs" ? (p.replay.entry.messageGroupId ?? "") : "";
}

/** Payload budget of one send call to a destination. */
function batchBudget(d: Destination): number {
  return d.kind === "sqs"
    ? Math.max(BATCH_PAYLOAD_FLOOR, d.maxMessageSize)
    : d.kind === "event-bus"
      ? d.maxEntrySize
      : Infinity;
}

/** One send call to a destination: SendMessageBatch, PutEvents, or one asynchronous invoke per entry (in parallel). */
async function deliver(
  deps: Pick<EngineDeps, "port" | "functions" | "buses">,
  destination: Destination,
  todo: readonly { id: string; p: Pending }[],
): Promise<BatchResult> {
  if (destination.kind === "sqs")
    return deps.port.send(
      destination.queueUrl,
      todo.map((t) => ({ id: t.id, entry: (t.p.replay as Extract<Replay, { kind: "sqs" }>).entry })),
    );
  if (destination.kind === "event-bus") {
    return deps.buses!.putEvents(
      destination.busArn,
      todo.map((t) => ({ id: t.id, entry: (t.p.replay as Extract<Replay, { kind: "event-bus" }>).entry })),
    );
  }
  const ok: string[] = [];
  const failed: BatchFailure[] = [];
  await Promise.all(
    todo.map(async (t) => {
      try {
        const status = await deps.functions!.invokeAsync(
          destination.functionArn,
          (t.p.replay as Extract<Replay, { kind: "lambda" }>).payload,
        );
        // Only 202 means Lambda queued the event; anything else is not retried (it might have been queued).
        if (status === 202) ok.push(t.id);
        else
          failed.push({
            id: t.id,
            code: `HTTP ${status}`,
            message: "the asynchronous invoke was not acknowledged with 202",
            senderFault: true,
          });
      } catch (err) {
        const e = err as { name?: string; message?: string };
        failed.push({
          id: t.id,
          code: e?.name ?? "Error",
          message: e?.message ?? String(err),
          senderFault: !isRetryable(err),
        });
      }
    }),
  );
  return { ok, failed };
}

/** Deletes up to 10 messages (one receive's worth) from the DLQ, retrying; resolves with the receipt handles deleted. */
async function deleteAll(
  port: QueuePort,
  queueUrl: string,
  retry: RetryPolicy,
  warn: Warn,
  messages: DlqMessage[],
): Promise<Set<string>> {
  const done = new Set<string>();
  let todo = messages.map((m, i) => ({ id: String(i), m }));
  for (let attempt = 0; attempt < retry.attempts && todo.length > 0; attempt++) {
    if (attempt > 0) await sleep(backoff(retry.baseDelayMs, attempt - 1));
    try {
      const result = await port.delete(
        queueUrl,
        todo.map((t) => ({ id: t.id, receiptHandle: t.m.receiptHandle })),
      );
      const ok = new Set(result.ok);
      for (const t of todo) if (ok.has(t.id)) done.add(t.m.receiptHandle);
      todo = todo.filter((t) => !ok.has(t.id));
    } catch (err) {
      if (!isRetryable(err)) break;
    }
  }
  if (todo.length > 0)
    warn(
      "replayed messages could not be deleted from the DLQ; a later run replays them again with the same redriveId",
      { messageIds: todo.map((t) => t.m.messageId) },
    );
  return done;
}

/** Drains `options.queueUrl`; resolves with the run's summary. Throws only when the run cannot start. */
export async function redrive(options: RedriveOptions, deps: EngineDeps): Promise<RedriveSummary> {
  const started = Date.now();
  const { port } = deps;
  const now = deps.now ?? (() => new Date());
  const retry = deps.retry ?? { attempts: 5, baseDelayMs: 100 };
  const warn = deps.warn ?? (() => undefined);
  // Adaptive concurrency: lanes grow while throughput rises; throttling and errors halve them (pacer.ts).
  const pacer = new Pacer({ max: options.concurrency }, Date.now());
  const withRetry = <T>(what: string, fn: () => Promise<T>) => callWithRetry(retry, what, fn, () => pacer.trouble());

  const source = await describeOption(port, retry, "queueUrl", options.queueUrl);
  // One figure for all threads of a run: the receive limit and the progress bar must not depend on when a thread started.
  const expected = deps.expected ?? source.approximateMessages;
  const resolve = destinationResolver(port, retry);
  if (options.to !== undefined) {
    const to = await describeOption(port, retry, "to", options.to);
    if (to.queueArn === source.queueArn) {
      throw new OptionsError([{ field: "to", message: "expected a queue other than the DLQ being drained" }]);
    }
  }

  const holds = new Holds(port, options, retry, warn);
  if (!options.dryRun && options.visibilityTimeout < SHORT_VISIBILITY_SECONDS)
    warn(
      `a visibility timeout of ${options.visibilityTimeout} s is short for a batch (receive, send to the destination, delete): a hold that lapses lets another run or thread replay the same message; such replays are reported hold-lapsed and not deleted. Use at least ${SHORT_VISIBILITY_SECONDS} s`,
    );
  const tally = new Tally(options.queueUrl, deps.record);
  const rate = new RateLimiter(options.rate);
  const limit = receiveLimit(expected);
  // The receive limit, the --max-messages quota and the empty receive: this run's, or shared by the run's threads.
  const counters = deps.counters ?? new RunCounters();
  const max = options.maxMessages;
  let stoppedBecause = "drained" as RedriveSummary["stoppedBecause"];
  const stopReason = (): RedriveSummary["stoppedBecause"] | undefined => {
    if (deps.signal?.aborted) return "aborted";
    if (deps.remainingMs && deps.remainingMs() <= 0) return "deadline";
    if (max !== undefined && counters.used >= max) return "max-messages";
    if (counters.received >= limit) return "receive-limit";
    return undefined;
  };

  const report = () =>
    deps.progress?.({
      received: tally.received,
      replayed: tally.replayed,
      wouldReplay: tally.wouldReplay,
      skipped: tally.skippedTotal,
      failed: tally.failed,
      expected: expected === undefined ? options.maxMessages : Math.min(expected, options.maxMessages ?? Infinity),
    });

  /** Decides every message of a receive and replays those to replay; resolves with how many were taken for replay. */
  async function processBatch(messages: DlqMessage[]): Promise<number> {
    const pending: Pending[] = [];
    // FIFO destination + group -> receive position of its first message that stays behind.
    const barriers = new Map<string, number>();
    let left = 0;
    const skip = (msg: DlqMessage, info: DeadLetterInfo, reason: SkipReason, detail: string) => {
      left++;
      tally.emit(msg, info, { outcome: "skipped", reason, detail });
    };
    for (const msg of messages) {
      const c = classify(msg, options);
      tally.receivedOne(msg, c.info);
      counters.addReceived(1);
      if (c.action === "fail") {
        tally.emit(msg, c.info, { outcome: "failed", error: c.error });
        continue;
      }
      if (c.action === "skip") {
        skip(msg, c.info, c.reason, c.detail);
        continue;
      }
      if ((c.route.kind === "lambda" && !deps.functions) || (c.route.kind === "event-bus" && !deps.buses)) {
        skip(
          msg,
          c.info,
          "unsupported-target",
          `this run has no ${c.route.kind === "lambda" ? "Lambda" : "EventBridge"} client for target ${c.route.arn.raw}`,
        );
        continue;
      }
      let destination: Destination;
      try {
        destination = await resolve(c.route);
      } catch (err) {
        tally.emit(msg, c.info, {
          outcome: "failed",
          error: `destination ${routeName(c.route)} not resolved: ${describeError(err)}`,
        });
        continue;
      }
      if (destination.kind === "sqs" && destination.queueArn === source.queueArn) {
        tally.emit(msg, c.info, { outcome: "failed", error: `destination ${destination.queueUrl} is the DLQ itself` });
        continue;
      }
      const prepared = prepare(msg, c.info, destination);
      if (prepared.action === "skip") {
        skip(msg, c.info, prepared.reason, prepared.detail);
        continue;
      }
      if (prepared.action === "fail") {
        tally.emit(msg, c.info, {
          outcome: "failed",
          error: prepared.error,
          destination: destinationName(destination),
        });
        // A FIFO group whose message stays behind sends none of its later ones (they would overtake it).
        if (destination.kind === "sqs" && destination.fifo) {
          const key = `${destinationName(destination)}\n${msg.attributes.MessageGroupId ?? options.fifoGroupId}`;
          if (!barriers.has(key)) barriers.set(key, messages.indexOf(msg));
        }
        continue;
      }
      if (options.dryRun) {
        const { context } = prepared;
        tally.emit(msg, c.info, {
          outcome: "would-replay",
          destination: destinationName(destination),
          redriveId: context.redriveId,
          redriveCount: context.redriveCount,
          ...logged(destination, context),
        });
        continue;
      }
      pending.push({ msg, info: c.info, destination, ...prepared });
    }

    const byDestination = new Map<string, Pending[]>();
    for (const p of pending) {
      const key = destinationName(p.destination);
      byDestination.set(key, [...(byDestination.get(key) ?? []), p]);
    }
    const heldBack = (p: Pending) =>
      messages.indexOf(p.msg) > (barriers.get(`${destinationName(p.destination)}\n${groupOf(p)}`) ?? Infinity);
    await Promise.all([...byDestination.entries()].map(([name, list]) => replay(name, list, heldBack)));
    return messages.length - left;
  }

  /**
   * The replay of one message for its destination, or why it stays in the DLQ. An SQS replay that
   * does not fit once the redrive-context is added (size, attribute count) is a failure: the
   * replay was wanted and cannot be made.
   */
  function prepare(
    msg: DlqMessage,
    info: DeadLetterInfo,
    destination: Destination,
  ):
    | { action: "skip"; reason: SkipReason; detail: string }
    | { action: "fail"; error: string }
    | { action: "replay"; replay: Replay; context: RedriveContext; size: number } {
    const ctx = { sourceQueueArn: source.queueArn, now: now(), fifoGroupId: options.fifoGroupId };
    if (destination.kind === "sqs") {
      const p = prepareReplay(msg, info, destination, ctx);
      if (p.action === "skip") return { action: "fail", error: `${p.reason}: ${p.detail}` };
      return {
        action: "replay",
        replay: { kind: "sqs", entry: p.entry },
        context: p.context,
        size: messageSize(p.entry.body, p.entry.messageAttributes),
      };
    }
    if (destination.kind === "lambda") {
      const p = prepareInvoke(msg, info, destination, ctx);
      if (p.action === "skip") return p;
      return {
        action: "replay",
        replay: { kind: "lambda", payload: p.payload },
        context: p.context,
        size: p.payload.byteLength,
      };
    }
    const p = preparePutEvent(msg, info, destination, ctx);
    if (p.action === "skip") return p;
    return { action: "replay", replay: { kind: "event-bus", entry: p.event }, context: p.context, size: p.size };
  }

  const failOutcome = (p: Pending, url: string, error: string): Outcome => ({
    outcome: "failed",
    error,
    destination: url,
    redriveId: p.context.redriveId,
    ...logged(p.destination, p.context),
  });

  /**
   * Sends (in batches whose total payload the destination accepts; FIFO queues in group order),
   * then deletes exactly the acknowledged messages. A message whose receipt handle lapsed is not
   * sent; one that lapsed after sending is reported not deleted (the delete cannot be trusted).
   */
  async function replay(url: string, list: Pending[], heldBack: (p: Pending) => boolean): Promise<void> {
    const d = list[0].destination;
    const fresh = list.filter((p) => {
      if (!holds.lapsed(p.msg.receiptHandle, holds.margin)) return true;
      tally.emit(
        p.msg,
        p.info,
        failOutcome(
          p,
          url,
          `its hold had less than ${holds.margin} ms of visibility left before the replay was sent (not enough to send and delete safely); left in the DLQ`,
        ),
      );
      return false;
    });
    // A batch of asynchronous invokes is not one request: no payload budget applies to it.
    const acked =
      d.kind === "sqs" && d.fifo
        ? await sendInGroupOrder(url, fresh, batchBudget(d), heldBack)
        : (await Promise.all(splitByPayload(fresh, batchBudget(d)).map((batch) => send(url, batch)))).flat();
    if (acked.length === 0) return;

    const deleted = await deleteAll(
      port,
      options.queueUrl,
      retry,
      warn,
      acked.map((p) => p.msg),
    );
    // Judged when the delete has returned: a hold that ended before then may have let another receiver replay the
    // message too, and SQS accepts a delete with a stale handle without deleting anything.
    const lapsed = new Set(acked.filter((p) => holds.lapsed(p.msg.receiptHandle)).map((p) => p.msg.receiptHandle));
    if (lapsed.size > 0) {
      warn(
        "replayed, but the hold on the message may have lapsed before the delete returned: possible duplicates (same redriveId), delete not confirmed",
        {
          messageIds: acked.filter((p) => lapsed.has(p.msg.receiptHandle)).map((p) => p.msg.messageId),
        },
      );
    }
    for (const p of acked) {
      if (deleted.has(p.msg.receiptHandle)) holds.deleted(p.msg.receiptHandle);
      const holdLapsed = lapsed.has(p.msg.receiptHandle);
      tally.emit(p.msg, p.info, {
        outcome: "replayed",
        destination: url,
        redriveId: p.context.redriveId,
        redriveCount: p.context.redriveCount,
        deleted: deleted.has(p.msg.receiptHandle) && !holdLapsed,
        ...(holdLapsed ? { holdLapsed: true as const } : {}),
        ...logged(d, p.context),
      });
    }
  }

  /**
   * FIFO destination: messages of one group are sent in the order they were received, one per
   * group per round, each round after the previous one's retries. Once a message of a group
   * fails, the group's later messages are not sent (they would overtake it) and stay in the DLQ.
   */
  async function sendInGroupOrder(
    url: string,
    list: Pending[],
    budget: number,
    heldBack: (p: Pending) => boolean,
  ): Promise<Pending[]> {
    const groups = new Map<string, Pending[]>();
    for (const p of list) groups.set(groupOf(p), [...(groups.get(groupOf(p)) ?? []), p]);
    const acked: Pending[] = [];
    const broken = new Set<string>();
    for (let round = 0; ; round++) {
      const batch = [...groups.values()].map((q) => q[round]).filter((p): p is Pending => p !== undefined);
      if (batch.length === 0) return acked;
      const go = batch.filter((p) => {
        if (!broken.has(groupOf(p)) && !heldBack(p)) return true;
        broken.add(groupOf(p));
        tally.emit(
          p.msg,
          p.info,
          failOutcome(
            p,
            url,
            `not sent: an earlier message of MessageGroupId ${JSON.stringify(groupOf(p))} failed, and sending this one would reorder the group`,
          ),
        );
        return false;
      });
      const sent = (await Promise.all(splitByPayload(go, budget).map((b) => send(url, b)))).flat();
      for (const p of go) if (!sent.includes(p)) broken.add(groupOf(p));
      acked.push(...sent);
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
        result = await deliver(deps, destination, todo);
      } catch (err) {
        pacer.trouble();
        for (const t of todo) errors.set(t.id, describeError(err));
        lastError = errors;
        if (!isRetryable(err)) break;
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
        if (f?.senderFault) tally.emit(t.p.msg, t.p.info, failOutcome(t.p, url, error));
        else {
          errors.set(t.id, error);
          next.push(t);
        }
      }
      // Entries the destination could not take now (throttled, internal errors): fewer lanes.
      if (next.length > 0) pacer.trouble();
      lastError = errors;
      todo = next;
    }
    for (const t of todo) tally.emit(t.p.msg, t.p.info, failOutcome(t.p, url, lastError.get(t.id) ?? "not sent"));
    return acked;
  }

  // counters.empty: set when a receive of a standard queue came back empty; no lane (of any thread) receives again, so one
  // empty long poll ends the run, not one per lane. counters.pending: messages asked for by receives in flight, or
  // received and not yet decided on; the receive limit counts them too.

  // The quick end of a standard queue: once the run has received (or is receiving) as many messages as the DLQ held at
  // the start, or a receive brought fewer than it asked for (other workers took the rest), a receive asks without
  // waiting, and an empty answer that the queue's own counts confirm (nothing visible, nothing delayed) ends the run at
  // once instead of after an empty long poll (a second, with the default wait). Until then receives long-poll, which
  // costs nothing while messages are there. The counts are approximate, so where they disagree (messages arrived, or a
  // short poll missed a sparse queue) the run goes back to long polls for good: one describe more, never a message less.
  let quickEnd = !source.fifo && options.waitTimeSeconds > 0;
  let partialSeen = false;
  const waitFor = (pending: number, want: number) =>
    quickEnd && (partialSeen || (expected !== undefined && counters.received + pending + want > expected))
      ? 0
      : options.waitTimeSeconds;
  /** Whether the queue's counts say it holds nothing visible and nothing delayed (false when they cannot be read). */
  async function countsConfirmEmpty(): Promise<boolean> {
    try {
      const d = await port.describe(options.queueUrl);
      return d.approximateMessages === 0 && (d.approximateDelayed ?? 0) === 0;
    } catch {
      return false;
    }
  }

  /** One receive for a lane, its --max-messages quota reserved until processed; undefined when the run stops taking messages. */
  async function take(): Promise<{ messages: DlqMessage[]; want: number } | undefined> {
    for (;;) {
      const reason = stopReason();
      if (reason) {
        if (stoppedBecause === "drained") stoppedBecause = reason;
        return undefined;
      }
      if (counters.empty) return undefined;
      // Near the receive limit, a lane whose receive could only overshoot it ends; the lanes already receiving reach it.
      const pending = counters.pending;
      if (pending > 0 && counters.received + pending >= limit) return undefined;
      // With --max-messages, a receive asks for no more than the quota not yet taken or claimed.
      const want = counters.claim(max, 10);
      if (want <= 0) return undefined;
      let messages: DlqMessage[];
      let wait = options.waitTimeSeconds;
      let requestedAt = Date.now();
      try {
        if (!(await rate.acquire(want, () => stopReason() !== undefined, deps.signal, deps.remainingMs))) {
          counters.settle(max, want, 0);
          continue;
        }
        wait = waitFor(counters.pending, want);
        counters.addPending(want);
        requestedAt = Date.now();
        try {
          messages = await withRetry("ReceiveMessage", () =>
            port.receive(options.queueUrl, want, options.visibilityTimeout, wait),
          );
        } finally {
          counters.addPending(-want);
        }
      } catch (err) {
        counters.settle(max, want, 0);
        throw err;
      }
      counters.addPending(messages.length);
      if (messages.length > 0 && messages.length < want) partialSeen = true;
      if (messages.length === 0) {
        counters.settle(max, want, 0);
        if (wait < options.waitTimeSeconds && !counters.empty && !(await countsConfirmEmpty())) {
          quickEnd = false;
          continue;
        }
        // A FIFO queue answers empty while other lanes hold its groups: there each lane ends on its own empty receive.
        if (!source.fifo) counters.markEmpty();
        return undefined;
      }
      for (const m of messages) holds.hold(m, requestedAt);
      return { messages, want };
    }
  }

  /** A lane: receive, send, delete, with its next receive in flight while the current batch is sent and deleted. */
  async function worker(lane: LaneControl): Promise<void> {
    let next: ReturnType<typeof take> | undefined;
    try {
      for (;;) {
        const batch = await (next ?? take());
        next = undefined;
        if (!batch) return;
        const more = lane.keep();
        if (more) {
          next = take();
          // Awaited on the next turn (or below); marked handled so a failure meanwhile is not an unhandled rejection.
          next.catch(() => undefined);
        }
        let taken = 0;
        try {
          taken = await processBatch(batch.messages);
        } finally {
          counters.settle(max, batch.want, taken);
          counters.addPending(-batch.messages.length);
        }
        lane.done(batch.messages.length);
        report();
        if (!more) return;
      }
    } finally {
      // A lane that ends with a receive in flight: what that receive took is held, and released with the rest at the end.
      const left = next ? await next.catch(() => undefined) : undefined;
      if (left) {
        counters.settle(max, left.want, 0);
        counters.addPending(-left.messages.length);
      }
    }
  }

  let workerError: unknown;
  try {
    const errors = await runLanes(pacer, worker, () => !counters.empty && stopReason() === undefined);
    if (errors.length > 0) workerError = errors[0];
  } finally {
    await holds.release();
  }
  if (workerError) {
    warn("receiving stopped early", { error: describeError(workerError) });
    if (stoppedBecause === "drained") stoppedBecause = "aborted";
  }
  if (stoppedBecause === "drained" && max !== undefined && counters.used >= max) stoppedBecause = "max-messages";
  // Lanes near the receive limit end without a receive of their own (see take()): the limit still ended the run.
  if (stoppedBecause === "drained" && counters.received >= limit) stoppedBecause = "receive-limit";
  report();

  const errors = [
    ...(workerError ? [describeError(workerError)] : []),
    ...(stoppedBecause === "receive-limit"
      ? [
          `stopped after receiving ${counters.received} messages, twice the ${expected ?? "unknown number"} the DLQ held at the start plus 100: messages came back (visibility lapsing) or kept arriving; run again`,
        ]
      : []),
  ];
  return {
    dryRun: options.dryRun,
    queues: [options.queueUrl],
    received: tally.received,
    replayed: tally.replayed,
    wouldReplay: tally.wouldReplay,
    skipped: tally.skipped,
    skippedTotal: tally.skippedTotal,
    failed: tally.failed,
    notDeleted: tally.notDeleted,
    holdLapsed: tally.holdLapsed,
    byErrorCode: tally.byErrorCode,
    byRuleArn: tally.byRuleArn,
    byTargetArn: tally.byTargetArn,
    durationMs: Date.now() - started,
    stoppedBecause,
    ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
  };
}

/** Merges the summaries of runs over several DLQs into one. */
export function mergeSummaries(summaries: readonly RedriveSummary[], durationMs: number): RedriveSummary {
  const skipped: Partial<Record<SkipReason, number>> = {};
  const byErrorCode: Record<string, number> = {};
  const byRuleArn: Record<string, number> = {};
  const byTargetArn: Record<string, number> = {};
  const add = (into: Record<string, number>, from: Readonly<Record<string, number>>) => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  };
  for (const s of summaries) {
    for (const [k, v] of Object.entries(s.skipped))
      skipped[k as SkipReason] = (skipped[k as SkipReason] ?? 0) + (v ?? 0);
    add(byErrorCode, s.byErrorCode);
    add(byRuleArn, s.byRuleArn);
    add(byTargetArn, s.byTargetArn);
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
    holdLapsed: sum((s) => s.holdLapsed),
    byErrorCode,
    byRuleArn,
    byTargetArn,
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
