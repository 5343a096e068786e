/**
 * Redrives a state machine's unsuccessful executions from where they failed (RedriveExecution: same input and ARN,
 * the successful steps are not rerun; STANDARD executions within 14 days): each FAILED, TIMED_OUT or ABORTED
 * execution is judged (error filter, redrivable), then redriven, or reported as what a dry run would do, paced by a
 * rate. One outcome per execution (the audit line), one summary. The DLQ redrive's vocabulary where it applies:
 * replayed / would-replay / skipped (with a reason) / failed.
 */
import { matchesErrorCode } from "../../../modules/shared/contract/error-codes";
import { describeError, isRetryable, sleep } from "../engine/retry";
import type { ExecutionsPort, UnsuccessfulExecution } from "../ports/port";

/** What a run does. */
export interface ExecutionRedriveOptions {
  readonly stateMachineArn: string;
  readonly dryRun: boolean;
  /** Only executions whose error is one of these (any case); empty: all. */
  readonly errorCodes: readonly string[];
  /** At most this many executions redriven (or, in a dry run, reported as would-redrive). */
  readonly maxExecutions: number;
  /** At most this many redrives per second. */
  readonly rate?: number;
}

/** What happened to one execution. */
export type ExecutionOutcome =
  | { readonly outcome: "replayed" | "would-replay" }
  | { readonly outcome: "skipped"; readonly reason: "filtered-error-code" | "not-redrivable"; readonly detail: string }
  | { readonly outcome: "failed"; readonly error: string };

/** One audit record. */
export type ExecutionRecord = ExecutionOutcome & {
  readonly executionArn: string;
  readonly status: string;
  readonly failedState: string | null;
  readonly errorCode: string | null;
  readonly cause: string | null;
};

/** Totals of a run. */
export interface ExecutionRedriveSummary {
  readonly stateMachineArn: string;
  readonly dryRun: boolean;
  readonly found: number;
  readonly replayed: number;
  readonly wouldReplay: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly failed: number;
  readonly byErrorCode: Readonly<Record<string, number>>;
  readonly byFailedState: Readonly<Record<string, number>>;
  readonly durationMs: number;
}

export interface ExecutionRedriveDeps {
  readonly executions: ExecutionsPort;
  readonly record?: (r: ExecutionRecord) => void;
  readonly signal?: AbortSignal;
  readonly retry?: { readonly attempts: number; readonly baseDelayMs: number };
}

/** The error code an execution goes by: its error, else its status (a timeout or an abort has none). */
export function errorCodeOf(e: UnsuccessfulExecution): string {
  return e.error ?? (e.status === "TIMED_OUT" ? "States.Timeout" : e.status);
}

/** Judges and (unless a dry run) redrives every unsuccessful execution of the machine. */
export async function redriveExecutions(
  o: ExecutionRedriveOptions,
  deps: ExecutionRedriveDeps,
): Promise<ExecutionRedriveSummary> {
  const started = Date.now();
  const t = new Totals(o);
  const gap = o.rate ? 1000 / o.rate : 0;
  let last = 0;
  for await (const arn of deps.executions.unsuccessful(o.stateMachineArn)) {
    if (deps.signal?.aborted || t.taken >= o.maxExecutions) break;
    const e = await deps.executions.describe(arn);
    const judged = judge(e, o);
    if (judged.outcome === "replayed" && !o.dryRun) {
      const wait = last + gap - Date.now();
      if (wait > 0) await sleep(wait);
      last = Date.now();
    }
    const outcome =
      judged.outcome === "replayed"
        ? o.dryRun
          ? { outcome: "would-replay" as const }
          : await redriveOne(deps, e)
        : judged;
    t.add(e, outcome);
    deps.record?.({ ...outcome, ...recordOf(e) });
  }
  return t.summary(Date.now() - started);
}

/** What to do with one execution before any call: skip it (and why) or redrive it. */
function judge(e: UnsuccessfulExecution, o: ExecutionRedriveOptions): ExecutionOutcome {
  const code = errorCodeOf(e);
  if (o.errorCodes.length > 0 && !matchesErrorCode(o.errorCodes, code))
    return {
      outcome: "skipped",
      reason: "filtered-error-code",
      detail: `error ${code} is not one of ${o.errorCodes.join(", ")}`,
    };
  if (!e.redrivable)
    return {
      outcome: "skipped",
      reason: "not-redrivable",
      detail: e.notRedrivableReason ?? "Step Functions says it cannot be redriven",
    };
  return { outcome: "replayed" };
}

/** RedriveExecution, retried on throttling and service errors; a refusal (not redrivable now) is a failure to report. */
async function redriveOne(deps: ExecutionRedriveDeps, e: UnsuccessfulExecution): Promise<ExecutionOutcome> {
  const retry = deps.retry ?? { attempts: 5, baseDelayMs: 100 };
  let error: unknown;
  for (let attempt = 0; attempt < retry.attempts; attempt++) {
    if (attempt > 0) await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
    try {
      await deps.executions.redrive(e.executionArn);
      return { outcome: "replayed" };
    } catch (err) {
      error = err;
      if (!isRetryable(err)) break;
    }
  }
  return { outcome: "failed", error: describeError(error) };
}

function recordOf(e: UnsuccessfulExecution) {
  return {
    executionArn: e.executionArn,
    status: e.status,
    failedState: e.failedState ?? null,
    errorCode: errorCodeOf(e),
    cause: e.cause ?? null,
  };
}

/** The run's counts. */
class Totals {
  taken = 0;
  private found = 0;
  private replayed = 0;
  private wouldReplay = 0;
  private failed = 0;
  private readonly skipped: Record<string, number> = {};
  private readonly byErrorCode: Record<string, number> = {};
  private readonly byFailedState: Record<string, number> = {};

  constructor(private readonly o: ExecutionRedriveOptions) {}

  add(e: UnsuccessfulExecution, outcome: ExecutionOutcome): void {
    this.found++;
    const code = errorCodeOf(e);
    this.byErrorCode[code] = (this.byErrorCode[code] ?? 0) + 1;
    const state = e.failedState ?? "none";
    this.byFailedState[state] = (this.byFailedState[state] ?? 0) + 1;
    if (outcome.outcome === "skipped") this.skipped[outcome.reason] = (this.skipped[outcome.reason] ?? 0) + 1;
    else this.taken++;
    if (outcome.outcome === "replayed") this.replayed++;
    if (outcome.outcome === "would-replay") this.wouldReplay++;
    if (outcome.outcome === "failed") this.failed++;
  }

  summary(durationMs: number): ExecutionRedriveSummary {
    const { stateMachineArn, dryRun } = this.o;
    const { found, replayed, wouldReplay, skipped, failed, byErrorCode, byFailedState } = this;
    return {
      stateMachineArn,
      dryRun,
      found,
      replayed,
      wouldReplay,
      skipped,
      failed,
      byErrorCode,
      byFailedState,
      durationMs,
    };
  }
}
