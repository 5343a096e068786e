/**
 * Many workers on the deployed engine: the CLI's `--workers lambda:N` runs N concurrent
 * synchronous invocations (RequestResponse) of the deployed redrive function against one DLQ,
 * each with the same event (the operator's options, see docs/redrive.md "Lambda event payload"). SQS
 * hands each message to one run at a time (each run keeps what it took invisible until it
 * deletes or releases it), so the runs take disjoint messages, and a message replayed twice
 * (at-least-once) keeps one redriveId. A run the function's timeout stopped ("deadline") after
 * taking messages is followed by another in its slot. Stopping (the signal) starts no new run
 * and waits for the running ones, which end at the function's timeout at the latest.
 */
import { mergeSummaries } from "../engine/engine";
import type { RedriveSummary } from "../engine/model";

/** The event each run gets: the Lambda event payload. */
export type WorkerEvent = Readonly<Record<string, unknown>> & {
  readonly queueUrl: string;
  readonly maxMessages?: number;
  readonly rate?: number;
  readonly dryRun?: boolean;
};

/** What one invocation came back with. */
export interface InvocationResult {
  readonly statusCode: number;
  /** "Unhandled" or "Handled" when the function failed. */
  readonly functionError?: string;
  readonly payload: Uint8Array;
}

/** One finished run. */
export interface WorkerRun {
  /** Slot (0 .. N-1) and the run's number within it (1, 2, ...). */
  readonly worker: number;
  readonly run: number;
  /** The run's summary, when the function returned one (also on a RedriveError for failed replays). */
  readonly summary?: RedriveSummary;
  /** Why the run failed (function error, invalid event, throttled invoke, ...). */
  readonly error?: string;
}

/** Queue depth, for progress. */
export interface Depth {
  readonly visible: number;
  readonly inFlight: number;
}

/** Progress of a fan-out. */
export interface FanOutProgress extends Depth {
  readonly running: number;
  readonly finishedRuns: number;
  /** Replayed (or, dry run, would replay) by finished runs. */
  readonly replayed: number;
  readonly failed: number;
}

export interface FanOutDeps {
  /** Invokes the function synchronously with a JSON payload. */
  readonly invoke: (payload: Uint8Array) => Promise<InvocationResult>;
  /** ApproximateNumberOfMessages and ...NotVisible of the DLQ. */
  readonly depth: () => Promise<Depth>;
  /** After each run. */
  readonly onRun?: (run: WorkerRun) => void;
  readonly onProgress?: (progress: FanOutProgress) => void;
  /** Milliseconds between depth polls; default 1000. */
  readonly progressEveryMs?: number;
  /** Stops starting runs; running ones are waited for. */
  readonly signal?: AbortSignal;
}

/** The merged summary and every run. */
export interface FanOutResult {
  readonly summary: RedriveSummary;
  readonly runs: readonly WorkerRun[];
}

/** Shares of `total` for `n` slots, as equal as integers allow (the first ones get the remainder). */
export function shares(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

/** Reads an invocation's outcome: the summary a run returned, or why it failed (the RedriveError of failed replays carries its summary). */
export function readInvocation(result: InvocationResult): { summary?: RedriveSummary; error?: string } {
  const text = Buffer.from(result.payload).toString("utf8");
  let body: { errorMessage?: unknown; errorType?: unknown } | undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!result.functionError && result.statusCode >= 200 && result.statusCode < 300) {
    if (isSummary(body)) return { summary: body };
    return { error: `the function returned no redrive summary: ${text.slice(0, 300)}` };
  }
  const message =
    typeof body?.errorMessage === "string" ? body.errorMessage : text.slice(0, 500) || `HTTP ${result.statusCode}`;
  const type = typeof body?.errorType === "string" ? body.errorType : (result.functionError ?? "Error");
  // RedriveError: "redrive finished with ... : {summary JSON}".
  const tail = /: (\{.*\})\s*$/s.exec(message)?.[1];
  let summary: RedriveSummary | undefined;
  if (type === "RedriveError" && tail) {
    try {
      const parsed = JSON.parse(tail);
      if (isSummary(parsed)) summary = parsed;
    } catch {
      summary = undefined;
    }
  }
  return {
    ...(summary ? { summary } : {}),
    error: `${type}: ${summary ? message.slice(0, message.length - tail!.length - 2) : message}`,
  };
}

function isSummary(x: unknown): x is RedriveSummary {
  if (typeof x !== "object" || x === null) return false;
  const s = x as Record<string, unknown>;
  return typeof s.received === "number" && typeof s.replayed === "number" && typeof s.stoppedBecause === "string";
}

