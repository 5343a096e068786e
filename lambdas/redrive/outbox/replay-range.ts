/**
 * Replays one pipe failure: the range read back from the stream, the pipe's own filter and template applied to each
 * record (what the pipe would have put), each record's event put on the pipe's bus once per run (the record's
 * eventID is in the event as `outbox.eventId`, the key consumers deduplicate on), with the redrive's error context
 * under `outbox.redrive`. Entries PutEvents refuses retryably are sent again; the message is acknowledged (deleted
 * from the DLQ) only when every event of its range is on the bus.
 */
import { matchesPattern } from "../../../modules/shared/contract/event-pattern";
import { applyTemplate } from "../../../modules/shared/contract/outbox-template";
import type { BusEntry, OutboxDestination, RedriveContext } from "../engine/model";
import type { BatchFailure, EventBusPort, PipeStreamRecord, StreamPort } from "../ports/port";
import { backoff, sleep } from "../engine/retry";
import { readRange } from "./read-range";
import { describeRange, type StreamFailure } from "./stream-failure";

/** What replaying one range needs. */
export interface RangeDeps {
  readonly streams: StreamPort;
  readonly buses: EventBusPort;
  readonly retry: { readonly attempts: number; readonly baseDelayMs: number };
}

/** How a range's replay ended: acknowledged (every event put), or failed with why (retryable or not). */
export type RangeOutcome =
  | { readonly ok: true; readonly events: number }
  | ({ readonly ok: false } & Omit<BatchFailure, "id">);

/** The business event of one record, as the pipe would have put it, with the redrive's context. */
export function eventOf(d: OutboxDestination, record: PipeStreamRecord, context: RedriveContext): BusEntry {
  const detail = applyTemplate(d.template, record) as Record<string, unknown>;
  const outbox = (detail.outbox ?? {}) as Record<string, unknown>;
  const redrive = {
    redriveId: context.redriveId,
    condition: context.errorCode,
    pipeArn: d.pipeArn,
    dlqMessageId: context.dlqMessageId,
    deadLetteredAt: context.deadLetteredAt,
    redrivenAt: context.redrivenAt,
  };
  return {
    source: d.source,
    detailType: d.detailType,
    detail: JSON.stringify({ ...detail, outbox: { ...outbox, redrive } }),
    resources: [],
  };
}

/** Replays the range of one failure record onto the pipe's bus. */
export async function replayRange(
  deps: RangeDeps,
  d: OutboxDestination,
  f: StreamFailure,
  context: RedriveContext,
): Promise<RangeOutcome> {
  if (f.streamArn !== d.streamArn)
    return {
      ok: false,
      code: "StreamMismatch",
      message: `the record names ${f.streamArn}, but pipe ${d.pipeArn} reads ${d.streamArn}`,
      senderFault: true,
    };
  const read = await readRange(deps.streams, f);
  if ("expired" in read)
    return {
      ok: false,
      code: "RecordsExpired",
      message: `${describeRange(f)} are lost from the stream: ${read.expired}. Rebuild their events from the table (docs/outbox.md#records-past-the-stream)`,
      senderFault: true,
    };
  const todo = read.records.filter((r) => matches(d, r) && !d.replayed.has(r.eventID));
  const entries = todo.map((r) => ({ id: r.eventID, entry: eventOf(d, r, context) }));
  const failure = await putAll(deps, d.busArn, entries, d.replayed);
  return failure ?? { ok: true, events: entries.length };
}

function matches(d: OutboxDestination, r: PipeStreamRecord): boolean {
  return d.patterns.length === 0 || d.patterns.some((p) => matchesPattern(p, r));
}

/**
 * Puts entries 10 at a time, sending again what failed retryably; records whose event is on the bus join `put` (a
 * later attempt of the range does not put them twice). The first lasting failure, if any.
 */
async function putAll(deps: RangeDeps, busArn: string, entries: { id: string; entry: BusEntry }[], put: Set<string>) {
  for (let i = 0; i < entries.length; i += 10) {
    let todo = entries.slice(i, i + 10);
    let last: BatchFailure | undefined;
    for (let attempt = 0; attempt < deps.retry.attempts && todo.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoff(deps.retry.baseDelayMs, attempt - 1));
      const result = await deps.buses.putEvents(busArn, todo);
      const ok = new Set(result.ok);
      for (const id of ok) put.add(id);
      last = result.failed.find((x) => x.senderFault);
      if (last)
        return {
          ok: false as const,
          code: last.code,
          message: `event of record ${last.id}: ${last.message}`,
          senderFault: true,
        };
      last = result.failed[0];
      todo = todo.filter((t) => !ok.has(t.id));
    }
    if (todo.length > 0)
      return {
        ok: false as const,
        code: last?.code ?? "NotAcknowledged",
        message: `${todo.length} event(s) not put: ${last?.message ?? "no answer"}`,
        senderFault: false,
      };
  }
  return undefined;
}
