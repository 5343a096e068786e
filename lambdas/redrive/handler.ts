/**
 * Lambda entry point. The event takes the same options as the CLI (see docs/redrive.md);
 * defaults come from the environment variables the RedriveFunction module sets. Each message
 * outcome and the summary are written as JSON lines to the function's log. The invocation fails
 * (so the function's Errors alarm fires) when any replay failed; the error carries the summary.
 */
import { LineBatch, outcomeLine, summaryLine, warningLine } from "./engine/audit";
import { emitRunMetrics } from "./ports/emf-metrics";
import { mergeSummaries, redrive, succeeded } from "./engine/engine";
import { readFunctionEnvironment, type FunctionEnvironment } from "./environment";
import type { RedriveSummary } from "./engine/model";
import { EVENT_OPTIONS, OptionsError, type RawOptions, type RedriveOptions, validateOptions } from "./engine/options";
import { EventBridgePort } from "./ports/eventbridge-port";
import { LambdaPort } from "./ports/lambda-port";
import { PipesPort } from "./ports/pipes-port";
import { SfnPort } from "./ports/sfn-port";
import { StreamsPort } from "./ports/streams-port";
import { SqsPort } from "./ports/sqs-port";

/** The Lambda event: every field optional. Without `queueUrl`, every DLQ the function serves is drained in turn. */
export interface RedriveEvent {
  readonly queueUrl?: string;
  readonly to?: string;
  readonly dryRun?: boolean;
  readonly maxMessages?: number;
  readonly errorCodes?: readonly string[];
  readonly allowUnknownErrorCodes?: boolean;
  readonly ruleArn?: string;
  readonly targetArn?: string;
  readonly maxRedrives?: number;
  readonly concurrency?: number;
  readonly rate?: number;
  readonly visibilityTimeout?: number;
  readonly fifoGroupId?: string;
}

const EVENT_FIELDS: ReadonlySet<string> = new Set(EVENT_OPTIONS);

/** The part of the Lambda context the handler uses. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

/** Thrown when the event is invalid or a replay failed; the message says which. */
export class RedriveError extends Error {
  constructor(
    message: string,
    readonly summary?: RedriveSummary,
  ) {
    super(message);
    this.name = "RedriveError";
  }
}

let environment: FunctionEnvironment | undefined;
let port: SqsPort | undefined;
let functions: LambdaPort | undefined;
let buses: EventBridgePort | undefined;
let pipes: PipesPort | undefined;
let streams: StreamsPort | undefined;
let machines: SfnPort | undefined;

// One write per batch of outcomes, not per message (see LineBatch); flushed before the summary.
const log = new LineBatch((text) => process.stdout.write(text));
const write = (line: string) => log.push(line);

export async function handler(
  event: RedriveEvent | null | undefined,
  context?: LambdaContextLike,
): Promise<RedriveSummary> {
  environment ??= readFunctionEnvironment(process.env);
  port ??= new SqsPort();
  // Clients are made per target region on first use: a run without such targets creates none.
  functions ??= new LambdaPort();
  buses ??= new EventBridgePort();
  pipes ??= new PipesPort();
  streams ??= new StreamsPort();
  machines ??= new SfnPort();
  const env = environment;
  const started = Date.now();

  const runs = runsOf(event, env);
  const margin = env.deadlineMarginMs;
  const summaries: RedriveSummary[] = [];
  for (const options of runs) {
    const summary = await redrive(options, {
      port,
      functions,
      buses,
      pipes,
      streams,
      machines,
      record: (r) => write(outcomeLine(r)),
      warn: (message, detail) => write(warningLine(message, { queueUrl: options.queueUrl, ...detail })),
      remainingMs: context ? () => context.getRemainingTimeInMillis() - margin : undefined,
    });
    summaries.push(summary);
    // What was redriven and when, per DLQ, for the dashboard: the embedded metric format, from this log.
    emitRunMetrics(summary, process.env.AWS_LAMBDA_FUNCTION_NAME ?? "redrive");
    if (summary.stoppedBecause === "deadline") break;
  }
  const summary = mergeSummaries(summaries, Date.now() - started);
  write(summaryLine(summary));
  log.flush();
  if (!succeeded(summary)) {
    throw new RedriveError(
      `redrive finished with ${summary.failed} failed and ${summary.notDeleted} undeleted message(s)${summary.error ? ` (${summary.error})` : ""}: ${JSON.stringify(summary)}`,
      summary,
    );
  }
  return summary;
}

/**
 * The runs an event asks for (one per DLQ: the event's queueUrl, or every DLQ the function serves), each with the
 * function's defaults under the event's options; every problem of the event at once, as a RedriveError.
 */
function runsOf(event: RedriveEvent | null | undefined, env: FunctionEnvironment): RedriveOptions[] {
  const payload = (event ?? {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof payload !== "object" || Array.isArray(payload)) problems.push("event: expected an object");
  for (const key of Object.keys(payload))
    if (!EVENT_FIELDS.has(key))
      problems.push(`${key}: unknown field (expected one of ${[...EVENT_FIELDS].join(", ")})`);
  const queueUrl = payload.queueUrl;
  if (queueUrl !== undefined && !env.sourceQueueUrls.includes(queueUrl as string)) {
    problems.push(
      `queueUrl: ${JSON.stringify(queueUrl)} is not a DLQ this function serves (${env.sourceQueueUrls.join(", ")})`,
    );
  }
  const queues = queueUrl === undefined ? env.sourceQueueUrls : [queueUrl as string];
  const runs: RedriveOptions[] = [];
  for (const q of queues) {
    try {
      runs.push(validateOptions({ ...env.defaults, ...(payload as RawOptions), queueUrl: q }));
    } catch (err) {
      if (!(err instanceof OptionsError)) throw err;
      problems.push(...err.problems.map((p) => `${p.field}: ${p.message}`));
      break;
    }
  }
  if (problems.length > 0) throw new RedriveError(`invalid redrive event:\n  ${[...new Set(problems)].join("\n  ")}`);
  return runs;
}
