import type { DlqMessage } from "./model";
import type { RedriveOptions } from "./options";
import type { BatchResult, QueuePort } from "../ports/port";
import type { RetryPolicy, Warn } from "./deps";
import { backoff, callWithRetry, describeError, sleep } from "./retry";

/** Below this visibility timeout (seconds) a run warns that its holds may lapse while a batch is sent. */
export const SHORT_VISIBILITY_SECONDS = 10;

/** Most of a hold kept back before a replay is sent: time for the send and the delete (half the visibility when shorter). */
export const HOLD_MARGIN_MS = 2_000;

interface Held {
  readonly receiptHandle: string;
  readonly messageId: string;
  expiresAt: number;
}

/**
 * Everything a run took and has not deleted, kept invisible while the run lasts (a heartbeat
 * extends it) and released at the end. A handle whose extension failed or whose visibility ran
 * out is dropped as stale and reported: the message may be received again, so the handle is
 * neither extended again nor trusted for a delete. Every hold's clock starts when its receive (or
 * extension) request left, not when the answer came back: SQS starts the visibility timeout on its
 * side, somewhere in between, so the run never believes it holds a message longer than it does.
 */
export class Holds {
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
