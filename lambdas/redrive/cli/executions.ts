/**
 * `--state-machine <arn>`: the CLI's second mode, redriving a state machine's unsuccessful executions
 * (../executions/redrive-executions.ts) with the DLQ mode's habits: the same production guard (a dry-run preview and
 * a typed "yes" in production, refusal when the environment cannot be told), --dry-run, --error-code,
 * --max-messages (here: executions), --rate, one JSON audit line per execution on stderr, the summary on stdout
 * (JSON with --json), exit 1 when a redrive failed.
 */
import { logLine } from "../engine/audit";
import {
  type ExecutionRecord,
  type ExecutionRedriveOptions,
  type ExecutionRedriveSummary,
  redriveExecutions,
} from "../executions/redrive-executions";
import type { ExecutionsPort } from "../ports/port";
import type { CliIo } from "./io";
import { readLine } from "./read-line";
import { type Verdict, judgeAccount } from "./production-guard";

/** The flags this mode reads, as parseArgs gives them. */
export interface ExecutionFlags {
  readonly "state-machine"?: string;
  readonly "dry-run"?: boolean;
  readonly "error-code"?: string[];
  readonly "max-messages"?: string;
  readonly rate?: string;
  readonly json?: boolean;
  readonly yes?: boolean;
  readonly environment?: string;
  readonly "not-production"?: boolean;
}

/** Flags of the DLQ mode that mean nothing here: named when given, not silently ignored. */
export const DLQ_ONLY_FLAGS = [
  "queue-url",
  "to",
  "allow-unknown-error-code",
  "rule-arn",
  "target-arn",
  "max-redrives",
  "concurrency",
  "visibility-timeout",
  "wait-seconds",
  "fifo-group-id",
  "list",
  "workers",
  "threads",
  "function-name",
] as const;

const MACHINE = /^arn:aws[a-z-]*:states:[a-z0-9-]+:(\d{12}):stateMachine:[A-Za-z0-9_-]{1,80}$/;

/** The run's options from the flags; every problem at once, each naming its flag. */
export function executionOptions(v: ExecutionFlags, given: readonly string[]): ExecutionRedriveOptions {
  const problems = DLQ_ONLY_FLAGS.filter((f) => given.includes(f)).map(
    (f) => `--${f}: not used with --state-machine (it redrives executions, not a queue)`,
  );
  const arn = v["state-machine"] ?? "";
  if (!MACHINE.test(arn)) problems.push(`--state-machine: expected a state machine ARN, got ${JSON.stringify(arn)}`);
  const count = (flag: string, text: string | undefined, max: number) => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (Number.isInteger(n) && n >= 1 && n <= max) return n;
    problems.push(`--${flag}: expected a whole number from 1 to ${max}, got ${JSON.stringify(text)}`);
    return undefined;
  };
  const maxExecutions = count("max-messages", v["max-messages"], 10_000_000) ?? Number.MAX_SAFE_INTEGER;
  const rate = count("rate", v.rate, 100_000);
  if (problems.length > 0) throw new FlagsError(problems);
  const errorCodes = (v["error-code"] ?? []).flatMap((c) => c.split(",")).filter((c) => c !== "");
  return { stateMachineArn: arn, dryRun: v["dry-run"] ?? false, errorCodes, maxExecutions, ...(rate ? { rate } : {}) };
}

export class FlagsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

/** One JSON line per execution. */
export function executionLine(r: ExecutionRecord, time = new Date()): string {
  const level = r.outcome === "failed" ? "error" : r.outcome === "skipped" ? "warn" : "info";
  return JSON.stringify({ time: time.toISOString(), level, event: "redrive.execution", ...r });
}

/** Runs the mode; resolves with the exit code. */
export async function runExecutionRedrive(
  io: CliIo,
  v: ExecutionFlags,
  given: readonly string[],
  envDir: string,
  executions: ExecutionsPort,
): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  let o: ExecutionRedriveOptions;
  let verdict: Verdict;
  try {
    o = executionOptions(v, given);
    verdict = judgeAccount(
      envDir,
      MACHINE.exec(o.stateMachineArn)?.[1],
      { what: "state machine", name: o.stateMachineArn },
      {
        environment: v.environment,
        notProduction: v["not-production"],
      },
    );
  } catch (err) {
    const problems = err instanceof FlagsError ? err.problems : [(err as Error).message];
    for (const p of problems) say(logLine("error", "redrive.error", p));
    return 2;
  }
  const go = await guard(io, v, o, verdict, executions, say);
  if (go !== undefined) return go;
  const summary = await redriveExecutions(o, { executions, record: (r) => say(executionLine(r)), signal: io.signal });
  io.stdout.write(v.json ? `${JSON.stringify(summary)}\n` : humanSummary(summary));
  return summary.failed > 0 ? 1 : 0;
}

/** The production guard, as the DLQ mode's: undefined when the run may go ahead, else the exit code. */
async function guard(
  io: CliIo,
  v: ExecutionFlags,
  o: ExecutionRedriveOptions,
  verdict: Verdict,
  executions: ExecutionsPort,
  say: (line: string) => void,
): Promise<number | undefined> {
  if (o.dryRun || verdict.kind === "not-production" || v.yes) return undefined;
  if (verdict.kind === "unknown") {
    say(
      logLine(
        "error",
        "redrive.error",
        `refusing to redrive: cannot tell whether ${o.stateMachineArn} is in a production environment (${verdict.reason}); nothing was redriven`,
        {
          hint: "name the environment with --environment <name>, say --not-production, or pass --yes",
        },
      ),
    );
    return 3;
  }
  const preview = await redriveExecutions({ ...o, dryRun: true }, { executions, signal: io.signal });
  if (preview.wouldReplay === 0) {
    io.stdout.write(v.json ? `${JSON.stringify(preview)}\n` : humanSummary(preview));
    return 0;
  }
  say(
    logLine(
      "warn",
      "redrive.confirm",
      `Redrive ${preview.wouldReplay} execution(s) in production "${verdict.env!.name}"? Type "yes" to continue`,
      { byErrorCode: preview.byErrorCode, byFailedState: preview.byFailedState },
    ),
  );
  const answer = await readLine(io.stdin, io.signal);
  if (/^\s*y(es)?\s*$/i.test(answer ?? "")) return undefined;
  say(logLine("error", "redrive.error", "not confirmed; nothing was redriven"));
  return 3;
}

/** `3 (not-redrivable 1, filtered-error-code 2)`, or `0`. */
function leftLine(skipped: Readonly<Record<string, number>>): string {
  const total = Object.values(skipped).reduce((a, b) => a + b, 0);
  const reasons = Object.entries(skipped).map(([reason, n]) => `${reason} ${n}`);
  return reasons.length > 0 ? `${total} (${reasons.join(", ")})` : "0";
}

function humanSummary(s: ExecutionRedriveSummary): string {
  const lines = [
    `Redrive of executions of ${s.stateMachineArn}${s.dryRun ? " (dry run)" : ""}`,
    `  unsuccessful  ${s.found}`,
    s.dryRun ? `  would redrive ${s.wouldReplay}` : `  redriven      ${s.replayed}`,
    `  left          ${leftLine(s.skipped)}`,
    `  failed        ${s.failed}`,
    "  by error:",
    ...Object.entries(s.byErrorCode).map(([k, n]) => `    ${k}  ${n}`),
    "  by failed state:",
    ...Object.entries(s.byFailedState).map(([k, n]) => `    ${k}  ${n}`),
  ];
  return `${lines.join("\n")}\n`;
}
