/** Waits until the route's queue is empty (nothing visible, in flight or delayed) on several polls in a row, or a deadline. */
import type { QueuePort } from "./ports";

export interface SettleOptions {
  readonly pollMs: number;
  /** Consecutive empty polls that count as settled. */
  readonly quietPolls: number;
  readonly timeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly tell: (line: string) => void;
}

/** True when the queue stayed empty for `quietPolls` polls; false at the deadline. */
export async function settle(queues: QueuePort, queueUrl: string, o: SettleOptions): Promise<boolean> {
  const deadline = Date.now() + o.timeoutMs;
  let quiet = 0;
  let told = -1;
  for (;;) {
    const depth = await queues.depth(queueUrl);
    quiet = depth === 0 ? quiet + 1 : 0;
    if (quiet >= o.quietPolls) return true;
    if (depth !== told && depth > 0) o.tell(`waiting for the queue to drain: ${depth} message(s) left`);
    told = depth;
    if (Date.now() >= deadline) return false;
    await o.sleep(o.pollMs);
  }
}
