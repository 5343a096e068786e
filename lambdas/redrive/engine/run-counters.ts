/**
 * The counters of one run that all its lanes read and change: messages received and in flight (the
 * receive limit), the --max-messages quota, and whether a receive came back empty. One run on
 * several threads (the CLI's --threads) shares them over a SharedArrayBuffer, so its engines stop
 * on one quota, one limit and one empty receive as a single engine's lanes do. Every change is
 * atomic (Atomics), so an engine on another thread sees it at once.
 */

const RECEIVED = 0;
const PENDING = 1;
const USED = 2;
/** Taken for replay plus claimed by receives not yet decided: never above --max-messages. */
const COMMITTED = 3;
const EMPTY = 4;
const SLOTS = 5;

export class RunCounters {
  /** Bytes of the buffer a run's counters live in. */
  static readonly BYTES = SLOTS * Int32Array.BYTES_PER_ELEMENT;
  private readonly slots: Int32Array;

  /** Counters over `buffer` (a SharedArrayBuffer of BYTES to share them with other threads); default a run's own. */
  constructor(readonly buffer: ArrayBufferLike = new ArrayBuffer(RunCounters.BYTES)) {
    if (buffer.byteLength < RunCounters.BYTES) throw new RangeError(`RunCounters: expected ${RunCounters.BYTES} bytes`);
    this.slots = new Int32Array(buffer, 0, SLOTS);
  }

  /** Messages received and decided on so far. */
  get received(): number {
    return Atomics.load(this.slots, RECEIVED);
  }

  addReceived(n: number): void {
    Atomics.add(this.slots, RECEIVED, n);
  }

  /** Messages asked for by receives in flight, or received and not yet decided on. */
  get pending(): number {
    return Atomics.load(this.slots, PENDING);
  }

  addPending(n: number): void {
    Atomics.add(this.slots, PENDING, n);
  }

  /** Messages taken for replay (replayed, would replay, or failed). */
  get used(): number {
    return Atomics.load(this.slots, USED);
  }

  /**
   * Claims up to `want` messages of the quota `max` for one receive (all of `want` without a
   * quota); what was taken and what is claimed never exceed `max`. Returns the claim (0: none left).
   */
  claim(max: number | undefined, want: number): number {
    if (max === undefined) return want;
    for (;;) {
      const committed = Atomics.load(this.slots, COMMITTED);
      const granted = Math.min(want, max - committed);
      if (granted <= 0) return 0;
      if (Atomics.compareExchange(this.slots, COMMITTED, committed, committed + granted) === committed) return granted;
    }
  }

  /** A claim is decided: `taken` of its `claimed` messages were taken for replay, the rest of the claim is given back. */
  settle(max: number | undefined, claimed: number, taken: number): void {
    Atomics.add(this.slots, USED, taken);
    if (max !== undefined) Atomics.sub(this.slots, COMMITTED, claimed - taken);
  }

  /** Whether a receive of a standard queue came back empty (the run takes no more). */
  get empty(): boolean {
    return Atomics.load(this.slots, EMPTY) === 1;
  }

  markEmpty(): void {
    Atomics.store(this.slots, EMPTY, 1);
  }
}
