/** The game day's flags: parsed, checked (every problem at once, each naming its flag), defaults applied. */
import { parseArgs } from "node:util";

export interface CliOptions {
  readonly env: string;
  readonly experiment: string;
  readonly requests: number;
  /** Undefined: the environment's REST API stage URL, found by its name. */
  readonly endpoint?: string;
  readonly route?: string;
  readonly envDir?: string;
  readonly concurrency: number;
  readonly rate: number;
  readonly attempts: number;
  /** Undefined: the env file's slow poll interval. */
  readonly sendAfterSeconds?: number;
  readonly pollSeconds: number;
  readonly settleTimeoutSeconds: number;
  readonly redrive?: boolean;
  readonly json: boolean;
  readonly production: boolean;
  readonly apiKeyEnv: string;
  readonly help: boolean;
}

export class UsageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

/** Number flags: [flag, min, max, default, whole number]. */
const NUMBERS = {
  requests: ["--requests", 1, 100_000, undefined, true],
  concurrency: ["--concurrency", 1, 64, 8, true],
  rate: ["--rate", 1, 1000, 20, false],
  attempts: ["--attempts", 1, 10, 4, true],
  sendAfterSeconds: ["--send-after", 0, 900, undefined, false],
  pollSeconds: ["--poll-seconds", 0.05, 60, 5, false],
  settleTimeoutSeconds: ["--settle-timeout", 1, 7200, 600, false],
} as const;

const STRING_FLAGS = [
  "env",
  "experiment",
  "requests",
  "endpoint",
  "route",
  "env-dir",
  "concurrency",
  "rate",
  "attempts",
  "send-after",
  "poll-seconds",
  "settle-timeout",
  "api-key-env",
] as const;

function number(values: Record<string, unknown>, key: keyof typeof NUMBERS, problems: string[]): number | undefined {
  const [flag, min, max, fallback, whole] = NUMBERS[key];
  const text = values[flag.slice(2)];
  if (text === undefined) return fallback;
  const n = Number(text);
  if (String(text).trim() === "" || !Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n)))
    problems.push(
      `${flag}: expected ${whole ? "a whole number" : "a number"} from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  return n;
}

function required(values: Record<string, unknown>, flag: string, what: string, problems: string[]): string {
  const v = values[flag];
  if (typeof v !== "string" || v === "") problems.push(`--${flag}: required: ${what}`);
  return String(v ?? "");
}

export function parseOptions(argv: readonly string[]): CliOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(STRING_FLAGS.map((f) => [f, { type: "string" as const }])),
        redrive: { type: "boolean" },
        "no-redrive": { type: "boolean" },
        json: { type: "boolean" },
        production: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError([(err as Error).message]);
  }
  if (values.help) return { help: true } as CliOptions;
  return checked(values);
}

function checked(values: Record<string, unknown>): CliOptions {
  const problems: string[] = [];
  const env = required(values, "env", "the environment's name (env/<name>.json)", problems);
  const experiment = required(values, "experiment", "an experiment of its faultInjection.experiments", problems);
  const endpoint = values.endpoint as string | undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint))
    problems.push(`--endpoint: expected an http(s) URL, got ${JSON.stringify(endpoint)}`);
  if (values.requests === undefined) problems.push("--requests: required: how many orders to send (1-100000)");
  const route = values.route as string | undefined;
  if (route !== undefined && !/^[A-Z]+ \/\S*$/.test(route))
    problems.push(`--route: expected a method and path such as "POST /orders", got ${JSON.stringify(route)}`);
  if (values.redrive && values["no-redrive"]) problems.push("--redrive and --no-redrive: give one of them");
  const nums = Object.fromEntries(
    Object.keys(NUMBERS).map((k) => [k, number(values, k as keyof typeof NUMBERS, problems)]),
  );
  const apiKeyEnv = (values["api-key-env"] as string | undefined) ?? "GAMEDAY_API_KEY";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv))
    problems.push(`--api-key-env: expected an environment variable's name, got ${JSON.stringify(apiKeyEnv)}`);
  if (problems.length > 0) throw new UsageError(problems);
  return {
    env,
    experiment,
    endpoint,
    route,
    apiKeyEnv,
    envDir: values["env-dir"] as string | undefined,
    ...(nums as Pick<CliOptions, keyof typeof NUMBERS>),
    redrive: values.redrive ? true : values["no-redrive"] ? false : undefined,
    json: values.json === true,
    production: values.production === true,
    help: false,
  };
}
