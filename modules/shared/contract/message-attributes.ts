/**
 * The message attributes an async API route (modules/api, SQS integration) puts on every message,
 * and the consumer runtime reads: the contract between the two. SQS allows 10 attributes per
 * message; these take at most 4, and the redrive adds `redrive-context` as a fifth.
 */
export const MESSAGE_ATTRIBUTES = {
  /** The client's `Idempotency-Key` header, when it sent one: the consumer's idempotency key. */
  idempotencyKey: "Idempotency-Key",
  /** API Gateway's request id (`$context.requestId`), also in the 202 response and the access log. */
  requestId: "api-request-id",
  /** The id of the caller's API key (`$context.identity.apiKeyId`), on routes that require one. */
  apiKeyId: "api-key-id",
  /** The route the request came in on (`POST /orders`). */
  route: "api-route",
} as const;

/** The attribute the redrive puts on a replayed message (lambdas/redrive, decide.ts). */
export const REDRIVE_CONTEXT_ATTRIBUTE = "redrive-context";
