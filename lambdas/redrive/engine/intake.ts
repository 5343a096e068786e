/**
 * The intake half of a run: receives for the lanes (each receive's --max-messages quota reserved until processed),
 * holds what it took, and decides when the run stops taking messages and why.
 */
import type { EngineDeps, RetryPolicy } from "./deps";
import type { Holds } from "./holds";
import type { DlqMessage, RedriveSummary } from "./model";
import type { RedriveOptions } from "./options";
import type { Pacer } from "./pacer";
import type { RateLimiter } from "./rate-limiter";
import { callWithRetry } from "./retry";
import type { RunCounters } from "./run-counters";
import type { QueueDescription, QueuePort } from "../ports/port";

/**
 * Messages a run receives before it stops as `receive-limit`: twice the DLQ's depth when the run
 * started, plus 100 (10,000 when the depth is unknown). Messages that keep coming back (visibility
 * lapsing) or keep arriving then end the run, reported, instead of looping without end.
 */
export function receiveLimit(expected: number | undefined): number {
  return 2 * (expected ?? 10_000) + 100;
}

type StopReason = RedriveSummary["stoppedBecause"];

export class Intake {
  /** Why the run stopped taking messages ("drained" until something else ends it). */
  stoppedBecause: StopReason = "drained";
  /** The receive limit of the run (receiveLimit of the expected depth). */
  readonly limit: number;
  private readonly max: number | undefined;
  // counters.empty: set when a receive of a standard queue came back empty; no lane (of any thread) receives again, so one
  // empty long poll ends the run, not one per lane. counters.pending: messages asked for by receives in flight, or
  // received and not yet decided on; the receive limit counts them too.

  // The quick end of a standard queue: once the run has received (or is receiving) as many messages as the DLQ held at
  // the start, or a receive brought fewer than it asked for (other workers took the rest), a receive asks without
  // waiting, and an empty answer that the queue's own counts confirm (nothing visible, nothing delayed) ends the run at
  // once instead of after an empty long poll (a second, with the default wait). Until then receives long-poll, which
  // costs nothing while messages are there. The counts are approximate, so where they disagree (messages arrived, or a
  // short poll missed a sparse queue) the run goes back to long polls for good: one describe more, never a message less.
  private quickEnd: boolean;
  private partialSeen = false;

  constructor(
    private readonly options: RedriveOptions,
    private readonly deps: EngineDeps,
    private readonly source: QueueDescription,
    private readonly expected: number | undefined,
    private readonly counters: RunCounters,
    private readonly rate: RateLimiter,
    private readonly holds: Holds,
    private readonly retry: RetryPolicy,
    private readonly pacer: Pacer,
  ) {
    this.limit = receiveLimit(expected);
    this.max = options.maxMessages;
    this.quickEnd = !source.fifo && options.waitTimeSeconds > 0;
  }

  private get port(): QueuePort {
    return this.deps.port;
  }

  private withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return callWithRetry(this.retry, what, fn, () => this.pacer.trouble());
  }

  /** Why the run should stop taking messages now, if it should. */
  stopReason(): StopReason | undefined {
    if (this.deps.signal?.aborted) return "aborted";
    if (this.deps.remainingMs && this.deps.remainingMs() <= 0) return "deadline";
    if (this.max !== undefined && this.counters.used >= this.max) return "max-messages";
    if (this.counters.received >= this.limit) return "receive-limit";
    return undefined;
  }

  /** Whether a lane may start another receive. */
  open(): boolean {
    return !this.counters.empty && this.stopReason() === undefined;
  }

  /** Settles what a processed receive took against its quota. */
  settle(want: number, taken: number, received: number): void {
    this.counters.settle(this.max, want, taken);
    this.counters.addPending(-received);
  }

  /** Once the lanes ended: why the run stopped, as the summary says it (a lane error aborts a drained run). */
  finish(workerError: unknown): StopReason {
    if (workerError && this.stoppedBecause === "drained") this.stoppedBecause = "aborted";
    if (this.stoppedBecause === "drained" && this.max !== undefined && this.counters.used >= this.max)
      this.stoppedBecause = "max-messages";
    // Lanes near the receive limit end without a receive of their own (see take()): the limit still ended the run.
    if (this.stoppedBecause === "drained" && this.counters.received >= this.limit)
      this.stoppedBecause = "receive-limit";
    return this.stoppedBecause;
  }

  /** How long a receive waits: none once the quick end applies (the run has all it expected, or saw a partial receive). */
  private waitFor(pending: number, want: number): number {
    return this.quickEnd &&
      (this.partialSeen || (this.expected !== undefined && this.counters.received + pending + want > this.expected))
      ? 0
      : this.options.waitTimeSeconds;
  }

  /** Whether the queue's counts say it holds nothing visible and nothing delayed (false when they cannot be read). */
  private async countsConfirmEmpty(): Promise<boolean> {
    try {
      const d = await this.port.describe(this.options.queueUrl);
      return d.approximateMessages === 0 && (d.approximateDelayed ?? 0) === 0;
    } catch {
      return false;
    }
  }

  /** One receive for a lane, its --max-messages quota reserved until processed; undefined when the run stops taking messages. */
  async take(): Promise<{ messages: DlqMessage[]; want: number } | undefined> {
    for (;;) {
      const reason = this.stopReason();
      if (reason) {
        if (this.stoppedBecause === "drained") this.stoppedBecause = reason;
        return undefined;
      }
      if (this.counters.empty) return undefined;
      // Near the receive limit, a lane whose receive could only overshoot it ends; the lanes already receiving reach it.
      const pending = this.counters.pending;
      if (pending > 0 && this.counters.received + pending >= this.limit) return undefined;
      // With --max-messages, a receive asks for no more than the quota not yet taken or claimed.
      const want = this.counters.claim(this.max, 10);
      if (want <= 0) return undefined;
      let messages: DlqMessage[];
      let wait = this.options.waitTimeSeconds;
      let requestedAt = Date.now();
      try {
        if (
          !(await this.rate.acquire(
            want,
            () => this.stopReason() !== undefined,
            this.deps.signal,
            this.deps.remainingMs,
          ))
        ) {
          this.counters.settle(this.max, want, 0);
          continue;
        }
        wait = this.waitFor(this.counters.pending, want);
        this.counters.addPending(want);
        requestedAt = Date.now();
        try {
          messages = await this.withRetry("ReceiveMessage", () =>
            this.port.receive(this.options.queueUrl, want, this.options.visibilityTimeout, wait),
          );
        } finally {
          this.counters.addPending(-want);
        }
      } catch (err) {
        this.counters.settle(this.max, want, 0);
        throw err;
      }
      this.counters.addPending(messages.length);
      if (messages.length > 0 && messages.length < want) this.partialSeen = true;
      if (messages.length === 0) {
        this.counters.settle(this.max, want, 0);
        if (wait < this.options.waitTimeSeconds && !this.counters.empty && !(await this.countsConfirmEmpty())) {
          this.quickEnd = false;
          continue;
        }
        // A FIFO queue answers empty while other lanes hold its groups: there each lane ends on its own empty receive.
        if (!this.source.fifo) this.counters.markEmpty();
        return undefined;
      }
      for (const m of messages) this.holds.hold(m, requestedAt);
      return { messages, want };
    }
  }
}
