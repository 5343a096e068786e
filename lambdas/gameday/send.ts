/**
 * Sends the run's orders through the API as a careful client would: a few at a time at a bounded rate, each retried
 * with the same idempotency key on a network failure, 429 or 5XX (exponential backoff with jitter), so an order is
 * either accepted (2XX) or rejected with the status the client saw last.
 */
import type { ApiPort } from "./ports";
import { orderBody } from "./orders";

export interface SendResult {
  readonly orderId: string;
  /** Accepted by the API (2XX). */
  readonly accepted: boolean;
  /** The last status, or 0 for a network failure. */
  readonly status: number;
  readonly attempts: number;
  readonly messageId?: string;
}

export interface SendOptions {
  readonly concurrency: number;
  /** Orders started per second at most. */
  readonly rate: number;
  readonly attempts: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Stops sending new orders (those not started are reported not sent). */
  readonly signal?: AbortSignal;
}

const retryable = (status: number) => status === 0 || status === 429 || status >= 500;

async function sendOne(api: ApiPort, orderId: string, runId: string, o: SendOptions): Promise<SendResult> {
  let status = 0;
  let messageId: string | undefined;
  let attempt = 0;
  while (attempt < o.attempts) {
    attempt++;
    try {
      ({ status, messageId } = await api.send(orderBody(orderId, runId), orderId));
    } catch {
      status = 0;
    }
    if (!retryable(status)) break;
    if (attempt < o.attempts) await o.sleep(100 * 2 ** attempt * (0.5 + Math.random()));
  }
  return { orderId, accepted: status >= 200 && status < 300, status, attempts: attempt, messageId };
}

/** Sends every order; the results are in the orders' order. Orders not started before `signal` aborted are left out. */
export async function sendOrders(api: ApiPort, ids: readonly string[], runId: string, o: SendOptions) {
  const results: SendResult[] = new Array(ids.length);
  const gap = 1000 / o.rate;
  let next = 0;
  let started = Date.now();
  const worker = async () => {
    while (next < ids.length && !o.signal?.aborted) {
      const i = next++;
      // Pace the starts: the i-th order starts no sooner than i / rate seconds after the first.
      const wait = started + i * gap - Date.now();
      if (wait > 0) await o.sleep(wait);
      results[i] = await sendOne(api, ids[i], runId, o);
    }
  };
  started = Date.now();
  await Promise.all(Array.from({ length: Math.min(o.concurrency, ids.length) }, worker));
  return results.filter((r) => r !== undefined);
}
