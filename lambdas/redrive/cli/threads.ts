/**
 * One CLI run on several threads (`--threads`), so every core of the operator's machine works the
 * same DLQ: one core runs out at about 3,000 messages/s (the AWS SDK's CPU per call), and behind
 * AWS's tens of milliseconds per call one core cannot keep enough lanes busy. Each thread runs the
 * engine with its share of `--concurrency` and `--rate`; all share one RunCounters (the receive
 * limit, the `--max-messages` quota, the queue seen empty) and one starting depth, so together they
 * act as one run with more lanes. The main thread runs the first share itself, writes the other
 * threads' audit lines with its own, forwards a stop (Ctrl-C) to them, and merges the summaries.
 * A thread that dies leaves what it held to come back when its visibility lapses: nothing is lost,
 * and the merged summary names the failure.
 */
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { LineBatch, outcomeLine, warningLine } from "../engine/audit";
import { type Env, destroyClients, makeClients } from "../ports/clients";
import { describeError, type EngineDeps, mergeSummaries, type Progress, redrive } from "../engine/engine";
import type { RedriveSummary } from "../engine/model";
import { type OptionProblem, OptionsError, type RedriveOptions } from "../engine/options";
import { RunCounters } from "../engine/run-counters";

/** Most threads of one run. */
export const MAX_THREADS = 16;
/** `--threads auto` uses more than one thread only for a DLQ at least this deep (a thread costs ~0.2 s of CPU to start). */
export const AUTO_THREADS_MIN_DEPTH = 2_000;
/** `--threads auto` uses at most this many threads. */
export const AUTO_THREADS_MAX = 4;

/** What a thread of a run is started with. */
interface ThreadData {
  readonly role: "redrive-thread";
  readonly options: RedriveOptions;
  readonly env: Env;
  readonly counters: SharedArrayBuffer;
  readonly expected?: number;
}

/** What a thread tells the main thread. */
type FromThread =
  | { readonly type: "lines"; readonly text: string; readonly progress?: Progress }
  | { readonly type: "summary"; readonly summary: RedriveSummary }
  | { readonly type: "failed"; readonly message: string; readonly problems?: readonly OptionProblem[] };

/** Parses `--threads`: "auto" or a whole number from 1 to MAX_THREADS; anything else is a problem naming the flag. */
export function parseThreads(value: string): { threads: number | "auto" } | { problem: string } {
  const text = value.trim();
  if (text === "auto") return { threads: "auto" };
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS)
    return {
      problem: `--threads: expected auto or a whole number from 1 to ${MAX_THREADS}, got ${JSON.stringify(value)}`,
    };
  return { threads: n };
}

/**
 * The most threads `--threads auto` may use on a machine with `cpus` logical CPUs: one per two of them (the rest of
 * the machine keeps the other half), at most AUTO_THREADS_MAX. Measured on 2 vCPUs shared with the emulator
 * (bench/redrive.ts): a second thread warmed the SDK up again in its own isolate and cost 487-515 us of CPU per message
 * against 295-390 on one thread, slower in all, so there auto is one thread.
 */
export function autoThreadsCap(cpus: number = availableParallelism()): number {
  return Math.max(1, Math.min(AUTO_THREADS_MAX, Math.floor(cpus / 2)));
}

/** How many threads `--threads auto` uses: autoThreadsCap for a deep standard DLQ, else one. */
export function autoThreads(
  options: RedriveOptions,
  depth: number | undefined,
  cpus: number = availableParallelism(),
): number {
  // A FIFO queue: SQS caps its throughput well below one thread's; its group order is kept by SQS either way.
  if (options.queueUrl.endsWith(".fifo")) return 1;
  const work = Math.min(depth ?? 0, options.maxMessages ?? Number.POSITIVE_INFINITY);
  if (work < AUTO_THREADS_MIN_DEPTH) return 1;
  return Math.min(autoThreadsCap(cpus), options.concurrency);
}

/** The options of each of `threads` engines: `concurrency` split (at least one lane each), `rate` split evenly. */
export function shareOptions(options: RedriveOptions, threads: number): RedriveOptions[] {
  return Array.from({ length: threads }, (_, i) => ({
    ...options,
    concurrency: Math.floor(options.concurrency / threads) + (i < options.concurrency % threads ? 1 : 0),
    ...(options.rate !== undefined ? { rate: options.rate / threads } : {}),
  }));
}

/** What a threaded run needs besides its options. */
export interface ThreadedRun {
  /** The CLI bundle each extra thread runs (dist/cli/redrive.cjs). */
  readonly script: string;
  readonly threads: number;
  /** The environment the threads build their AWS clients from. */
  readonly env: Env;
  /** The DLQ's approximate depth at the start, read once for every thread. */
  readonly expected?: number;
  /** The main thread's engine dependencies (its clients, signal, audit hooks). */
  readonly deps: EngineDeps;
  /** Writes audit text (whole lines) from the other threads. */
  readonly lines: (text: string) => void;
}

