import type { RetryPolicy } from "./deps";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits `ms`, or less when `signal` aborts first. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Calls `fn`, retrying retryable errors with backoff; throws CallError naming `what` when it keeps failing. `failed` hears of every failed attempt. */
export async function callWithRetry<T>(
  retry: RetryPolicy,
  what: string,
  fn: () => Promise<T>,
  failed?: (err: unknown) => void,
): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < retry.attempts; attempt++) {
    try {
      return await fn();
    } catch (err) {
      failed?.(err);
      last = err;
      if (!isRetryable(err)) break;
      if (attempt + 1 < retry.attempts) await sleep(backoff(retry.baseDelayMs, attempt));
    }
  }
  throw new CallError(what, last);
}

/** A call that still failed after the engine's retries. */
export class CallError extends Error {
  constructor(
    readonly what: string,
    readonly cause: unknown,
  ) {
    super(`${what} failed: ${describeError(cause)}`);
    this.name = "CallError";
  }
}

export function backoff(base: number, attempt: number): number {
  const ceiling = base * 2 ** attempt;
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

const NOT_RETRYABLE = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "AWS.SimpleQueueService.NonExistentQueue",
  "QueueDoesNotExist",
  "InvalidAddress",
  "InvalidParameterValue",
  "UnsupportedOperation",
  "KmsAccessDenied",
  "KmsDisabled",
  "KmsNotFound",
  "InvalidSecurity",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  // Step Functions: the execution cannot be redriven, or does not exist (trying again changes nothing).
  "ExecutionNotRedrivable",
  "ExecutionDoesNotExist",
]);

/** Whether a failed call may succeed when tried again (server errors, throttling, network). */
export function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!e) return false;
  if (e.name && NOT_RETRYABLE.has(e.name)) return false;
  if (e.$fault === "client" && !/thrott|RequestLimit|TooMany/i.test(e.name ?? "")) return false;
  return true;
}

/** A short description of an error for logs and outcomes. */
export function describeError(err: unknown): string {
  if (err instanceof CallError) return err.message;
  const e = err as { name?: string; message?: string } | undefined;
  if (!e) return String(err);
  return e.name && e.message ? `${e.name}: ${e.message}` : (e.message ?? String(err));
}
