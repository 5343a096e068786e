/**
 * The function's environment: which DLQs it serves and the option defaults. The RedriveFunction
 * module writes these variables and this module is their only reader; the drift test runs the
 * built handler with exactly the variables a synthesized stack declares.
 */
import { REDRIVE_ENV } from "../../modules/shared/contract/environment-names";
import { DEFAULTS, OptionsError, type RawOptions, validateOptions } from "./engine/options";

/** Names of the environment variables, by what they hold (the contract RedriveFunction writes). */
export const ENV = REDRIVE_ENV;

/** The function's configuration, read once per container. */
export interface FunctionEnvironment {
  readonly sourceQueueUrls: readonly string[];
  /** Option defaults an event can override. */
  readonly defaults: RawOptions;
  /** The run stops taking messages this long before the Lambda timeout. */
  readonly deadlineMarginMs: number;
}

/** Reads and validates the REDRIVE_* variables; any unknown or invalid one is an error naming it. */
export function readFunctionEnvironment(env: Readonly<Record<string, string | undefined>>): FunctionEnvironment {
  const problems: string[] = [];
  const known = new Set<string>(Object.values(ENV));
  for (const name of Object.keys(env)) {
    if (name.startsWith("REDRIVE_") && !known.has(name))
      problems.push(`${name}: unknown variable (expected one of ${[...known].join(", ")})`);
  }
  let sourceQueueUrls: string[] = [];
  const raw = env[ENV.sourceQueueUrls];
  try {
    const parsed: unknown = raw === undefined ? undefined : JSON.parse(raw);
    if (!Array.isArray(parsed) || parsed.length === 0 || parsed.some((u) => typeof u !== "string")) throw new Error();
    sourceQueueUrls = parsed as string[];
  } catch {
    problems.push(
      `${ENV.sourceQueueUrls}: expected a JSON array of DLQ URLs, got ${raw === undefined ? "nothing" : JSON.stringify(raw)}`,
    );
  }
  const defaults: Record<string, unknown> = {};
  for (const field of [
    "maxRedrives",
    "concurrency",
    "rate",
    "visibilityTimeout",
    "maxMessages",
    "fifoGroupId",
  ] as const) {
    const value = env[ENV[field]];
    if (value !== undefined && value !== "") defaults[field] = value;
  }
  for (const url of sourceQueueUrls.length > 0
    ? sourceQueueUrls
    : ["https://sqs.us-east-1.amazonaws.com/000000000000/placeholder"]) {
    try {
      validateOptions({ ...defaults, queueUrl: url }, (f) =>
        f === "queueUrl" ? ENV.sourceQueueUrls : (ENV[f as keyof typeof ENV] ?? f),
      );
    } catch (err) {
      if (!(err instanceof OptionsError)) throw err;
      problems.push(err.message);
    }
  }
  const marginText = env[ENV.deadlineMarginMs];
  const deadlineMarginMs = marginText === undefined ? 15_000 : Number(marginText);
  if (!Number.isInteger(deadlineMarginMs) || deadlineMarginMs < 0)
    problems.push(
      `${ENV.deadlineMarginMs}: expected a whole number of milliseconds >= 0, got ${JSON.stringify(marginText)}`,
    );
  if (problems.length > 0)
    throw new Error(`invalid redrive function environment:\n  ${[...new Set(problems)].join("\n  ")}`);
  for (const [k, v] of Object.entries(DEFAULTS)) if (k !== "dryRun" && defaults[k] === undefined) defaults[k] = v;
  return { sourceQueueUrls, defaults: defaults as RawOptions, deadlineMarginMs };
}
