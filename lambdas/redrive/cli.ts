/**
 * Operator CLI: `npm run -s redrive -- --queue-url <dlq-url> [options]` (see --help).
 * Exit codes: 0 everything taken was replayed or deliberately left in place; 1 a replay failed
 * (or the run could not start); 2 bad arguments; 3 not confirmed (production) or not told what the
 * queue is (unknown environment), nothing replayed; 128 + signal number when stopped by SIGINT,
 * SIGTERM or SIGHUP (after releasing what it held and printing the summary).
 * Every line on stderr is one JSON object (except the progress bar, drawn only on a terminal).
 */
import { statSync } from "node:fs";
import { availableParallelism, constants } from "node:os";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { LineBatch, logLine, outcomeLine, warningLine } from "./engine/audit";
import { parseWorkers, runLambdaWorkers } from "./cli/cli-workers";
import { type Clients, destroyClients, makeClients } from "./ports/clients";
import { type EngineDeps, redrive, succeeded, type Progress, describeError } from "./engine/engine";
import { listDeadLetterQueues, listTable } from "./ports/list-dlqs";
import type { RedriveSummary } from "./engine/model";
import { LIMITS, OptionsError, type RawOptions, type RedriveOptions, validateOptions } from "./engine/options";
import { LambdaPort } from "./ports/lambda-port";
import { defaultEnvDir, GuardError, judgeQueue, namedEnvironment, type Verdict } from "./cli/production-guard";
import { regionOfQueueUrl } from "./ports/sqs-port";
import {
  AUTO_THREADS_MAX,
  AUTO_THREADS_MIN_DEPTH,
  autoThreads,
  autoThreadsCap,
  isRunThread,
  MAX_THREADS,
  parseThreads,
  redriveOnThreads,
  threadMain,
} from "./cli/threads";
import type { CliIo } from "./cli/io";
import { readLine } from "./cli/read-line";
import { progressLine } from "./cli/progress-line";
import { confirmText } from "./cli/confirm-text";
import { type AuditSink, auditFileFor, openAuditSink } from "./cli/audit-file";
import { runExecutionRedrive } from "./cli/executions";
import { SfnPort } from "./ports/sfn-port";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { putRunMetrics } from "./ports/cloudwatch-metrics";
import { REDRIVE_METRICS_NAMESPACE } from "../../modules/shared/contract/redrive-metrics";

/** V8 flags the CLI runs with (see program()). */
export const TIER_UP_SOONER = "--invocation-count-for-maglev=100 --invocation-count-for-turbofan=400";

/** The file extra threads of a run execute: this CLI's bundle (from source, under a test runner, there is none). */
const THREAD_SCRIPT = __filename.endsWith(".cjs") ? __filename : undefined;

