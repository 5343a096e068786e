/** The environment's API over HTTP: one POST per order, with its idempotency key and the caller's API key. */
import type { ApiPort, SendAnswer } from "./ports";

/** Seconds an order's request may take before it counts as a network failure (retried with the same key). */
const REQUEST_TIMEOUT_MS = 10_000;

export class HttpApiPort implements ApiPort {
  private readonly url: string;

  /** `endpoint` is the API's base URL (the `api-url` output, or the stage URL); `path` the route's resource path. */
  constructor(
    endpoint: string,
    path: string,
    private readonly apiKey?: string,
  ) {
    this.url = `${endpoint.replace(/\/+$/, "")}${path}`;
  }

  async send(body: string, idempotencyKey: string): Promise<SendAnswer> {
    const response = await fetch(this.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "Idempotency-Key": idempotencyKey,
        ...(this.apiKey ? { "x-api-key": this.apiKey } : {}),
      },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let messageId: string | undefined;
    try {
      const id = (JSON.parse(text) as { messageId?: unknown }).messageId;
      messageId = typeof id === "string" ? id : undefined;
    } catch {
      // Not JSON (a gateway error page): the status says enough.
    }
    return { status: response.status, messageId };
  }
}
