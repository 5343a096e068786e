/**
 * Redrive options: one definition and one validator for the CLI flags, the Lambda event and the
 * defaults the module puts in the function's environment. Every problem is reported at once,
 * each naming the field (or flag) it is about.
 */

import { REDRIVE_LIMITS, REDRIVE_RUN_DEFAULTS } from "../../../modules/shared/contract/redrive-limits";
import { canonicalErrorCode, knownErrorCodes } from "../../../modules/shared/contract/error-codes";

/** A validated redrive run. */
export interface RedriveOptions {
  /** The DLQ to drain. */
  readonly queueUrl: string;
  /** Explicit destination queue URL; overrides TARGET_ARN. Default: each message's TARGET_ARN. */
  readonly to?: string;
  /** Decide and report only; every inspected message is made visible again at the end. Default false. */
  readonly dryRun: boolean;
  /**
   * Stop once this many messages were taken for replay (replayed, would replay, or failed);
   * messages left in place (filters, cap, unsupported) do not count. Default: until the DLQ is drained.
   */
  readonly maxMessages?: number;
  /** Only messages with one of these ERROR_CODEs. Default: any (and none). */
  readonly errorCodes: readonly string[];
  /** Accept error codes outside the known list (error-codes.ts); EventBridge's list is open. Default false. */
  readonly allowUnknownErrorCodes: boolean;
  /** Only messages whose RULE_ARN is this. Default: any. */
  readonly ruleArn?: string;
  /** Only messages whose TARGET_ARN is this. Default: any. */
  readonly targetArn?: string;
  /** A message already redriven this many times is left in place. Default 3. */
  readonly maxRedrives: number;
  /** Most parallel receive/send/delete lanes; the run starts with min(this, 8) and adapts. Default 64. */
  readonly concurrency: number;
  /** Messages taken per second, across workers. Default: unlimited. */
  readonly rate?: number;
  /** Seconds a taken message stays invisible before it is extended; default 60. */
  readonly visibilityTimeout: number;
  /** Long-poll wait of each receive, in seconds; the run ends when a receive comes back empty. Default 1. */
  readonly waitTimeSeconds: number;
  /** MessageGroupId for FIFO destinations when the original has none. Default "redrive". */
  readonly fifoGroupId: string;
}

/** The fields a caller may set, all optional until validated. */
export type RawOptions = { readonly [K in keyof RedriveOptions]?: unknown };

/** One bad option: which field and why. */
export interface OptionProblem {
  readonly field: keyof RedriveOptions;
  readonly message: string;
}

/** Bad options; `problems` holds every one. */
export class OptionsError extends Error {
  constructor(
    readonly problems: readonly OptionProblem[],
    name: (field: keyof RedriveOptions) => string = (f) => f,
  ) {
    super(problems.map((p) => `${name(p.field)}: ${p.message}`).join("\n"));
    this.name = "OptionsError";
  }
}

/** Defaults of a run (modules/shared/contract/redrive-limits.ts owns them). */
export const DEFAULTS = REDRIVE_RUN_DEFAULTS;

/** Limits of each numeric option: [min, max] (the module's, by option name; modules/shared/contract/redrive-limits.ts). */
export const LIMITS = Object.freeze({
  maxMessages: REDRIVE_LIMITS.maxMessages,
  maxRedrives: REDRIVE_LIMITS.maxRedrives,
  concurrency: REDRIVE_LIMITS.concurrency,
  rate: REDRIVE_LIMITS.rate,
  visibilityTimeout: REDRIVE_LIMITS.visibilityTimeoutSeconds,
  waitTimeSeconds: REDRIVE_LIMITS.waitTimeSeconds,
});

