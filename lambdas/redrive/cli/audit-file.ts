/**
 * Where the audit trail goes. On a terminal (and without --json) a run of thousands of messages would bury the
 * operator's screen in JSON lines: the trail goes to a file instead (`--audit-file`, default
 * `redrive-audit-<time>.jsonl` in the working folder), named in the summary. Not on a terminal, or with --json, the
 * lines stay on stderr exactly as before, unless --audit-file names a file.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { resolve } from "node:path";

export interface AuditSink {
  /** Writes whole lines (each ending in a newline). */
  write(text: string): void;
  /** The file written, when the trail goes to one. */
  readonly file?: string;
  /** Lines written to the file. */
  readonly lines: number;
  close(): void;
}

/** A file name that sorts by time and never clashes with an earlier run's. */
export function defaultAuditFile(now = new Date(), cwd = process.cwd()): string {
  return resolve(cwd, `redrive-audit-${now.toISOString().replace(/[:.]/g, "-")}.jsonl`);
}

/** The file the trail goes to: the flag's, or on a terminal without --json the default one; otherwise none (stderr). */
export function auditFileFor(flag: string | undefined, terminal: boolean, json: boolean): string | undefined {
  if (flag !== undefined) return resolve(flag);
  return terminal && !json ? defaultAuditFile() : undefined;
}

/**
 * A sink writing to `file` (created; an existing file is refused, so no earlier trail is overwritten), or to
 * `fallback` when there is no file.
 */
export function openAuditSink(file: string | undefined, fallback: (text: string) => void): AuditSink {
  if (file === undefined) return { write: fallback, lines: 0, close: () => undefined };
  const fd = openSync(file, "wx");
  let lines = 0;
  return {
    file,
    get lines() {
      return lines;
    },
    write(text: string) {
      writeSync(fd, text);
      lines += text.split("\n").length - 1;
    },
    close: () => closeSync(fd),
  };
}
