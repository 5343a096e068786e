/**
 * A DynamoDB client that gives up before the invocation does. The SDK's default HTTP handler has no
 * request timeout: a table (or endpoint) that accepts a connection and never answers holds the
 * handler until Lambda kills it at its timeout, and the whole batch, including records already
 * done, comes back after the visibility timeout. Here every attempt is bounded by the invocation's
 * deadline (the remaining time when the batch started, less a margin to report the batch), the
 * connection by `CONNECTION_TIMEOUT_MS`, and the SDK's retries share that one deadline, so a stuck
 * table fails the records fast and they are retried on the next receive.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/** Milliseconds to establish a connection to DynamoDB. */
export const CONNECTION_TIMEOUT_MS = 1_000;
/** Milliseconds kept back from the remaining time, to report the batch response. */
export const DEADLINE_MARGIN_MS = 500;

/** The deadline of the current invocation (epoch ms), set at the start of each batch. */
export class InvocationDeadline {
  private at = Number.POSITIVE_INFINITY;

  /** Starts a batch with `remainingMs` left in the invocation. */
  start(remainingMs: number, now = Date.now()): void {
    this.at = now + Math.max(0, remainingMs) - DEADLINE_MARGIN_MS;
  }

  /** Milliseconds an attempt may still take (<= 0: none). */
  left(now = Date.now()): number {
    return this.at - now;
  }
}

type HandleArgs = Parameters<NodeHttpHandler["handle"]>;

/** The default HTTP handler, each attempt aborted at the invocation's deadline. */
class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(private readonly deadline: InvocationDeadline) {
    super({ connectionTimeout: CONNECTION_TIMEOUT_MS, throwOnRequestTimeout: true });
  }

  override handle(request: HandleArgs[0], options: HandleArgs[1] = {}) {
    const left = this.deadline.left();
    if (left <= 0)
      return Promise.reject(
        Object.assign(new Error("DynamoDB call not started: the invocation's deadline has passed"), {
          name: "TimeoutError",
        }),
      );
    const signals = [AbortSignal.timeout(left), ...(options.abortSignal ? [options.abortSignal as AbortSignal] : [])];
    return super.handle(request, { ...options, abortSignal: AbortSignal.any(signals) as never });
  }
}

/** A DynamoDB client from the standard AWS environment whose calls end by `deadline`. */
export function deadlineDynamoDbClient(deadline: InvocationDeadline): DynamoDBClient {
  return new DynamoDBClient({ requestHandler: new DeadlineHttpHandler(deadline) });
}
