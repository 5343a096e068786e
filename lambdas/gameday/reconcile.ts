/**
 * The reconciliation: every order the API accepted is processed (in the state table), sits in the route's DLQ, is
 * still queued (the system had not settled), or is missing. Pure: the probes' findings in, the account out.
 */
import type { SendResult } from "./send";

export interface Reconciliation {
  readonly sent: number;
  readonly accepted: number;
  /** Orders the API refused after the client's retries, by last status (0: network failure). */
  readonly rejected: Readonly<Record<string, string[]>>;
  readonly processed: number;
  /** Order ids in the DLQ, by the DLQ's name. */
  readonly inDeadLetterQueue: Readonly<Record<string, string[]>>;
  /** Accepted, not found, while the queue still held messages: not proven either way. */
  readonly unsettled: readonly string[];
  /** Accepted, not processed, in no DLQ, with the queue drained: lost. */
  readonly missing: readonly string[];
}

export interface Findings {
  readonly processed: ReadonlySet<string>;
  readonly deadLetterQueue: { readonly name: string; readonly ids: ReadonlySet<string> };
  /** Whether the route's queue was empty (visible, in flight, delayed) when the findings were made. */
  readonly settled: boolean;
}

export function reconcile(results: readonly SendResult[], f: Findings): Reconciliation {
  const accepted = results.filter((r) => r.accepted).map((r) => r.orderId);
  const rejected: Record<string, string[]> = {};
  for (const r of results.filter((x) => !x.accepted)) {
    rejected[String(r.status)] ??= [];
    rejected[String(r.status)].push(r.orderId);
  }
  const open = accepted.filter((id) => !f.processed.has(id));
  const inDlq = open.filter((id) => f.deadLetterQueue.ids.has(id));
  const rest = open.filter((id) => !f.deadLetterQueue.ids.has(id));
  return {
    sent: results.length,
    accepted: accepted.length,
    rejected,
    processed: accepted.length - open.length,
    inDeadLetterQueue: inDlq.length > 0 ? { [f.deadLetterQueue.name]: inDlq } : {},
    unsettled: f.settled ? [] : rest,
    missing: f.settled ? rest : [],
  };
}

/** Clean: nothing missing and nothing unproven. */
export function clean(r: Reconciliation): boolean {
  return r.missing.length === 0 && r.unsettled.length === 0;
}