/** Runs `options` on `run.threads` threads (the main thread among them) and merges their summaries. */
export async function redriveOnThreads(options: RedriveOptions, run: ThreadedRun): Promise<RedriveSummary> {
  const started = Date.now();
  const counters = new RunCounters(new SharedArrayBuffer(RunCounters.BYTES));
  const shares = shareOptions(options, run.threads);
  const latest: (Progress | undefined)[] = shares.map(() => undefined);
  const progress = (i: number, p: Progress) => {
    latest[i] = p;
    run.deps.progress?.(sumProgress(latest, p.expected));
  };
  const here = redrive(shares[0], {
    ...run.deps,
    counters,
    expected: run.expected,
    progress: run.deps.progress && ((p) => progress(0, p)),
  });
  const others = shares.slice(1).map((share, i) =>
    startThread(
      run.script,
      {
        role: "redrive-thread",
        options: share,
        env: run.env,
        counters: counters.buffer as SharedArrayBuffer,
        expected: run.expected,
      },
      { signal: run.deps.signal, lines: run.lines, progress: (p) => progress(i + 1, p) },
    ),
  );
  const results = await Promise.allSettled([here, ...others]);
  const summaries = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failures = results.flatMap((r, i) => (r.status === "rejected" ? [{ thread: i + 1, error: r.reason }] : []));
  // Every thread failed alike (a bad --to, a missing queue): the run could not start; the first thread's error says why.
  if (summaries.length === 0) throw failures[0].error;
  return mergeThreadSummaries(
    summaries,
    // A thread's own failure arrives as an Error whose message its describeError already wrote.
    failures.map(
      (f) =>
        `thread ${f.thread} of ${run.threads} stopped: ${f.error instanceof Error ? f.error.message : describeError(f.error)}`,
    ),
    options.queueUrl,
    Date.now() - started,
  );
}

/** One summary of the threads of one run: counts added up, one queue, each distinct error once. */
export function mergeThreadSummaries(
  summaries: readonly RedriveSummary[],
  failures: readonly string[],
  queueUrl: string,
  durationMs: number,
): RedriveSummary {
  const merged = mergeSummaries(summaries, durationMs);
  const errors = [...new Set([...summaries.flatMap((s) => (s.error ? s.error.split("; ") : [])), ...failures])];
  const { error: _joined, ...rest } = merged;
  return {
    ...rest,
    queues: [queueUrl],
    ...(failures.length > 0 && rest.stoppedBecause === "drained" ? { stoppedBecause: "aborted" as const } : {}),
    ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
  };
}

function sumProgress(all: readonly (Progress | undefined)[], expected: number | undefined): Progress {
  const sum = (f: (p: Progress) => number) => all.reduce((a, p) => a + (p ? f(p) : 0), 0);
  return {
    received: sum((p) => p.received),
    replayed: sum((p) => p.replayed),
    wouldReplay: sum((p) => p.wouldReplay),
    skipped: sum((p) => p.skipped),
    failed: sum((p) => p.failed),
    expected,
  };
}

/** Starts one extra thread of a run; resolves with its summary. */
function startThread(
  script: string,
  data: ThreadData,
  hooks: { signal?: AbortSignal; lines: (text: string) => void; progress: (p: Progress) => void },
): Promise<RedriveSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: data });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
    };
    const onAbort = () => worker.postMessage({ type: "abort", reason: hooks.signal?.reason });
    if (hooks.signal?.aborted) onAbort();
    else hooks.signal?.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (m: FromThread) => {
      if (m.type === "lines") {
        hooks.lines(m.text);
        if (m.progress) hooks.progress(m.progress);
      } else if (m.type === "summary") settle(() => resolve(m.summary));
      else settle(() => reject(m.problems ? new OptionsError(m.problems) : new Error(m.message)));
    });
    // A thread that throws: its error travels on Node's internal port and can overtake the audit lines still queued on the
    // public one. Node delivers every message a thread sent before it emits 'exit', so the run settles there, not here.
    let thrown: unknown;
    worker.on("error", (err) => {
      thrown ??= err;
    });
    worker.on("exit", (code) => {
      hooks.signal?.removeEventListener("abort", onAbort);
      settle(() => reject(thrown ?? new Error(`the thread exited (code ${code}) before its summary`)));
    });
  });
}

/** True in a thread started by redriveOnThreads (the CLI bundle then runs threadMain instead of the CLI). */
export function isRunThread(): boolean {
  return !isMainThread && (workerData as Partial<ThreadData> | undefined)?.role === "redrive-thread";
}

/** A thread's side: its engine on its share, audit lines batched to the main thread, a stop from it obeyed. */
export async function threadMain(): Promise<void> {
  const data = workerData as ThreadData;
  const port = parentPort!;
  const controller = new AbortController();
  const onMessage = (m: { type?: string; reason?: unknown }) => {
    if (m?.type === "abort") controller.abort(m.reason);
  };
  port.on("message", onMessage);
  let progress: Progress | undefined;
  const audit = new LineBatch((text) => port.postMessage({ type: "lines", text, progress } satisfies FromThread));
  // Node's and the SDK's warnings, as JSON lines like every other stderr line of the CLI.
  process.removeAllListeners("warning");
  process.on("warning", (w) => audit.push(warningLine(w.message, { warning: w.name })));
  const clients = makeClients(data.env, data.options.queueUrl);
  let result: FromThread;
  try {
    const summary = await redrive(data.options, {
      ...clients,
      signal: controller.signal,
      counters: new RunCounters(data.counters),
      expected: data.expected,
      record: (r) => audit.push(outcomeLine(r)),
      warn: (message, detail) => audit.push(warningLine(message, detail)),
      progress: (p) => {
        progress = p;
      },
    });
    result = { type: "summary", summary };
  } catch (err) {
    result = {
      type: "failed",
      message: describeError(err),
      ...(err instanceof OptionsError ? { problems: err.problems } : {}),
    };
  } finally {
    destroyClients(clients);
  }
  audit.flush();
  port.postMessage(result);
  // Nothing else keeps the thread alive: it exits once the message is out.
  port.off("message", onMessage);
}