const QUEUE_URL = /^https?:\/\/[^/\s]+\/\d{12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;
const ERROR_CODE = /^[A-Za-z0-9_.-]{1,128}$/;
const GROUP_ID = /^[\x21-\x7e]{1,128}$/;

/** Validates raw options (from flags, an event, or environment defaults); throws OptionsError listing every problem. */
export function validateOptions(raw: RawOptions, name?: (field: keyof RedriveOptions) => string): RedriveOptions {
  const problems: OptionProblem[] = [];
  const bad: Bad = (field, message) => problems.push({ field, message });

  const queueUrl = raw.queueUrl;
  if (queueUrl === undefined || queueUrl === "") bad("queueUrl", "required: the URL of the dead-letter queue to drain");
  else if (typeof queueUrl !== "string" || !QUEUE_URL.test(queueUrl))
    bad(
      "queueUrl",
      `expected an SQS queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got ${show(queueUrl)}`,
    );

  const to = raw.to;
  if (to !== undefined && (typeof to !== "string" || !QUEUE_URL.test(to)))
    bad("to", `expected an SQS queue URL, got ${show(to)}`);
  if (typeof to === "string" && to === queueUrl) bad("to", "expected a queue other than the DLQ being drained");

  const dryRun = raw.dryRun ?? DEFAULTS.dryRun;
  if (typeof dryRun !== "boolean") bad("dryRun", `expected true or false, got ${show(dryRun)}`);

  const ints = integerOptions(raw, bad);
  const errorCodes = errorCodeOptions(raw, problems, bad, name);
  const allowUnknownErrorCodes = raw.allowUnknownErrorCodes ?? false;

  for (const field of ["ruleArn", "targetArn"] as const) {
    const value = raw[field];
    if (value !== undefined && (typeof value !== "string" || !ARN.test(value)))
      bad(field, `expected an ARN, got ${show(value)}`);
  }

  const fifoGroupId = raw.fifoGroupId ?? DEFAULTS.fifoGroupId;
  if (typeof fifoGroupId !== "string" || !GROUP_ID.test(fifoGroupId))
    bad("fifoGroupId", `expected 1-128 printable ASCII characters, got ${show(fifoGroupId)}`);

  if (problems.length > 0) throw new OptionsError(problems, name);
  return {
    queueUrl: queueUrl as string,
    to: to as string | undefined,
    dryRun: dryRun as boolean,
    maxMessages: ints.maxMessages,
    errorCodes: [...new Set(errorCodes)],
    allowUnknownErrorCodes: allowUnknownErrorCodes as boolean,
    ruleArn: raw.ruleArn as string | undefined,
    targetArn: raw.targetArn as string | undefined,
    maxRedrives: ints.maxRedrives ?? DEFAULTS.maxRedrives,
    concurrency: ints.concurrency ?? DEFAULTS.concurrency,
    rate: ints.rate,
    visibilityTimeout: ints.visibilityTimeout ?? DEFAULTS.visibilityTimeout,
    waitTimeSeconds: ints.waitTimeSeconds ?? DEFAULTS.waitTimeSeconds,
    fifoGroupId: fifoGroupId as string,
  };
}

type Bad = (field: keyof RedriveOptions, message: string) => void;

/** The integer options (as numbers, or numeric strings from flags and events), each within its limits. */
function integerOptions(raw: RawOptions, bad: Bad): Record<keyof typeof LIMITS, number | undefined> {
  const ints = {} as Record<keyof typeof LIMITS, number | undefined>;
  for (const field of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    const value = raw[field];
    if (value === undefined) continue;
    const [min, max] = LIMITS[field];
    const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
      bad(field, `expected an integer from ${min} to ${max}, got ${show(value)}`);
    } else ints[field] = n;
  }
  return ints;
}

/** The error codes (a list, or comma-separated), known ones in their canonical spelling; unknown ones refused unless allowed. */
function errorCodeOptions(
  raw: RawOptions,
  problems: readonly OptionProblem[],
  bad: Bad,
  name?: (field: keyof RedriveOptions) => string,
): string[] {
  let errorCodes: string[] = [];
  const rawCodes = raw.errorCodes;
  if (rawCodes !== undefined) {
    const list = typeof rawCodes === "string" ? rawCodes.split(",") : rawCodes;
    if (!Array.isArray(list)) bad("errorCodes", `expected a list of error codes, got ${show(rawCodes)}`);
    else {
      errorCodes = list.map((c) => (typeof c === "string" ? c.trim() : c)) as string[];
      const wrong = errorCodes.filter((c) => typeof c !== "string" || !ERROR_CODE.test(c));
      if (wrong.length > 0)
        bad("errorCodes", `expected error codes such as ERROR_FROM_TARGET, got ${wrong.map(show).join(", ")}`);
    }
  }
  const allowUnknownErrorCodes = raw.allowUnknownErrorCodes ?? false;
  if (typeof allowUnknownErrorCodes !== "boolean")
    bad("allowUnknownErrorCodes", `expected true or false, got ${show(allowUnknownErrorCodes)}`);
  else if (problems.every((p) => p.field !== "errorCodes")) {
    const unknown = errorCodes.filter((c) => canonicalErrorCode(c) === undefined);
    if (unknown.length > 0 && !allowUnknownErrorCodes) {
      bad(
        "errorCodes",
        `unknown error code(s) ${unknown.map(show).join(", ")}: expected one of ${knownErrorCodes().join(", ")} (any case), or allow unknown codes explicitly (${name?.("allowUnknownErrorCodes") ?? "allowUnknownErrorCodes"})`,
      );
    }
    // Known codes in the spelling dead letters use; unknown ones as given (matching ignores case).
    errorCodes = errorCodes.map((c) => canonicalErrorCode(c) ?? c);
  }
  return errorCodes;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The option fields the Lambda event takes (docs/redrive.md, "Lambda event payload"). */
export const EVENT_OPTIONS = [
  "queueUrl",
  "to",
  "dryRun",
  "maxMessages",
  "errorCodes",
  "allowUnknownErrorCodes",
  "ruleArn",
  "targetArn",
  "maxRedrives",
  "concurrency",
  "rate",
  "visibilityTimeout",
  "fifoGroupId",
] as const;
