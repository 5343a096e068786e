/** Audit log lines: one JSON object per message outcome, one per run summary. */
import type { OutcomeRecord, RedriveSummary } from "./model";

/** One JSON line for one message outcome (level warn for skips, error for failures). */
export function outcomeLine(record: OutcomeRecord, time = new Date()): string {
  const level = record.outcome === "failed" ? "error" : record.outcome === "skipped" ? "warn" : "info";
  return JSON.stringify({ time: time.toISOString(), level, event: "redrive.message", ...record });
}

/** One JSON line for the summary of a run. */
export function summaryLine(summary: RedriveSummary, time = new Date()): string {
  return JSON.stringify({ time: time.toISOString(), level: summary.failed > 0 || summary.error ? "error" : "info", event: "redrive.summary", ...summary });
}

/** One JSON line for a warning that concerns no single message. */
export function warningLine(message: string, detail: Record<string, unknown> = {}, time = new Date()): string {
  return JSON.stringify({ time: time.toISOString(), level: "warn", event: "redrive.warning", message, ...detail });
}

/** One JSON line for anything else the CLI says on stderr (errors, the environment it judged, its question). */
export function logLine(level: "info" | "warn" | "error", event: string, message: string, detail: Record<string, unknown> = {}, time = new Date()): string {
  return JSON.stringify({ time: time.toISOString(), level, event, message, ...detail });
}
