import type { OutcomeRecord } from "./model";
import type { RunCounters } from "./run-counters";
import type { EventBusPort, FunctionPort, PipePort, QueuePort, StateMachinePort, StreamPort } from "../ports/port";

/** Counters reported while a run is going. */
export interface Progress {
  readonly received: number;
  readonly replayed: number;
  readonly wouldReplay: number;
  readonly skipped: number;
  readonly failed: number;
  /** Messages the run expects to take: the DLQ's approximate count, capped by maxMessages (unknown: undefined). */
  readonly expected?: number;
}

/** What the engine needs from its caller. */
export interface EngineDeps {
  readonly port: QueuePort;
  /** Invokes Lambda targets asynchronously; without it their messages are left in place as unsupported-target. */
  readonly functions?: FunctionPort;
  /** Puts events on event-bus targets; without it their messages are left in place as unsupported-target. */
  readonly buses?: EventBusPort;
  /** Starts state machine targets; without it their messages are left in place as unsupported-target. */
  readonly machines?: StateMachinePort;
  /** Describes outbox pipes; without it (or `streams`, `buses`) their failures are left in place as unsupported-target. */
  readonly pipes?: PipePort;
  /** Reads outbox pipes' failed ranges back from their DynamoDB streams. */
  readonly streams?: StreamPort;
  /** Receives one record per message outcome (the audit log). */
  readonly record?: (record: OutcomeRecord) => void;
  /** Called after each batch. */
  readonly progress?: (progress: Progress) => void;
  /** Warnings that concern no single message (a failed visibility extension, a failed release). */
  readonly warn?: (message: string, detail?: Record<string, unknown>) => void;
  /** Clock; default the system clock. */
  readonly now?: () => Date;
  /** Milliseconds the run may still take messages for; it stops taking them at 0. Default: no limit. */
  readonly remainingMs?: () => number;
  /** Aborting stops taking messages; what was taken is finished and released. */
  readonly signal?: AbortSignal;
  /** Retries of a failed call or batch entry on top of the SDK's own: attempts and first delay. Default 5 / 100 ms. */
  readonly retry?: { readonly attempts: number; readonly baseDelayMs: number };
  /** Counters shared with the other engines of the same run (the CLI's threads); default this run's own. */
  readonly counters?: RunCounters;
  /** The DLQ's approximate depth at the start, read once for all engines of one run (the CLI's threads); default: read here. */
  readonly expected?: number;
}

/** Retries of a failed call: attempts and first delay. */
export type RetryPolicy = { readonly attempts: number; readonly baseDelayMs: number };
/** Warnings that concern no single message. */
export type Warn = NonNullable<EngineDeps["warn"]>;
