/**
 * The scope of an idempotency key. A client's `Idempotency-Key` is only unique for that client and
 * route: two API keys may both send "order-42", and one caller may reuse a key on `POST /refunds`.
 * So the runtime runs a step once per (API key id, route, client key), not per raw key. A redriven
 * copy keeps the message attributes the route set (the redrive copies them), so it keeps its scope.
 * A message without a client key is keyed by its message id (or the id it had when first
 * dead-lettered), which SQS makes unique on its own.
 */

/** The parts of a message its idempotency key is built from. */
export interface KeyParts {
  /** The client's `Idempotency-Key` header, when it sent one. */
  readonly clientKey?: string;
  /** The caller's API key id (`$context.identity.apiKeyId`), on routes that require one. */
  readonly apiKeyId?: string;
  /** The route the request came in on (`POST /orders`). */
  readonly route?: string;
  /** The id the message had when first dead-lettered (redrive-context), for a redriven copy. */
  readonly originalMessageId?: string;
  readonly messageId: string;
}

/**
 * The key the business step runs once for: a JSON array `[apiKeyId, route, clientKey]` when the
 * client sent a key (unambiguous whatever characters the parts hold), else the message's own id.
 */
export function scopedIdempotencyKey(parts: KeyParts): string {
  if (parts.clientKey) return JSON.stringify([parts.apiKeyId ?? "", parts.route ?? "", parts.clientKey]);
  return parts.originalMessageId || parts.messageId;
}
