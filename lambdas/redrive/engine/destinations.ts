/** Where replays go: the queue options named and the destinations routes resolve to, once per queue. */
import { MAX_ASYNC_PAYLOAD, MAX_EXECUTION_INPUT, MAX_PUT_EVENTS_ENTRY, type Route } from "./decide";
import type { Destination } from "./model";
import { OptionsError } from "./options";
import type { PipePort, QueuePort } from "../ports/port";
import { pipeDestination } from "../outbox/pipe-destination";
import type { RetryPolicy } from "./deps";
import { CallError, callWithRetry, describeError } from "./retry";

/** Whether an error says the queue does not exist. */
function isMissingQueue(err: unknown): boolean {
  const cause = err instanceof CallError ? err.cause : err;
  const name = (cause as { name?: string } | undefined)?.name ?? "";
  return /QueueDoesNotExist|NonExistentQueue/.test(name);
}

/** Describes a queue named by an option; a queue that does not exist is an OptionsError naming the option. */
export async function describeOption(port: QueuePort, retry: RetryPolicy, field: "queueUrl" | "to", url: string) {
  try {
    return await callWithRetry(retry, `describe ${url}`, () => port.describe(url));
  } catch (err) {
    if (isMissingQueue(err))
      throw new OptionsError([
        { field, message: `queue ${url} does not exist (or these credentials cannot see it): ${describeError(err)}` },
      ]);
    throw err;
  }
}

/**
 * Resolves routes to destinations, once per queue. A queue found by TARGET_ARN must have exactly
 * that ARN (account, region and name): GetQueueUrl answering with another account's queue (a
 * missing QueueOwnerAWSAccountId, an emulator) must not receive the replay.
 */
export function destinationResolver(
  port: QueuePort,
  retry: RetryPolicy,
  pipes?: PipePort,
): (route: Route) => Promise<Destination> {
  const cache = new Map<string, Promise<Destination>>();
  return (route) => {
    if (route.kind === "outbox-pipe") return cached(cache, route.arn.raw, () => pipeDestination(pipes!, route.arn.raw));
    // Lambda functions and event buses need no lookup: the ARN names them and their region.
    if (route.kind === "lambda")
      return Promise.resolve({
        kind: "lambda",
        functionArn: route.arn.raw,
        region: route.arn.region,
        maxPayloadSize: MAX_ASYNC_PAYLOAD,
      });
    if (route.kind === "step-functions")
      return Promise.resolve({
        kind: "step-functions",
        stateMachineArn: route.arn.raw,
        region: route.arn.region,
        maxInputSize: MAX_EXECUTION_INPUT,
      });
    if (route.kind === "event-bus")
      return Promise.resolve({
        kind: "event-bus",
        busArn: route.arn.raw,
        region: route.arn.region,
        maxEntrySize: MAX_PUT_EVENTS_ENTRY,
      });
    if (route.kind === "queue-url")
      return cached(cache, route.queueUrl, async () => ({
        kind: "sqs",
        queueUrl: route.queueUrl,
        ...(await callWithRetry(retry, `describe ${route.queueUrl}`, () => port.describe(route.queueUrl))),
      }));
    return cached(cache, route.arn.raw, async () => {
      const url = await callWithRetry(retry, `GetQueueUrl ${route.arn.raw}`, () =>
        port.queueUrl(route.arn.resource, route.arn.account, route.arn.region),
      );
      const d = await callWithRetry(retry, `describe ${url}`, () => port.describe(url));
      if (d.queueArn !== route.arn.raw)
        throw new Error(`GetQueueUrl gave ${url}, whose ARN is ${d.queueArn}, not the TARGET_ARN ${route.arn.raw}`);
      return { kind: "sqs", queueUrl: url, ...d };
    });
  };
}

/** One lookup per key and run (a failed one too: its messages all fail alike). */
function cached(
  cache: Map<string, Promise<Destination>>,
  key: string,
  make: () => Promise<Destination>,
): Promise<Destination> {
  let hit = cache.get(key);
  if (!hit) {
    hit = make();
    hit.catch(() => undefined);
    cache.set(key, hit);
  }
  return hit;
}

export function routeName(route: Route): string {
  return route.kind === "queue-url" ? route.queueUrl : route.arn.raw;
}
