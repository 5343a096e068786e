/** Audit log lines: one JSON object per message outcome, one per run summary. */
import type { OutcomeRecord, RedriveSummary } from "./model";

/** One JSON line for one message outcome (level warn for skips, error for failures). */
export function outcomeLine(record: OutcomeRecord, time = new Date()): string {
  const level = record.outcome === "failed" ? "error" : record.outcome === "skipped" ? "warn" : "info";
  // The same object as {time, level, event, ...record}, without copying the record (once per message).
  const rest = JSON.stringify(record);
  return `{"time":"${time.toISOString()}","level":"${level}","event":"redrive.message"${rest.length > 2 ? `,${rest.slice(1)}` : "}"}`;
}

/** One JSON line for the summary of a run. */
export function summaryLine(summary: RedriveSummary, time = new Date()): string {
  return JSON.stringify({
    time: time.toISOString(),
    level: summary.failed > 0 || summary.error ? "error" : "info",
    event: "redrive.summary",
    ...summary,
  });
}

/** One JSON line for a warning that concerns no single message. */
export function warningLine(message: string, detail: Record<string, unknown> = {}, time = new Date()): string {
  return JSON.stringify({ time: time.toISOString(), level: "warn", event: "redrive.warning", message, ...detail });
}

/** One JSON line for anything else the CLI says on stderr (errors, the environment it judged, its question). */
export function logLine(
  level: "info" | "warn" | "error",
  event: string,
  message: string,
  detail: Record<string, unknown> = {},
  time = new Date(),
): string {
  return JSON.stringify({ time: time.toISOString(), level, event, message, ...detail });
}

/**
 * Collects log lines and writes them in one call per batch instead of one per line (a write is
 * a system call; per message it was the CLI's largest single cost). Lines pushed while the
 * engine finishes one batch go out together at the next turn of the event loop, or at `flush()`;
 * their order is kept.
 */
export class LineBatch {
  private lines: string[] = [];
  private scheduled = false;

  constructor(private readonly write: (text: string) => void) {}

  push(line: string): void {
    this.lines.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes what is pending now. */
  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const text = `${this.lines.join("\n")}\n`;
    this.lines = [];
    this.write(text);
  }
}
