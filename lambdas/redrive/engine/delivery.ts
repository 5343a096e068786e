import type { Destination, DlqMessage, OutboxDestination, StateMachineDestination } from "./model";
import { replayRange } from "../outbox/replay-range";
import { streamFailureOf } from "../outbox/stream-failure";
import type { BatchFailure, BatchResult, QueuePort } from "../ports/port";
import type { EngineDeps, RetryPolicy, Warn } from "./deps";
import type { Pending, Replay } from "./pending";
import { backoff, isRetryable, sleep } from "./retry";

/** Retries of a pipe range's PutEvents entries when the run names none (the engine's own default). */
const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 100 };

/**
 * SQS limits the sum of the message sizes in one SendMessageBatch to the service's maximum
 * message size (256 KiB, or 1 MiB where that is available). A queue configured for more than
 * 256 KiB proves the larger limit; otherwise the engine assumes 256 KiB.
 */
export const BATCH_PAYLOAD_FLOOR = 262_144;

/** Splits replays (at most 10) into send batches whose total payload fits `budget`; a message alone is always allowed. */
export function splitByPayload<T extends { readonly size: number }>(items: readonly T[], budget: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= 10 || total + item.size > budget)) {
      out.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += item.size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Payload budget of one send call to a destination. */
export function batchBudget(d: Destination): number {
  if (d.kind === "sqs") return Math.max(BATCH_PAYLOAD_FLOOR, d.maxMessageSize);
  // A Lambda batch is one invoke per entry, a pipe's one range replay per entry: no request holds them together.
  return d.kind === "event-bus" ? d.maxEntrySize : Infinity;
}

/** One send call to a destination: SendMessageBatch, PutEvents, or one asynchronous invoke per entry (in parallel). */
export async function deliver(
  deps: Pick<EngineDeps, "port" | "functions" | "buses" | "streams" | "machines" | "retry">,
  destination: Destination,
  todo: readonly { id: string; p: Pending }[],
): Promise<BatchResult> {
  if (destination.kind === "sqs")
    return deps.port.send(
      destination.queueUrl,
      todo.map((t) => ({ id: t.id, entry: (t.p.replay as Extract<Replay, { kind: "sqs" }>).entry })),
    );
  if (destination.kind === "event-bus") {
    return deps.buses!.putEvents(
      destination.busArn,
      todo.map((t) => ({ id: t.id, entry: (t.p.replay as Extract<Replay, { kind: "event-bus" }>).entry })),
    );
  }
  if (destination.kind === "outbox-pipe") return deliverRanges(deps, destination, todo);
  if (destination.kind === "step-functions") return deliverStarts(deps, destination, todo);
  const ok: string[] = [];
  const failed: BatchFailure[] = [];
  await Promise.all(
    todo.map(async (t) => {
      try {
        const status = await deps.functions!.invokeAsync(
          destination.functionArn,
          (t.p.replay as Extract<Replay, { kind: "lambda" }>).payload,
        );
        // Only 202 means Lambda queued the event; anything else is not retried (it might have been queued).
        if (status === 202) ok.push(t.id);
        else
          failed.push({
            id: t.id,
            code: `HTTP ${status}`,
            message: "the asynchronous invoke was not acknowledged with 202",
            senderFault: true,
          });
      } catch (err) {
        failed.push(thrownFailure(t.id, err));
      }
    }),
  );
  return { ok, failed };
}

/**
 * Replays pipe failures one range at a time (the records of a range reach the bus in stream order; the DLQ, a
 * standard queue, keeps no order between ranges: events carry `outbox.sequenceNumber` for that). Each entry is
 * acknowledged only when every event of its range is on the bus.
 */
async function deliverRanges(
  deps: Pick<EngineDeps, "buses" | "streams" | "retry">,
  destination: OutboxDestination,
  todo: readonly { id: string; p: Pending }[],
): Promise<BatchResult> {
  const ok: string[] = [];
  const failed: BatchFailure[] = [];
  const rangeDeps = { streams: deps.streams!, buses: deps.buses!, retry: deps.retry ?? DEFAULT_RETRY };
  for (const t of todo) {
    try {
      const out = await replayRange(rangeDeps, destination, streamFailureOf(t.p.msg)!, t.p.context);
      if (out.ok) ok.push(t.id);
      else failed.push({ id: t.id, code: out.code, message: out.message, senderFault: out.senderFault });
    } catch (err) {
      failed.push(thrownFailure(t.id, err));
    }
  }
  return { ok, failed };
}

/**
 * Starts the state machine once per entry (in parallel): an execution that already exists under the replay's name
 * was started by an earlier run of the same DLQ message, and counts as acknowledged.
 */
async function deliverStarts(
  deps: Pick<EngineDeps, "machines">,
  destination: StateMachineDestination,
  todo: readonly { id: string; p: Pending }[],
): Promise<BatchResult> {
  const ok: string[] = [];
  const failed: BatchFailure[] = [];
  await Promise.all(
    todo.map(async (t) => {
      const replay = t.p.replay as Extract<Replay, { kind: "step-functions" }>;
      try {
        await deps.machines!.startExecution(destination.stateMachineArn, replay.name, replay.input);
        ok.push(t.id);
      } catch (err) {
        failed.push(thrownFailure(t.id, err));
      }
    }),
  );
  return { ok, failed };
}

/** An entry whose call threw: its error's name and message, retryable as the error says. */
function thrownFailure(id: string, err: unknown): BatchFailure {
  const e = err as { name?: string; message?: string };
  return { id, code: e?.name ?? "Error", message: e?.message ?? String(err), senderFault: !isRetryable(err) };
}

/** Deletes up to 10 messages (one receive's worth) from the DLQ, retrying; resolves with the receipt handles deleted. */
export async function deleteAll(
  port: QueuePort,
  queueUrl: string,
  retry: RetryPolicy,
  warn: Warn,
  messages: DlqMessage[],
): Promise<Set<string>> {
  const done = new Set<string>();
  let todo = messages.map((m, i) => ({ id: String(i), m }));
  for (let attempt = 0; attempt < retry.attempts && todo.length > 0; attempt++) {
    if (attempt > 0) await sleep(backoff(retry.baseDelayMs, attempt - 1));
    try {
      const result = await port.delete(
        queueUrl,
        todo.map((t) => ({ id: t.id, receiptHandle: t.m.receiptHandle })),
      );
      const ok = new Set(result.ok);
      for (const t of todo) if (ok.has(t.id)) done.add(t.m.receiptHandle);
      todo = todo.filter((t) => !ok.has(t.id));
    } catch (err) {
      if (!isRetryable(err)) break;
    }
  }
  if (todo.length > 0)
    warn(
      "replayed messages could not be deleted from the DLQ; a later run replays them again with the same redriveId",
      { messageIds: todo.map((t) => t.m.messageId) },
    );
  return done;
}
