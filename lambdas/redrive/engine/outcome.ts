import type { RedriveSummary, SkipReason } from "./model";
import type { RedriveOptions } from "./options";
import type { Tally } from "./tally";

/** Merges the summaries of runs over several DLQs into one. */
export function mergeSummaries(summaries: readonly RedriveSummary[], durationMs: number): RedriveSummary {
  const skipped: Partial<Record<SkipReason, number>> = {};
  const byErrorCode: Record<string, number> = {};
  const byRuleArn: Record<string, number> = {};
  const byTargetArn: Record<string, number> = {};
  const add = (into: Record<string, number>, from: Readonly<Record<string, number>>) => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  };
  for (const s of summaries) {
    for (const [k, v] of Object.entries(s.skipped))
      skipped[k as SkipReason] = (skipped[k as SkipReason] ?? 0) + (v ?? 0);
    add(byErrorCode, s.byErrorCode);
    add(byRuleArn, s.byRuleArn);
    add(byTargetArn, s.byTargetArn);
  }
  const sum = (f: (s: RedriveSummary) => number) => summaries.reduce((a, s) => a + f(s), 0);
  const errors = summaries.map((s) => s.error).filter((e): e is string => e !== undefined);
  return {
    dryRun: summaries.some((s) => s.dryRun),
    queues: summaries.flatMap((s) => s.queues),
    received: sum((s) => s.received),
    replayed: sum((s) => s.replayed),
    wouldReplay: sum((s) => s.wouldReplay),
    skipped,
    skippedTotal: sum((s) => s.skippedTotal),
    failed: sum((s) => s.failed),
    notDeleted: sum((s) => s.notDeleted),
    holdLapsed: sum((s) => s.holdLapsed),
    byErrorCode,
    byRuleArn,
    byTargetArn,
    durationMs,
    stoppedBecause: summaries.find((s) => s.stoppedBecause !== "drained")?.stoppedBecause ?? "drained",
    ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
  };
}

/** True when a summary means everything taken was replayed or deliberately left in place. */
export function succeeded(summary: RedriveSummary): boolean {
  return summary.failed === 0 && summary.notDeleted === 0 && summary.error === undefined;
}

/** The summary of one run over `options.queueUrl`, from its tally, why it stopped and what went wrong. */
export function summaryOf(
  options: RedriveOptions,
  tally: Tally,
  stoppedBecause: RedriveSummary["stoppedBecause"],
  errors: readonly string[],
  durationMs: number,
): RedriveSummary {
  return {
    dryRun: options.dryRun,
    queues: [options.queueUrl],
    received: tally.received,
    replayed: tally.replayed,
    wouldReplay: tally.wouldReplay,
    skipped: tally.skipped,
    skippedTotal: tally.skippedTotal,
    failed: tally.failed,
    notDeleted: tally.notDeleted,
    holdLapsed: tally.holdLapsed,
    byErrorCode: tally.byErrorCode,
    byRuleArn: tally.byRuleArn,
    byTargetArn: tally.byTargetArn,
    durationMs,
    stoppedBecause,
    ...(errors.length > 0 ? { error: errors.join("; ") } : {}),
  };
}
