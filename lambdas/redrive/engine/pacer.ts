/**
 * Adaptive concurrency for the redrive engine: how many receive/send/delete lanes run at once.
 * It starts low, grows while each step up raises throughput and no call was throttled or failed,
 * steps back when growing stopped paying (the client or the service is the limit), halves on
 * throttling or errors, and never goes above the maximum (`--concurrency`). Pure: the engine
 * feeds it outcomes and the clock, and reads `target`.
 */

/** Settings of a Pacer. */
export interface PacerOptions {
  /** Most lanes ever (the run's `concurrency`). */
  readonly max: number;
  /** Lanes at the start; default min(max, 8). */
  readonly initial?: number;
  /** Length of one measuring window in ms; default 250. */
  readonly windowMs?: number;
}

/**
 * A step up pays when throughput rises by at least this part of the step (x1.5 lanes: +7.5 %), so
 * it must grow with the lanes (latency bound), not just drift with noise (CPU bound, where more
 * lanes only cost memory and connections). Measured: stricter (0.4) stops too early behind 20 ms
 * of latency (1.9x the naive copy against 2.2x), and no setting changed the CPU-bound figure.
 */
const SCALE = 0.15;
/** Without a step on trial, a rise of this share starts one. */
const GAIN = 1.2;
/** Windows spent at a plateau before growing is tried again (the limit may have moved). */
const RETRY_AFTER = 8;

export class Pacer {
  /** Lanes that should run now. */
  target: number;
  private readonly max: number;
  private readonly windowMs: number;
  private windowStart: number;
  private done = 0;
  private troubled = false;
  /** Throughput (messages/s) of the last window at the previous target, and that target, while a step up is on trial. */
  private trial?: { readonly rate: number; readonly from: number };
  private lastRate = 0;
  private plateau = 0;
  private windows = 0;

  constructor(options: PacerOptions, now: number) {
    this.max = Math.max(1, options.max);
    this.target = Math.max(1, Math.min(this.max, options.initial ?? 8));
    this.windowMs = options.windowMs ?? 250;
    this.windowStart = now;
  }

  /** `n` messages finished (replayed, skipped or failed). */
  completed(n: number): void {
    this.done += n;
  }

  /** A call was throttled or failed: the next window backs off. */
  trouble(): void {
    this.troubled = true;
  }

  /** Re-evaluates at the end of each window; returns the (possibly new) target. */
  tick(now: number): number {
    const elapsed = now - this.windowStart;
    if (elapsed < this.windowMs) return this.target;
    const rate = (this.done * 1000) / elapsed;
    this.done = 0;
    this.windowStart = now;
    this.windows++;
    if (this.troubled) {
      this.troubled = false;
      this.trial = undefined;
      this.plateau = 0;
      this.target = Math.max(1, Math.floor(this.target / 2));
    } else if (this.trial) {
      if (rate >= this.trial.rate * (1 + SCALE * (this.target / this.trial.from - 1))) this.grow(rate);
      else {
        // The step up did not pay: go back to where it came from (its throughput is the one to beat) and stay a while.
        const { from, rate: before } = this.trial;
        this.trial = undefined;
        this.plateau = 0;
        this.target = from;
        this.lastRate = Math.max(before, rate);
        return this.target;
      }
      // The first window (start-up, warm-up) is only measured; growing is first tried after it.
    } else if (
      rate > 0 &&
      this.windows > 1 &&
      (this.windows === 2 || this.plateau >= RETRY_AFTER || rate >= this.lastRate * GAIN)
    ) {
      this.grow(rate);
    } else this.plateau++;
    this.lastRate = rate;
    return this.target;
  }

  private grow(rate: number): void {
    this.plateau = 0;
    if (this.target >= this.max) {
      this.trial = undefined;
      return;
    }
    this.trial = { rate, from: this.target };
    this.target = Math.min(this.max, Math.ceil(this.target * 1.5));
  }
}

/** Whether an error means the service is throttling the caller. */
export function isThrottling(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return (
    /thrott|RequestLimit|TooMany|SlowDown/i.test(`${e?.name ?? ""} ${e?.code ?? ""}`) ||
    e?.$metadata?.httpStatusCode === 429
  );
}
