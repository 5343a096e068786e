/**
 * Operator CLI: `npm run redrive -- --queue-url <dlq-url> [options]` (see --help).
 * Exit codes: 0 everything taken was replayed or deliberately left in place; 1 a replay failed
 * (or the run could not start); 2 bad arguments; 3 not confirmed (production), nothing replayed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { outcomeLine, warningLine } from "./audit";
import { describeError, type EngineDeps, redrive, succeeded, type Progress } from "./engine";
import type { RedriveSummary } from "./model";
import { LIMITS, OptionsError, type RawOptions, type RedriveOptions, validateOptions } from "./options";
import { EventBridgePort } from "./eventbridge-port";
import { LambdaPort } from "./lambda-port";
import { regionOfQueueUrl, SqsPort } from "./sqs-port";

const FLAGS: Record<keyof RedriveOptions, string> = {
  queueUrl: "--queue-url",
  to: "--to",
  dryRun: "--dry-run",
  maxMessages: "--max-messages",
  errorCodes: "--error-code",
  ruleArn: "--rule-arn",
  targetArn: "--target-arn",
  maxRedrives: "--max-redrives",
  concurrency: "--concurrency",
  rate: "--rate",
  visibilityTimeout: "--visibility-timeout",
  waitTimeSeconds: "--wait-seconds",
  fifoGroupId: "--fifo-group-id",
};

export const HELP = `Replays dead-lettered messages with their error context, losing none.

Usage: npm run redrive -- --queue-url <dlq-url> [options]

  --queue-url URL          the dead-letter queue to drain (required)
  --to URL                 send every message to this queue (default: each message's TARGET_ARN: an
                           SQS queue gets the message, a Lambda function an asynchronous invoke, an
                           event bus PutEvents; required for DLQs of plain SQS queues)
  --dry-run                report what would happen; every inspected message becomes visible again
  --max-messages N         take at most N messages from the DLQ (${LIMITS.maxMessages.join("-")}; default: all)
  --error-code CODE        only messages with this ERROR_CODE (repeatable, or comma-separated)
  --rule-arn ARN           only messages from this rule (RULE_ARN)
  --target-arn ARN         only messages for this target (TARGET_ARN)
  --max-redrives N         leave messages already redriven N times in place (${LIMITS.maxRedrives.join("-")}; default 3)
  --concurrency N          parallel workers (${LIMITS.concurrency.join("-")}; default 8)
  --rate N                 at most N messages per second (default: unlimited)
  --visibility-timeout S   seconds a taken message stays hidden between extensions (default 60)
  --wait-seconds S         long-poll wait of each receive; the run ends on an empty receive (0-20; default 1)
  --fifo-group-id ID       MessageGroupId for FIFO destinations when the original has none (default "redrive")
  --json                   print only the summary, as JSON, on stdout
  --yes                    do not ask for confirmation before replaying from a production environment
  --env-dir DIR            where env/<name>.json files mark environments as production (default env)
  -h, --help               show this help

Region, credentials and endpoint come from the standard AWS environment (AWS_REGION, AWS_PROFILE,
AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_EVENTBRIDGE); without AWS_REGION the
region is read from the queue URL. Lambda functions and event buses are called in their ARN's region.
Each message outcome is logged as one JSON line on stderr.
Exit codes: 0 all replayed or deliberately left in place, 1 a replay failed, 2 bad arguments,
3 not confirmed (nothing replayed).`;

/** Streams and environment of one CLI run (tests substitute them). */
export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly signal?: AbortSignal;
}

class UsageError extends Error {}