/** Runs `workers` concurrent invocations of the function (and follow-ups after a deadline) until the DLQ is drained or stopped. */
export async function fanOut(event: WorkerEvent, workers: number, deps: FanOutDeps): Promise<FanOutResult> {
  const started = Date.now();
  // The operator's limits are for the whole fan-out: each slot gets its share.
  const state: FanOutState = {
    runs: [],
    running: 0,
    budgets: event.maxMessages === undefined ? undefined : shares(event.maxMessages, workers),
    rates: event.rate === undefined ? undefined : shares(event.rate, workers),
  };
  const progress = startProgress(deps, state);
  try {
    await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        (state.rates && state.rates[i] === 0) || (state.budgets && state.budgets[i] === 0)
          ? undefined
          : runSlot(i, event, deps, state),
      ),
    );
  } finally {
    await progress.stop();
  }
  return {
    summary: mergeRuns(state.runs, event, Date.now() - started, Boolean(deps.signal?.aborted)),
    runs: state.runs,
  };
}

/** What the slots and the progress poller share. */
interface FanOutState {
  readonly runs: WorkerRun[];
  running: number;
  readonly budgets?: number[];
  readonly rates?: number[];
}

/** Reports the DLQ's depth and the runs' totals every `progressEveryMs` until stopped (best effort). */
function startProgress(deps: FanOutDeps, state: FanOutState): { stop(): Promise<void> } {
  let polling = true;
  let wake: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (wake = resolve));
  const totals = () => {
    let replayed = 0;
    let failed = 0;
    for (const r of state.runs) {
      replayed += (r.summary?.replayed ?? 0) + (r.summary?.wouldReplay ?? 0);
      failed += r.summary?.failed ?? 0;
    }
    return { replayed, failed };
  };
  const poll = (async () => {
    const every = deps.progressEveryMs ?? 1000;
    while (polling) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, every)))]);
      clearTimeout(timer);
      if (!polling || !deps.onProgress) continue;
      try {
        const d = await deps.depth();
        deps.onProgress({ ...d, running: state.running, finishedRuns: state.runs.length, ...totals() });
      } catch {
        // Progress is best effort; the runs' summaries are what counts.
      }
    }
  })();
  return {
    stop: () => {
      polling = false;
      wake();
      return poll;
    },
  };
}

/** One slot: runs of the function one after another, while a clean run's deadline cut it short. */
async function runSlot(worker: number, event: WorkerEvent, deps: FanOutDeps, state: FanOutState): Promise<void> {
  let left = state.budgets?.[worker];
  for (let run = 1; ; run++) {
    if (deps.signal?.aborted || left === 0) return;
    const payload = {
      ...event,
      ...(left !== undefined ? { maxMessages: left } : {}),
      ...(state.rates ? { rate: state.rates[worker] } : {}),
    };
    state.running++;
    let outcome: { summary?: RedriveSummary; error?: string };
    try {
      outcome = readInvocation(await deps.invoke(new TextEncoder().encode(JSON.stringify(payload))));
    } catch (err) {
      const e = err as { name?: string; message?: string };
      outcome = { error: `invoke failed: ${e?.name ?? "Error"}: ${e?.message ?? String(err)}` };
    } finally {
      state.running--;
    }
    const record: WorkerRun = { worker, run, ...outcome };
    state.runs.push(record);
    deps.onRun?.(record);
    const s = outcome.summary;
    if (left !== undefined && s) left = Math.max(0, left - s.received);
    // Only a clean run its deadline cut short goes on, and only one that took messages (a run that
    // took none in its time would not next time either); a dry run must not see what it released again.
    if (!s || outcome.error || s.stoppedBecause !== "deadline" || s.dryRun || s.received === 0) return;
  }
}

/** One summary for the whole fan-out: the runs' totals, their errors, and why it stopped. */
export function mergeRuns(
  runs: readonly WorkerRun[],
  event: WorkerEvent,
  durationMs: number,
  aborted: boolean,
): RedriveSummary {
  const summaries = runs.map((r) => r.summary).filter((s): s is RedriveSummary => s !== undefined);
  const merged = mergeSummaries(summaries, durationMs);
  // Runs that returned no summary (invalid event, crash, a refused invoke) are errors of the fan-out; a
  // run's failed replays are already in its counts.
  const errors = [
    ...(merged.error ? [merged.error] : []),
    ...runs.filter((r) => r.error && !r.summary).map((r) => `worker ${r.worker + 1} run ${r.run}: ${r.error}`),
  ];
  // A slot whose last run drained ends the fan-out "drained"; otherwise the first other reason.
  const last = new Map<number, RedriveSummary | undefined>();
  for (const r of runs) last.set(r.worker, r.summary);
  const reasons = [...last.values()].map((s) => s?.stoppedBecause);
  const stoppedBecause: RedriveSummary["stoppedBecause"] = aborted
    ? "aborted"
    : (reasons.find((r) => r !== undefined && r !== "drained") ?? "drained");
  const { error: _ignored, ...rest } = merged;
  return {
    ...rest,
    dryRun: Boolean(event.dryRun),
    queues: [event.queueUrl],
    stoppedBecause,
    ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
  };
}
