/**
 * The CLI's `--workers lambda:N` mode: N concurrent runs of the deployed redrive function (see
 * fan-out.ts) instead of draining from this machine. Prints each run's summary as a
 * `redrive.worker` JSON line and the DLQ's depth as `redrive.progress` (a redrawn line on a
 * terminal) on stderr, and the merged summary on stdout. The message-level audit lines are in the
 * function's own log.
 */
import { warningLine } from "../engine/audit";
import type { CliIo } from "./io";
import { succeeded } from "../engine/engine";
import { type Depth, fanOut, type FanOutProgress, type WorkerEvent, type WorkerRun } from "./fan-out";
import type { LambdaPort } from "../ports/lambda-port";
import type { RedriveSummary } from "../engine/model";
import { EVENT_OPTIONS, type RedriveOptions } from "../engine/options";

/** Most concurrent runs one CLI starts (Lambda's default account concurrency is 1,000). */
export const MAX_LAMBDA_WORKERS = 1000;

/** Parses `--workers`: "lambda:N" gives N; anything else is a problem naming the flag. */
export function parseWorkers(value: string): { workers: number } | { problem: string } {
  const m = /^lambda:(\d+)$/.exec(value.trim());
  const n = m ? Number(m[1]) : Number.NaN;
  if (!m || !Number.isInteger(n) || n < 1 || n > MAX_LAMBDA_WORKERS)
    return {
      problem: `--workers: expected lambda:N with N from 1 to ${MAX_LAMBDA_WORKERS}, got ${JSON.stringify(value)}`,
    };
  return { workers: n };
}

/** The event each run gets: the options the operator gave (the function's configured defaults apply to the rest). */
export function workerEvent(options: RedriveOptions, given: ReadonlySet<keyof RedriveOptions>): WorkerEvent {
  const event: Record<string, unknown> = { queueUrl: options.queueUrl };
  for (const field of EVENT_OPTIONS) if (field !== "queueUrl" && given.has(field)) event[field] = options[field];
  if (options.dryRun) event.dryRun = true;
  return event as WorkerEvent;
}

export interface LambdaWorkersRun {
  readonly io: CliIo;
  readonly options: RedriveOptions;
  /** Options set by flags (the others are left to the function's environment). */
  readonly given: ReadonlySet<keyof RedriveOptions>;
  readonly workers: number;
  readonly functionName: string;
  readonly region?: string;
  readonly functions: LambdaPort;
  readonly depth: () => Promise<Depth>;
  readonly json: boolean;
  readonly human: (summary: RedriveSummary) => string;
  /** Milliseconds between progress reports; default 2000. */
  readonly progressEveryMs?: number;
}

/** Runs the fan-out; resolves with the CLI's exit code (0 all replayed or deliberately left, 1 otherwise). */
export async function runLambdaWorkers(r: LambdaWorkersRun): Promise<number> {
  const { io } = r;
  const out = workerOutput(io);
  const event = workerEvent(r.options, r.given);
  out.line({
    level: "info",
    event: "redrive.workers",
    message: `starting ${r.workers} run(s) of ${r.functionName}`,
    functionName: r.functionName,
    workers: r.workers,
    payload: event,
  });
  const onAbort = () => {
    out.clearBar();
    io.stderr.write(
      `${warningLine("stopping: no new runs are started; waiting for the running ones (each ends at the function's timeout at the latest)")}\n`,
    );
  };
  io.signal?.addEventListener("abort", onAbort, { once: true });
  const started = Date.now();
  try {
    const { summary, runs } = await fanOut(event, r.workers, {
      invoke: async (payload) => r.functions.invokeSync(r.functionName, r.region, payload),
      depth: r.depth,
      signal: io.signal,
      progressEveryMs: r.progressEveryMs ?? 2000,
      onRun: (run: WorkerRun) => out.run(run),
      onProgress: (p: FanOutProgress) => out.progress(p, event.dryRun === true, started),
    });
    out.clearBar();
    io.stdout.write(
      r.json
        ? `${JSON.stringify({ ...summary, workers: r.workers, runs: runs.length })}\n`
        : `${r.human(summary)}  workers      ${r.workers} (${runs.length} run(s) of ${r.functionName})\n`,
    );
    return succeeded(summary) ? 0 : 1;
  } finally {
    io.signal?.removeEventListener("abort", onAbort);
  }
}

/** The workers' stderr: JSON lines, and on a terminal a progress bar redrawn in place (cleared before any line). */
function workerOutput(io: CliIo) {
  const tty = Boolean(io.stderr.isTTY);
  let shown = false;
  const line = (obj: Record<string, unknown>) =>
    io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...obj })}\n`);
  const clearBar = () => {
    if (shown) io.stderr.write("\r\x1b[K");
    shown = false;
  };
  return {
    line,
    clearBar,
    run(run: WorkerRun) {
      clearBar();
      line({
        level: run.error ? "error" : "info",
        event: "redrive.worker",
        worker: run.worker + 1,
        run: run.run,
        ...(run.summary ? { summary: run.summary } : {}),
        ...(run.error ? { error: run.error } : {}),
      });
    },
    progress(p: FanOutProgress, dryRun: boolean, started: number) {
      const rate = Math.round((p.replayed * 1000) / Math.max(1, Date.now() - started));
      if (!tty) {
        line({ level: "info", event: "redrive.progress", ...p });
        return;
      }
      const text = `DLQ ~${p.visible} visible, ~${p.inFlight} in flight; ${p.running} run(s) going, ${p.finishedRuns} finished: ${p.replayed} ${dryRun ? "would replay" : "replayed"}, ${p.failed} failed (${rate} msg/s)`;
      io.stderr.write(`\r${text.slice(0, (io.stderr.columns ?? 120) - 1)}\x1b[K`);
      shown = true;
    },
  };
}
