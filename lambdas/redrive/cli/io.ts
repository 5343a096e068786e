/** Streams and environment of one CLI run (tests substitute them). */
export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Aborted by a signal: its reason is the signal's name (e.g. "SIGTERM"). */
  readonly signal?: AbortSignal;
}
