import { pause } from "./retry";

/** Rate limit across workers: each receive reserves its slot in time. */
export class RateLimiter {
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
