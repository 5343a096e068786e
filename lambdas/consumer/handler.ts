/**
 * Handler template for product teams: copy this file next to consumer.ts (or import
 * `createConsumer` from it), replace `forwardOrder` with your business step, and point the
 * QueueConsumer module's `bundleDir` at your esbuild bundle. As shipped it forwards each accepted
 * order to the orders service (ORDERS_SERVICE_URL) with the request's idempotency key, so a slow
 * or failing service delays orders but never fails the API that accepted them.
 *
 * The rules the runtime gives you: throw to have the record retried alone (after maxReceiveCount
 * failed receives it moves to the DLQ, and the redrive brings it back); return a JSON-serializable
 * result, which is remembered, so a duplicate delivery gets it without running the step again.
 */
import { type ConsumerMessage, createConsumer } from "./consumer";

/** Environment variable holding the orders service URL (the module's `environment` prop sets it). */
export const ORDERS_SERVICE_URL = "ORDERS_SERVICE_URL";

/** The business step: one POST per order; a non-2XX answer or a body that is not JSON fails the record. */
async function forwardOrder(message: ConsumerMessage): Promise<{ status: number; orderId: unknown }> {
  const url = process.env[ORDERS_SERVICE_URL];
  if (!url) throw new Error(`${ORDERS_SERVICE_URL} is not set: expected the orders service URL`);
  const order = JSON.parse(message.body) as { orderId?: unknown };
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "idempotency-key": message.idempotencyKey,
      ...(message.requestId ? { "x-request-id": message.requestId } : {}),
    },
    body: message.body,
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`the orders service answered ${response.status} for message ${message.messageId}`);
  return { status: response.status, orderId: order.orderId ?? null };
}

export const handler = createConsumer(forwardOrder);
