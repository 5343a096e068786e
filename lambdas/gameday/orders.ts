/**
 * Synthetic orders: each with an id that is also its idempotency key (`<run id>-<n>`), so every request is unique
 * across runs and a retry of the same request is the same order; the body fits the platform's NewOrder model.
 */
import { randomBytes } from "node:crypto";

/** A run id: `gd-<time base 36>-<4 random hex>`, short enough for ids within a 64-character orderId. */
export function newRunId(now = Date.now()): string {
  return `gd-${now.toString(36)}-${randomBytes(2).toString("hex")}`;
}

/** The order ids of a run, in sending order. */
export function orderIds(runId: string, count: number): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `${runId}-${String(i + 1).padStart(width, "0")}`);
}

/** The JSON body of one order. */
export function orderBody(orderId: string, runId: string): string {
  return JSON.stringify({ orderId, items: [{ sku: "GAMEDAY-1", quantity: 1 }], note: `game day ${runId}` });
}

/** The order id a message body names, when it is one of the run's. */
export function orderIdOf(body: string | undefined, runId: string): string | undefined {
  try {
    const id = (JSON.parse(body ?? "") as { orderId?: unknown }).orderId;
    return typeof id === "string" && id.startsWith(`${runId}-`) ? id : undefined;
  } catch {
    return undefined;
  }
}