/** Runs the CLI; resolves with its exit code. */
export async function main(io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...io.argv],
      strict: true,
      allowPositionals: false,
      options: {
        "queue-url": { type: "string" },
        to: { type: "string" },
        "dry-run": { type: "boolean" },
        "max-messages": { type: "string" },
        "error-code": { type: "string", multiple: true },
        "rule-arn": { type: "string" },
        "target-arn": { type: "string" },
        "max-redrives": { type: "string" },
        concurrency: { type: "string" },
        rate: { type: "string" },
        "visibility-timeout": { type: "string" },
        "wait-seconds": { type: "string" },
        "fifo-group-id": { type: "string" },
        json: { type: "boolean" },
        yes: { type: "boolean" },
        "env-dir": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    io.stderr.write(`redrive: ${(err as Error).message}\nRun with --help for the options.\n`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }

  let options: RedriveOptions;
  try {
    const raw: RawOptions = {
      queueUrl: v["queue-url"],
      to: v.to,
      dryRun: v["dry-run"] ?? false,
      maxMessages: v["max-messages"],
      errorCodes: v["error-code"]?.flatMap((c) => c.split(",")),
      ruleArn: v["rule-arn"],
      targetArn: v["target-arn"],
      maxRedrives: v["max-redrives"],
      concurrency: v.concurrency,
      rate: v.rate,
      visibilityTimeout: v["visibility-timeout"],
      waitTimeSeconds: v["wait-seconds"],
      fifoGroupId: v["fifo-group-id"],
    };
    options = validateOptions(raw, (f) => FLAGS[f]);
  } catch (err) {
    if (!(err instanceof OptionsError)) throw err;
    io.stderr.write(`redrive: invalid arguments:\n${err.message.replace(/^/gm, "  ")}\nRun with --help for the options.\n`);
    return 2;
  }

  const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? regionOfQueueUrl(options.queueUrl);
  // As the AWS CLI does, a configured endpoint (an emulator, a VPC endpoint) takes every call,
  // whatever host the queue URLs name.
  const endpoint = io.env.AWS_ENDPOINT_URL_SQS ?? io.env.AWS_ENDPOINT_URL;
  const port = new SqsPort({ client: { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) } });
  // Lambda and event-bus targets: a client per target region (from the ARN), endpoints as the SDK reads them.
  const lambdaEndpoint = io.env.AWS_ENDPOINT_URL_LAMBDA ?? io.env.AWS_ENDPOINT_URL;
  const eventsEndpoint = io.env.AWS_ENDPOINT_URL_EVENTBRIDGE ?? io.env.AWS_ENDPOINT_URL;
  const functions = new LambdaPort({ client: lambdaEndpoint ? { endpoint: lambdaEndpoint } : {} });
  const buses = new EventBridgePort({ client: eventsEndpoint ? { endpoint: eventsEndpoint } : {} });
  const tty = Boolean(io.stderr.isTTY);
  const json = Boolean(v.json);
  try {
    const production = productionEnvironment(v["env-dir"] ?? "env", options.queueUrl);
    if (production && !options.dryRun && !v.yes) {
      const confirmed = await confirm(io, { port, functions, buses }, options, production);
      if (!confirmed) {
        io.stderr.write("redrive: not confirmed; nothing was replayed.\n");
        return 3;
      }
    }

    const bar = tty ? new ProgressBar(io.stderr) : undefined;
    const summary = await redrive(options, {
      port,
      functions,
      buses,
      signal: io.signal,
      // The audit trail: one line per message outcome, on a terminal too (the bar is redrawn below them).
      record: (r) => {
        bar?.clear();
        io.stderr.write(`${outcomeLine(r)}\n`);
      },
      warn: (message, detail) => {
        bar?.clear();
        io.stderr.write(`${warningLine(message, detail)}\n`);
      },
      progress: bar ? (p) => bar.draw(p) : undefined,
    });
    bar?.done();
    io.stdout.write(json ? `${JSON.stringify(summary)}\n` : humanSummary(summary));
    return succeeded(summary) ? 0 : 1;
  } catch (err) {
    if (err instanceof OptionsError) {
      // Found once the queues were looked at (e.g. --to is the DLQ under another URL): name the flags.
      const named = new OptionsError(err.problems, (f) => FLAGS[f]);
      io.stderr.write(`redrive: invalid arguments:\n${named.message.replace(/^/gm, "  ")}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`redrive: ${err.message}\n`);
      return 2;
    }
    const text = describeError(err);
    io.stderr.write(`redrive: ${text}\n`);
    if (/Region is missing/i.test(text)) io.stderr.write("Set AWS_REGION (or AWS_PROFILE with a region).\n");
    return /Region is missing/i.test(text) ? 2 : 1;
  } finally {
    port.destroy();
    functions.destroy();
    buses.destroy();
  }
}


/** The production environment (from env/<name>.json) whose account owns the queue, if any. */
export function productionEnvironment(envDir: string, queueUrl: string): { name: string; account: string } | undefined {
  const account = /^https?:\/\/[^/]+\/(\d{12})\//.exec(queueUrl)?.[1];
  if (!account || !existsSync(envDir)) return undefined;
  for (const file of readdirSync(envDir).filter((f) => f.endsWith(".json")).sort()) {
    let env: { production?: unknown; account?: { id?: unknown } };
    try {
      env = JSON.parse(readFileSync(join(envDir, file), "utf8"));
    } catch {
      throw new UsageError(`${join(envDir, file)} is not valid JSON; cannot tell whether ${account} is a production account`);
    }
    if (env.account?.id === account && env.production === true) return { name: file.replace(/\.json$/, ""), account };
  }
  return undefined;
}

async function confirm(io: CliIo, ports: Pick<EngineDeps, "port" | "functions" | "buses">, options: RedriveOptions, env: { name: string; account: string }): Promise<boolean> {
  io.stderr.write(`${options.queueUrl} belongs to production environment "${env.name}" (account ${env.account}). Inspecting (dry run)...\n`);
  const preview = await redrive({ ...options, dryRun: true }, { ...ports, signal: io.signal });
  const codes = Object.entries(preview.byErrorCode).sort((a, b) => b[1] - a[1]);
  io.stderr.write(`Messages by error code:\n${codes.map(([c, n]) => `  ${c.padEnd(36)} ${String(n).padStart(8)}`).join("\n") || "  (none)"}\n`);
  io.stderr.write(`Would replay ${preview.wouldReplay}, leave ${preview.skippedTotal} in place, ${preview.failed} would fail.\n`);
  io.stderr.write(`Replay from production "${env.name}"? Type "yes" to continue: `);
  const answer = await readLine(io.stdin);
  return /^\s*y(es)?\s*$/i.test(answer ?? "");
}

function readLine(stream: NodeJS.ReadableStream): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buffer = "";
    const onData = (chunk: Buffer | string) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf("\n");
      if (nl >= 0) finish(buffer.slice(0, nl));
    };
    const finish = (line: string | undefined) => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.pause();
      resolve(line);
    };
    const onEnd = () => finish(buffer.length > 0 ? buffer : undefined);
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.resume();
  });
}

/** A one-line progress bar on a terminal. */
class ProgressBar {
  private last = 0;
  private shown = false;
  private readonly started = Date.now();
  constructor(private readonly out: CliIo["stderr"]) {}

  draw(p: Progress, force = false): void {
    const t = Date.now();
    if (!force && t - this.last < 100) return;
    this.last = t;
    const width = 24;
    const total = p.expected && p.expected > 0 ? p.expected : undefined;
    const ratio = total ? Math.min(1, p.received / total) : 0;
    const filled = Math.round(ratio * width);
    const bar = total ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ` : "";
    const rate = Math.round(p.received / Math.max(0.001, (t - this.started) / 1000));
    const done = p.replayed + p.wouldReplay;
    const line = `${bar}${p.received}${total ? `/~${total}` : ""} taken, ${done} ${p.wouldReplay > 0 ? "would replay" : "replayed"}, ${p.skipped} left, ${p.failed} failed, ${rate} msg/s`;
    this.out.write(`\r${line.slice(0, (this.out.columns ?? 120) - 1)}\x1b[K`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.out.write("\r\x1b[K");
    this.shown = false;
  }

  done(): void {
    if (this.shown) this.out.write("\n");
    this.shown = false;
  }
}

function humanSummary(s: RedriveSummary): string {
  const reasons = Object.entries(s.skipped).map(([r, n]) => `${r} ${n}`).join(", ");
  const rate = s.durationMs > 0 ? Math.round((s.received * 1000) / s.durationMs) : 0;
  const lines = [
    `Redrive of ${s.queues.join(", ")}${s.dryRun ? " (dry run: nothing was sent or deleted)" : ""}`,
    `  received     ${s.received}`,
    s.dryRun ? `  would replay ${s.wouldReplay}` : `  replayed     ${s.replayed}`,
    `  left in DLQ  ${s.skippedTotal}${reasons ? ` (${reasons})` : ""}`,
    `  failed       ${s.failed}`,
    ...(s.notDeleted > 0 ? [`  not deleted  ${s.notDeleted} (replayed, still in the DLQ: a re-run sends them again with the same redriveId)`] : []),
    `  duration     ${(s.durationMs / 1000).toFixed(1)} s (${rate} msg/s), stopped: ${s.stoppedBecause}`,
    ...(s.error ? [`  error        ${s.error}`] : []),
  ];
  return `${lines.join("\n")}\n`;
}

if (require.main === module) {
  const controller = new AbortController();
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write("\nredrive: stopping: finishing messages in flight and releasing the rest (Ctrl-C again to quit now)\n");
    controller.abort();
  });
  main({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, signal: controller.signal }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`redrive: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