const FLAGS: Record<keyof RedriveOptions, string> = {
  queueUrl: "--queue-url",
  to: "--to",
  dryRun: "--dry-run",
  maxMessages: "--max-messages",
  errorCodes: "--error-code",
  allowUnknownErrorCodes: "--allow-unknown-error-code",
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

Usage: npm run -s redrive -- --queue-url <dlq-url> [options]
       npm run -s redrive -- --list --environment <name> [--json]
       npm run -s redrive -- --state-machine <arn> [--dry-run] [--error-code E] [--max-messages N] [--rate N] [--json]

  --queue-url URL          the dead-letter queue to drain (required)
  --to URL                 send every message to this queue (default: each message's TARGET_ARN: an
                           SQS queue gets the message, a Lambda function an asynchronous invoke, an
                           event bus PutEvents; a plain SQS queue's DLQ: that queue, found by
                           ListDeadLetterSourceQueues as SQS's own redrive does; required when
                           several queues share the DLQ)
  --dry-run                report what would happen; every inspected message becomes visible again
  --audit-file FILE        write the audit trail (one JSON line per message) to FILE, created new (default on
                           a terminal without --json: redrive-audit-<time>.jsonl here; otherwise stderr)
  --quiet                  for scripts: no progress bar, no summary (unless --json), no informational lines;
                           warnings, errors and the audit trail are still written, the exit code says it all
  --no-metrics             publish no metrics (default: replayed, failed, skipped and duration for the
                           DLQ in one PutMetricData to ResilientEdge/Redrive at the end of the run;
                           RESILIENT_EDGE_METRICS=off in the environment does the same)
  --max-messages N         stop once N messages were taken for replay; messages left in place by
                           filters do not count (${LIMITS.maxMessages.join("-")}; default: all)
  --error-code CODE        only messages with this ERROR_CODE, any case (repeatable, or comma-separated);
                           an unknown code is an error listing the known ones
  --allow-unknown-error-code  accept codes outside the known list (EventBridge's list is open)
  --rule-arn ARN           only messages from this rule (RULE_ARN)
  --target-arn ARN         only messages for this target (TARGET_ARN)
  --max-redrives N         leave messages already redriven N times in place (${LIMITS.maxRedrives.join("-")}; default 3)
  --concurrency N          most parallel lanes (${LIMITS.concurrency.join("-")}; default 64): a run starts with up to 8
                           and grows while throughput rises, halving on throttling or errors
  --rate N                 at most N messages per second (default: unlimited)
  --visibility-timeout S   seconds a taken message stays hidden between extensions (default 60)
  --wait-seconds S         long-poll wait of each receive; the run ends on an empty receive (0-20; default 1)
  --fifo-group-id ID       MessageGroupId for FIFO destinations when the original has none (default "redrive")
  --json                   print only the summary (or the --list result), as JSON, on stdout
  --yes                    do not ask before replaying from a production environment, and replay
                           even when the environment of the queue cannot be told
  --environment NAME       the queue belongs to env/NAME.json (its account must match; production
                           there still asks unless --yes)
  --not-production         the queue is not production (refused if an env file says it is)
  --env-dir DIR            where env/<name>.json files are (default: the project's env/, found from
                           the CLI's own location, not the working directory)
  --threads N|auto         threads of this machine working the DLQ, sharing --concurrency, --rate
                           and --max-messages (1-${MAX_THREADS}; default auto: one per two logical CPUs, up to
                           ${AUTO_THREADS_MAX}, for a standard DLQ of ${AUTO_THREADS_MIN_DEPTH}+ messages, else 1)
  --workers lambda:N       drain with N concurrent runs of the deployed redrive function instead of
                           this machine (RequestResponse invokes; the flags given become their event)
  --function-name NAME     the redrive function for --workers (name or ARN)
  --list                   list the environment's dead-letter queues (--environment NAME) with their
                           depth and the age of their oldest sampled message, from SQS itself
  --state-machine ARN      redrive the machine's FAILED, TIMED_OUT and ABORTED executions from where they
                           failed (RedriveExecution, within 14 days), one audit line each; takes --dry-run,
                           --error-code (the execution's error), --max-messages (executions), --rate, --json,
                           --yes and the production guard's flags
  -h, --help               show this help

Region, credentials and endpoint come from the standard AWS environment (AWS_REGION, AWS_PROFILE,
AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_EVENTBRIDGE); without AWS_REGION
(unset or empty) the region is read from the queue URL. Lambda functions and event buses are
called in their ARN's region. Every stderr line is one JSON object: each message outcome, warnings
(the AWS SDK's and Node's included), errors and the confirmation question.
Exit codes: 0 all replayed or deliberately left in place, 1 a replay failed, 2 bad arguments,
3 not confirmed or environment unknown (nothing replayed), 128+N stopped by signal N (SIGINT 130,
SIGTERM 143, SIGHUP 129).`;

export type { CliIo } from "./cli/io";

const OPTIONS = {
  "queue-url": { type: "string" },
  to: { type: "string" },
  "dry-run": { type: "boolean" },
  "no-metrics": { type: "boolean" },
  quiet: { type: "boolean" },
  "audit-file": { type: "string" },
  "max-messages": { type: "string" },
  "error-code": { type: "string", multiple: true },
  "allow-unknown-error-code": { type: "boolean" },
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
  environment: { type: "string" },
  "not-production": { type: "boolean" },
  "env-dir": { type: "string" },
  list: { type: "boolean" },
  workers: { type: "string" },
  threads: { type: "string" },
  "function-name": { type: "string" },
  "state-machine": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>
>["values"];

/** Writes JSON lines on stderr. */
class Log {
  /** --quiet: informational lines are not written (warnings, errors and the audit trail are). */
  quiet = false;
  constructor(private readonly out: CliIo["stderr"]) {}
  line(text: string): void {
    this.out.write(`${text}\n`);
  }
  info(text: string): void {
    if (!this.quiet) this.line(text);
  }
  error(message: string, detail?: Record<string, unknown>): void {
    this.line(logLine("error", "redrive.error", message, detail));
  }
}

/** Exit code of a run stopped by a signal: 128 + its number. */
function interruptedCode(signal: AbortSignal | undefined): number | undefined {
  if (!signal?.aborted) return undefined;
  const n = constants.signals[signal.reason as keyof typeof constants.signals];
  return 128 + (typeof n === "number" ? n : constants.signals.SIGINT);
}

/** Runs the CLI; resolves with its exit code. */
export async function main(io: CliIo): Promise<number> {
  const log = new Log(io.stderr);
  let v: Values;
  try {
    v = parseArgs({ args: [...io.argv], strict: true, allowPositionals: false, options: OPTIONS }).values;
  } catch (err) {
    log.error(`${(err as Error).message.replace(/\.?$/, ".")} Run with --help for the options.`);
    return 2;
  }
  if (v.help) {
    io.stdout.write(`${HELP}\n`);
    return 0;
  }
  log.quiet = Boolean(v.quiet);
  const envDir = v["env-dir"] ?? defaultEnvDir();
  if (v["state-machine"] !== undefined) return executions(io, v, envDir);
  if (v.list) return list(io, log, v, envDir);

  const workers = workerFlags(v);
  const threads = threadsFlag(v);
  let options: RedriveOptions;
  try {
    options = checkedOptions(v, envDir, workers.problems, threads);
  } catch (err) {
    return usageError(log, err);
  }

  const clients = makeClients(io.env, options.queueUrl);
  try {
    const verdict = judgeQueue(envDir, options.queueUrl, {
      environment: v.environment,
      notProduction: v["not-production"],
    });
    reportVerdict(log, verdict, envDir, options.queueUrl);
    options = await withSourceQueue(log, clients, options);
    const go = await guard(io, log, clients, options, verdict, Boolean(v.yes), Boolean(v.json));
    if (go !== undefined) return go;
    if (workers.count !== undefined) {
      const code = await lambdaWorkers(io, v, options, clients, workers.count);
      return interruptedCode(io.signal) ?? code;
    }
    const sink = openSink(v, io, log);
    let summary: RedriveSummary;
    try {
      summary = await run(io, log, clients, options, threads.threads ?? "auto", sink);
    } finally {
      sink.close();
    }
    if (!v["no-metrics"] && io.env.RESILIENT_EDGE_METRICS !== "off") await publishMetrics(io, log, summary);
    const audit = sink.file ? { auditFile: sink.file, auditLines: sink.lines } : {};
    if (v.json) io.stdout.write(`${JSON.stringify({ ...summary, ...audit })}\n`);
    else if (!v.quiet) io.stdout.write(humanSummary(summary, audit));
    return interruptedCode(io.signal) ?? (succeeded(summary) ? 0 : 1);
  } catch (err) {
    return failure(log, err, { env: io.env, queueUrl: options.queueUrl });
  } finally {
    destroyClients(clients);
  }
}

/**
 * With no --to, a plain SQS DLQ goes back to its source queue, as SQS's own redrive does (StartMessageMoveTask without
 * a destination): the one queue whose redrive policy names it (ListDeadLetterSourceQueues). Several such queues: the
 * operator names one. None (an EventBridge or Lambda DLQ): each message's TARGET_ARN decides, as before.
 */
async function withSourceQueue(log: Log, clients: Clients, options: RedriveOptions): Promise<RedriveOptions> {
  if (options.to !== undefined) return options;
  const sources = await clients.port.deadLetterSources(options.queueUrl);
  if (sources.length === 0) return options;
  if (sources.length > 1)
    throw new ArgumentsError([
      `--to: required: ${options.queueUrl} is the dead-letter queue of ${sources.length} queues (${sources.join(", ")}); name the one to replay to`,
    ]);
  log.info(
    logLine("info", "redrive.source-queue", `no --to: replaying to ${sources[0]}, the queue whose DLQ this is`, {
      to: sources[0],
    }),
  );
  return { ...options, to: sources[0] };
}

/**
 * The run's metrics (replayed, failed, skipped, duration for the DLQ) in one PutMetricData, for the dashboard. A
 * failure to publish them is a warning: the run itself is what counts.
 */
async function publishMetrics(io: CliIo, log: Log, summary: RedriveSummary): Promise<void> {
  const endpoint = io.env.AWS_ENDPOINT_URL_CLOUDWATCH || io.env.AWS_ENDPOINT_URL;
  const region = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || regionOfQueueUrl(summary.queues[0] ?? "");
  // One attempt: metrics are best effort, and an operator without cloudwatch:PutMetricData must not wait for retries.
  const cw = new CloudWatchClient({ maxAttempts: 1, ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}) });
  try {
    const sent = await putRunMetrics(cw, summary);
    if (sent > 0)
      log.info(
        logLine("info", "redrive.metrics", `published ${sent} metrics to ${REDRIVE_METRICS_NAMESPACE}`, { sent }),
      );
  } catch (err) {
    log.line(warningLine(`metrics not published (the run is unaffected): ${describeError(err)}`, { metrics: false }));
  } finally {
    cw.destroy();
  }
}

/** `--state-machine`: redrive the machine's unsuccessful executions (cli/executions.ts). */
async function executions(io: CliIo, v: Values, envDir: string): Promise<number> {
  const given = Object.keys(v).filter((k) => v[k as keyof Values] !== undefined);
  const sfnEndpoint = io.env.AWS_ENDPOINT_URL_SFN || io.env.AWS_ENDPOINT_URL;
  const port = new SfnPort({ client: sfnEndpoint ? { endpoint: sfnEndpoint } : {} });
  try {
    return await runExecutionRedrive(io, v, given, envDir, port);
  } finally {
    port.destroy();
  }
}

/** The run's options from the flags; every problem of the flags at once (ArgumentsError), or a GuardError. */
function checkedOptions(
  v: Values,
  envDir: string,
  workerProblems: readonly string[],
  threads: ReturnType<typeof threadsFlag>,
): RedriveOptions {
  const flagProblems = [...workerProblems, ...threads.problems];
  let options: RedriveOptions;
  try {
    options = validateOptions(rawOptions(v), (f) => FLAGS[f]);
  } catch (err) {
    // Problems with the worker and thread flags are reported with the others, at once.
    if (err instanceof OptionsError && flagProblems.length > 0)
      throw new ArgumentsError([...err.message.split("\n"), ...flagProblems]);
    throw err;
  }
  if (typeof threads.threads === "number" && threads.threads > options.concurrency)
    flagProblems.push(
      `--threads: at most --concurrency (${options.concurrency}) threads, each runs at least one lane; got ${threads.threads}`,
    );
  if (flagProblems.length > 0) throw new ArgumentsError(flagProblems);
  if (v.environment !== undefined && v["not-production"])
    throw new GuardError("--environment and --not-production: expected one of them");
  if (v["env-dir"] !== undefined && !v.environment && !v["not-production"] && !existsDir(envDir))
    throw new GuardError(`--env-dir: ${envDir} is not a directory`);
  return options;
}

/** `--workers lambda:N`: N concurrent runs of the deployed function, their progress and merged summary. */
async function lambdaWorkers(
  io: CliIo,
  v: Values,
  options: RedriveOptions,
  clients: Clients,
  count: number,
): Promise<number> {
  // One connection per concurrent run (each invoke waits for its run to end).
  const sockets = { maxSockets: count + 4 };
  const functions = new LambdaPort({
    client: { ...lambdaEndpoint(io.env), requestHandler: { httpAgent: sockets, httpsAgent: sockets } },
  });
  return runLambdaWorkers({
    io,
    options,
    given: givenOptions(rawOptions(v)),
    workers: count,
    functionName: v["function-name"]!,
    region: io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || regionOfQueueUrl(options.queueUrl),
    functions,
    depth: async () => {
      const a = await clients.port.attributes(options.queueUrl, [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
      ]);
      return {
        visible: Number(a.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
      };
    },
    json: Boolean(v.json),
    human: humanSummary,
  }).finally(() => functions.destroy());
}

function existsDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function rawOptions(v: Values): RawOptions {
  return {
    queueUrl: v["queue-url"],
    to: v.to,
    dryRun: v["dry-run"] ?? false,
    maxMessages: v["max-messages"],
    errorCodes: v["error-code"]?.flatMap((c) => c.split(",")),
    allowUnknownErrorCodes: v["allow-unknown-error-code"] ?? false,
    ruleArn: v["rule-arn"],
    targetArn: v["target-arn"],
    maxRedrives: v["max-redrives"],
    concurrency: v.concurrency,
    rate: v.rate,
    visibilityTimeout: v["visibility-timeout"],
    waitTimeSeconds: v["wait-seconds"],
    fifoGroupId: v["fifo-group-id"],
  };
}

/** Bad arguments found outside validateOptions (the worker flags), each line a problem naming its flag. */
class ArgumentsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

/** `--workers lambda:N` and `--function-name`: the run count, or what is wrong with them. */
function workerFlags(v: Values): { count?: number; problems: string[] } {
  const problems: string[] = [];
  let count: number | undefined;
  if (v.workers !== undefined) {
    const parsed = parseWorkers(v.workers);
    if ("problem" in parsed) problems.push(parsed.problem);
    else count = parsed.workers;
    if (!v["function-name"])
      problems.push("--function-name: required with --workers (the deployed redrive function's name or ARN)");
    if (v["wait-seconds"] !== undefined)
      problems.push(
        "--wait-seconds: not an option of the function's event (its runs long-poll 1 s); leave it out with --workers",
      );
  } else if (v["function-name"] !== undefined) problems.push("--function-name: only with --workers lambda:N");
  return { ...(count !== undefined && problems.length === 0 ? { count } : {}), problems };
}

/** `--threads`: "auto" or a count, or what is wrong with it. */
function threadsFlag(v: Values): { threads?: number | "auto"; problems: string[] } {
  if (v.threads === undefined) return { problems: [] };
  const parsed = parseThreads(v.threads);
  if ("problem" in parsed) return { problems: [parsed.problem] };
  if (v.workers !== undefined)
    return { problems: ["--threads: not with --workers (each of the function's runs is one thread of its own)"] };
  if (parsed.threads !== "auto" && parsed.threads > 1 && !THREAD_SCRIPT)
    return {
      problems: [
        "--threads: this copy of the CLI runs from source and cannot start threads; run the bundle (npm run redrive)",
      ],
    };
  return { threads: parsed.threads, problems: [] };
}

/** The options the operator set by flag (a worker run's event carries only these). */
function givenOptions(raw: RawOptions): Set<keyof RedriveOptions> {
  const given = new Set<keyof RedriveOptions>();
  for (const [k, value] of Object.entries(raw))
    if (value !== undefined && value !== false) given.add(k as keyof RedriveOptions);
  return given;
}

function lambdaEndpoint(env: CliIo["env"]): { endpoint?: string } {
  const endpoint = env.AWS_ENDPOINT_URL_LAMBDA || env.AWS_ENDPOINT_URL;
  return endpoint ? { endpoint } : {};
}

function usageError(log: Log, err: unknown): number {
  if (err instanceof ArgumentsError) {
    log.error("invalid arguments; run with --help for the options", { problems: err.problems });
    return 2;
  }
  if (err instanceof OptionsError) {
    // Named flags, also for problems found once the queues were looked at (--to is the DLQ under another URL, a missing queue).
    const named = new OptionsError(err.problems, (f) => FLAGS[f]);
    log.error("invalid arguments; run with --help for the options", { problems: named.message.split("\n") });
    return 2;
  }
  if (err instanceof GuardError) {
    log.error(err.message);
    return 2;
  }
  throw err;
}

/** Where a run failed: its environment (the profile) and the DLQ (its region). */
type FailedRun = { readonly env: CliIo["env"]; readonly queueUrl?: string };

function failure(log: Log, err: unknown, where?: FailedRun): number {
  if (err instanceof OptionsError || err instanceof GuardError || err instanceof ArgumentsError)
    return usageError(log, err);
  const text = describeError(err);
  const region = /Region is missing/i.test(text);
  const credentials = (err as Error)?.name === "CredentialsProviderError";
  const hint = region
    ? { hint: "set AWS_REGION (or AWS_PROFILE with a region)" }
    : credentials
      ? {
          hint: `no AWS credentials: tried profile ${where?.env.AWS_PROFILE || "default"} and the AWS_* variables, region ${where?.env.AWS_REGION || (where?.queueUrl && regionOfQueueUrl(where.queueUrl)) || "unknown"}`,
        }
      : {};
  log.error(text, hint);
  return region ? 2 : 1;
}

/** Says which environment file decided (or why none could). */
function reportVerdict(log: Log, verdict: Verdict, envDir: string, queueUrl: string): void {
  const base = { queueUrl, envDir, decidedBy: verdict.by };
  if (verdict.kind === "unknown") {
    log.line(
      logLine(
        "warn",
        "redrive.environment",
        `cannot tell whether the queue is in a production environment: ${verdict.reason}`,
        { ...base, production: null },
      ),
    );
    return;
  }
  const where = verdict.env
    ? `environment "${verdict.env.name}" (${verdict.env.file}, account ${verdict.env.account})`
    : "told by --not-production";
  log.info(
    logLine(
      "info",
      "redrive.environment",
      `${verdict.kind === "production" ? "production" : "not production"}: ${where}`,
      {
        ...base,
        production: verdict.kind === "production",
        ...(verdict.env ? { environment: verdict.env.name, file: verdict.env.file, account: verdict.env.account } : {}),
      },
    ),
  );
}

/**
 * The production guard. Resolves with an exit code when the run must not go ahead, undefined when
 * it may. A dry run changes nothing and always may; production asks (after a dry-run preview)
 * unless --yes; an environment it cannot tell refuses unless --yes.
 */
async function guard(
  io: CliIo,
  log: Log,
  clients: Clients,
  options: RedriveOptions,
  verdict: Verdict,
  yes: boolean,
  json: boolean,
): Promise<number | undefined> {
  if (options.dryRun || verdict.kind === "not-production") return undefined;
  if (verdict.kind === "unknown") return unknownEnvironment(log, options, verdict, yes);
  if (yes) return undefined;
  const env = verdict.env!;
  log.info(
    logLine(
      "info",
      "redrive.preview",
      `${options.queueUrl} belongs to production environment "${env.name}" (account ${env.account}); inspecting (dry run)`,
    ),
  );
  const preview = await redrive({ ...options, dryRun: true }, { ...clients, signal: io.signal });
  if (io.signal?.aborted) return interruptedCode(io.signal);
  const counts = {
    byErrorCode: preview.byErrorCode,
    byRuleArn: preview.byRuleArn,
    byTargetArn: preview.byTargetArn,
    wouldReplay: preview.wouldReplay,
    leftInPlace: preview.skippedTotal,
    wouldFail: preview.failed,
  };
  if (preview.wouldReplay === 0) {
    // Nothing to confirm: report what the preview found, ask nothing, replay nothing.
    log.info(logLine("info", "redrive.nothing-to-replay", "nothing would be replayed; not asking", counts));
    io.stdout.write(json ? `${JSON.stringify(preview)}\n` : humanSummary(preview));
    return succeeded(preview) ? 0 : 1;
  }
  if (io.stderr.isTTY && !json)
    io.stderr.write(
      confirmText({ queueUrl: options.queueUrl, environment: env.name, account: env.account, ...counts }),
    );
  else
    log.line(
      logLine(
        "warn",
        "redrive.confirm",
        `Replay ${preview.wouldReplay} message(s) from production "${env.name}"? Type "yes" to continue`,
        { environment: env.name, account: env.account, ...counts },
      ),
    );
  const answer = await readLine(io.stdin, io.signal);
  if (io.signal?.aborted) return interruptedCode(io.signal);
  if (/^\s*y(es)?\s*$/i.test(answer ?? "")) return undefined;
  log.error("not confirmed; nothing was replayed");
  return 3;
}

/** A queue whose environment cannot be told: replayed only with --yes (said so in the log), else refused (exit 3). */
function unknownEnvironment(
  log: Log,
  options: RedriveOptions,
  verdict: Extract<Verdict, { kind: "unknown" }>,
  yes: boolean,
): number | undefined {
  if (yes) {
    log.line(
      logLine("warn", "redrive.environment", "replaying although the environment is unknown, because of --yes", {
        reason: verdict.reason,
      }),
    );
    return undefined;
  }
  log.error(
    `refusing to replay: cannot tell whether ${options.queueUrl} is in a production environment (${verdict.reason}); nothing was replayed`,
    {
      hint: "name the environment with --environment <name> (checked against env/<name>.json), say --not-production, or pass --yes; --env-dir points at the env files",
    },
  );
  return 3;
}

/** The real run, with the audit trail on stderr and the progress bar on a terminal. */
async function run(
  io: CliIo,
  log: Log,
  clients: Clients,
  options: RedriveOptions,
  threadsWanted: number | "auto",
  sink: AuditSink,
): Promise<RedriveSummary> {
  const bar = io.stderr.isTTY && !log.quiet ? new ProgressBar(io.stderr) : undefined;
  // The audit trail: one line per message outcome, to its file or (the bar redrawn below them) on stderr, written one
  // batch at a time: one write per batch, not per message.
  const write = (text: string) => {
    bar?.clear();
    sink.write(text);
  };
  const audit = new LineBatch(write);
  const deps: EngineDeps = {
    ...clients,
    signal: io.signal,
    record: (r) => audit.push(outcomeLine(r)),
    warn: (message, detail) => audit.push(warningLine(message, detail)),
    progress: bar ? (p) => bar.draw(p) : undefined,
  };
  let summary: RedriveSummary;
  try {
    const plan = await threadPlan(clients, options, threadsWanted);
    if (plan.threads > 1 && THREAD_SCRIPT) {
      log.info(
        logLine("info", "redrive.threads", `working the DLQ on ${plan.threads} threads`, {
          threads: plan.threads,
          cores: availableParallelism(),
          expected: plan.expected,
        }),
      );
      summary = await redriveOnThreads(options, {
        script: THREAD_SCRIPT,
        threads: plan.threads,
        env: io.env,
        expected: plan.expected,
        deps,
        lines: write,
      });
    } else summary = await redrive(options, deps);
  } finally {
    audit.flush();
  }
  bar?.done();
  return summary;
}

/** How many threads a run uses, and the DLQ's depth they all start from (read once, when more than one may run). */
async function threadPlan(
  clients: Clients,
  options: RedriveOptions,
  wanted: number | "auto",
): Promise<{ threads: number; expected?: number }> {
  if (wanted === 1 || !THREAD_SCRIPT || (wanted === "auto" && autoThreadsCap() === 1)) return { threads: 1 };
  let depth: number | undefined;
  try {
    depth = (await clients.port.describe(options.queueUrl)).approximateMessages;
  } catch {
    // One thread, whose engine reports what is wrong with the queue as a run on one thread would.
    return { threads: 1 };
  }
  return { threads: wanted === "auto" ? autoThreads(options, depth) : wanted, expected: depth };
}

/** `--list`: the environment's DLQs from SQS itself. */
async function list(io: CliIo, log: Log, v: Values, envDir: string): Promise<number> {
  if (v.environment === undefined) {
    log.error(
      "--list: expected --environment <name> (the environment whose dead-letter queues to list, from env/<name>.json)",
    );
    return 2;
  }
  let env: ReturnType<typeof namedEnvironment>;
  try {
    env = namedEnvironment(envDir, v.environment);
  } catch (err) {
    return usageError(log, err);
  }
  const clients = makeClients(io.env, undefined, env.region);
  try {
    const dlqs = await listDeadLetterQueues(clients.port, `${env.name}-`);
    const foreign = dlqs.filter((q) => !q.url.includes(`/${env.account}/`));
    if (foreign.length > 0) {
      log.error(`the credentials list queues of another account than ${env.file}'s ${env.account}: ${foreign[0].url}`);
      return 1;
    }
    log.info(
      logLine("info", "redrive.list", `listed ${dlqs.length} dead-letter queue(s) of "${env.name}" from SQS`, {
        environment: env.name,
        file: env.file,
        account: env.account,
      }),
    );
    const title = `Dead-letter queues of "${env.name}" (account ${env.account}), from SQS:`;
    io.stdout.write(
      v.json
        ? `${JSON.stringify({ environment: env.name, account: env.account, queues: dlqs })}\n`
        : listTable(title, dlqs),
    );
    return 0;
  } catch (err) {
    return failure(log, err, { env: io.env });
  } finally {
    clients.port.destroy();
  }
}

/** A one-line progress bar on a terminal, fitted to its width (cli/progress-line.ts). */
class ProgressBar {
  private last = 0;
  private shown = false;
  private readonly started = Date.now();
  constructor(private readonly out: CliIo["stderr"]) {}

  draw(p: Progress, force = false): void {
    const t = Date.now();
    if (!force && t - this.last < 100) return;
    this.last = t;
    const line = progressLine(p, t - this.started, this.out.columns ?? 120);
    this.out.write(`\r${line}\x1b[K`);
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

/** The audit sink of a run: its file (the flag's, or a terminal's default), or stderr; a file that exists is refused. */
function openSink(v: Values, io: CliIo, log: Log): AuditSink {
  const file = auditFileFor(v["audit-file"], Boolean(io.stderr.isTTY), Boolean(v.json));
  try {
    return openAuditSink(file, (text) => log.line(text.slice(0, -1)));
  } catch (err) {
    throw new GuardError(
      `--audit-file: cannot create ${file}: ${(err as Error).message} (an existing file is never overwritten)`,
    );
  }
}

function humanSummary(s: RedriveSummary, audit: { auditFile?: string; auditLines?: number } = {}): string {
  const reasons = Object.entries(s.skipped)
    .map(([r, n]) => `${r} ${n}`)
    .join(", ");
  const rate = s.durationMs > 0 ? Math.round((s.received * 1000) / s.durationMs) : 0;
  const lines = [
    `Redrive of ${s.queues.join(", ")}${s.dryRun ? " (dry run: nothing was sent or deleted)" : ""}`,
    `  received     ${s.received}`,
    s.dryRun ? `  would replay ${s.wouldReplay}` : `  replayed     ${s.replayed}`,
    `  left in DLQ  ${s.skippedTotal}${reasons ? ` (${reasons})` : ""}`,
    `  failed       ${s.failed}`,
    ...(s.notDeleted > 0
      ? [
          `  not deleted  ${s.notDeleted} (replayed, still in the DLQ: a re-run sends them again with the same redriveId)`,
        ]
      : []),
    ...(s.holdLapsed > 0
      ? [
          `  hold lapsed  ${s.holdLapsed} (replayed after the hold may have ended: another run may have replayed them too; raise --visibility-timeout)`,
        ]
      : []),
    `  duration     ${(s.durationMs / 1000).toFixed(1)} s (${rate} msg/s), stopped: ${s.stoppedBecause}`,
    ...(s.error ? [`  error        ${s.error}`] : []),
    ...countLines("by error code", s.byErrorCode),
    ...countLines("by rule", s.byRuleArn),
    ...countLines("by target", s.byTargetArn),
    ...(audit.auditFile ? [`  audit trail  ${audit.auditFile} (${audit.auditLines} lines)`] : []),
  ];
  return `${lines.join("\n")}\n`;
}

/** A "received by ..." block of the text summary, largest first. */
function countLines(title: string, counts: Readonly<Record<string, number>>): string[] {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (rows.length === 0) return [];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [`  received ${title}:`, ...rows.map(([k, n]) => `    ${k.padEnd(width)}  ${String(n).padStart(8)}`)];
}

/** Process-wide setup of the CLI as a program: JSON warnings, and SIGINT/SIGTERM/SIGHUP as a graceful stop. */
function program(): void {
  // A run repeats the same few SDK paths (receive, send batch, delete batch) tens of thousands of times, in a process
  // that lives seconds: optimise them sooner than V8's defaults (Maglev after 400 calls, TurboFan after 3,000), which
  // are tuned for long-lived servers. Measured (bench/redrive.ts, 20,000 messages): the CLI's CPU per message drops by
  // about an eighth; the raw copy's second 10,000 messages cost 159 us each instead of 228. Process-wide: threads too.
  // Node 22's V8 knows both flags; an older one prints "unrecognized flag" (not JSON) on stderr, so it runs as it is.
  if (Number(process.versions.node.split(".")[0]) >= 22) setFlagsFromString(TIER_UP_SOONER);
  // Node prints warnings (the AWS SDK's multi-line Node-version notice among them) as plain text
  // on stderr; every stderr line of this tool is JSON, so warnings go through the same writer.
  process.removeAllListeners("warning");
  process.on("warning", (w) =>
    process.stderr.write(
      `${warningLine(w.message, { warning: w.name, ...("code" in w && w.code ? { code: w.code } : {}) })}\n`,
    ),
  );
  const fatal = (err: unknown) => {
    process.stderr.write(`${logLine("error", "redrive.error", (err as Error)?.stack ?? String(err))}\n`);
    process.exit(1);
  };
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
  const controller = new AbortController();
  let interrupts = 0;
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(sig, () => {
      interrupts++;
      if (interrupts > 1) process.exit(128 + constants.signals[sig]);
      process.stderr.write(
        `${warningLine("stopping: finishing messages in flight and releasing the rest (signal again to quit now)", { signal: sig })}\n`,
      );
      controller.abort(sig);
    });
  }
  main({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${logLine("error", "redrive.error", (err as Error).stack ?? String(err))}\n`);
      process.exitCode = 1;
    },
  );
}

// The bundle is also what each extra thread of a run executes (threads.ts).
if (isRunThread()) void threadMain();
else if (require.main === module) program();
