/**
 * Runs the engine's lanes (each a receive -> send -> delete loop) under a Pacer: starts with its
 * target, starts more when it grows, and retires lanes (at the end of their current batch) when
 * it shrinks. Resolves when every lane has ended, with the errors lanes ended with.
 */
import type { Pacer } from "./pacer";

/** What a lane gets: whether to go on after this batch, and where to report finished messages. */
export interface LaneControl {
  /** False when the lane should end after its current batch (the pacer wants fewer lanes). */
  keep(): boolean;
  /** `n` messages of a batch are done (replayed, skipped or failed). */
  done(n: number): void;
}

export function runLanes(
  pacer: Pacer,
  lane: (control: LaneControl) => Promise<void>,
  mayGrow: () => boolean,
  now: () => number = Date.now,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  let running = 0;
  /** Lanes not yet told to end. */
  let live = 0;
  return new Promise((resolve) => {
    const start = () => {
      running++;
      live++;
      let retired = false;
      const control: LaneControl = {
        keep: () => {
          if (retired) return false;
          if (live > pacer.target) {
            retired = true;
            live--;
            return false;
          }
          return true;
        },
        done: (n) => {
          pacer.completed(n);
          const target = pacer.tick(now());
          while (live < target && mayGrow()) start();
        },
      };
      lane(control)
        .catch((err) => errors.push(err))
        .finally(() => {
          running--;
          if (!retired) live--;
          if (running === 0) resolve(errors);
        });
    };
    const first = Math.max(1, pacer.target);
    for (let i = 0; i < first; i++) start();
  });
}
