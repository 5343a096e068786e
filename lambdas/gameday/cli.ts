/**
 * Operator CLI: `npm run gameday -- --env <name> --experiment <name> --requests N --endpoint <api-url>` (see --help).
 * Exit codes: 0 every accepted order is accounted for (processed, or waiting in a named DLQ); 1 an order is missing, the
 * system did not settle, or the run could not start; 2 bad flags or env file; 3 a production environment without
 * --production; 130 on a second Ctrl-C (the first stops the experiment and goes on to the reconciliation).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { FisClient } from "@aws-sdk/client-fis";
import { SQSClient } from "@aws-sdk/client-sqs";
import { parseEnvironmentFile } from "../../stacks/config/load";
import type { CliIo } from "../redrive/cli/io";
import { readLine } from "../redrive/cli/read-line";
import { HttpApiPort } from "./api-port";
import { CloudWatchAlarms, DynamoTable, EngineRedrive, FisExperiments, SqsPort } from "./aws-ports";
import { discoverEndpoint } from "./endpoint";
import { GamedayError, type GamedayIo, runGameday } from "./gameday";
import { type CliOptions, parseOptions, UsageError } from "./options";
import { type GamedayPlan, PlanError, planGameday } from "./plan";
import type { GamedayPorts } from "./ports";
import { SqsQueues } from "./queue-probe";
import { humanReport, jsonReport } from "./report";

export const HELP = `Runs a game day: starts an environment's fault-injection experiment, sends synthetic orders through its
API, and accounts for every accepted order (processed, waiting in a DLQ, or missing).

Usage: npm run -s gameday -- --env <name> --experiment <name> --requests N [--endpoint <api-url>] [options]

  --env NAME            the environment (env/<name>.json; its account's credentials in the usual AWS variables)
  --experiment NAME     one of the file's faultInjection.experiments
  --requests N          orders to send (1-100000)
  --endpoint URL        the API's URL: the stack output api-url, through CloudFront (default: the stage URL of
                        the environment's REST API, found by its name; it bypasses CloudFront)
  --route "POST /path"  the async route to send to (default: the route whose consumer writes the outbox's table)
  --api-key-env NAME    environment variable holding the API key (default GAMEDAY_API_KEY; unset: no key sent)
  --concurrency N       orders in flight (1-64, default 8)
  --rate N              orders started per second at most (1-1000, default 20)
  --attempts N          tries per order on a network failure, 429 or 5XX, same idempotency key (1-10, default 4)
  --send-after S        seconds between the experiment running and the first order (default: the extension's slow
                        poll interval, faultInjection.slowPollIntervalSeconds or 60: faults start up to that late)
  --poll-seconds S      how often the experiment, alarms and queue are read (0.05-60, default 5)
  --settle-timeout S    seconds to wait for the route's queue to drain (1-7200, default 600)
  --redrive             redrive the DLQ to the route's queue when it holds orders of the run, then count again
  --no-redrive          never redrive (default on a terminal: ask; otherwise: do not)
  --json                the result as one JSON object on stdout (progress as JSON lines on stderr)
  --production          required to run in an environment whose file says production: true
  --env-dir DIR         where the env files are (default: the project's env/)
`;

/** The project's env/: two levels above this code (lambdas/gameday/ in the source, dist/cli/ in the bundle). */
const defaultEnvDir = () => resolve(__dirname, "..", "..", "env");

function loadPlan(o: CliOptions): GamedayPlan {
  const dir = o.envDir ?? defaultEnvDir();
  const file = join(dir, `${o.env}.json`);
  if (!existsSync(file)) {
    const names = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith(".json"))
          .map((f) => f.slice(0, -5))
      : [];
    throw new UsageError([`--env: no env file ${file} (environments: ${names.join(", ") || "none"})`]);
  }
  const { environment, problems } = parseEnvironmentFile(file, readFileSync(file, "utf8"));
  if (!environment) throw new UsageError(problems.map((p) => `${p.file}: ${p.path || "(root)"}: ${p.message}`));
  try {
    return planGameday(environment, o.experiment, o.route);
  } catch (err) {
    if (err instanceof PlanError) throw new UsageError([err.message]);
    throw err;
  }
}

/** A client's configuration: the environment's region, and the SDK's endpoint variables (emulators in tests). */
const clientConfig = (plan: GamedayPlan, env: CliIo["env"]) => (service: string) => {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  return { region: plan.region, ...(endpoint ? { endpoint } : {}) };
};

async function awsPorts(plan: GamedayPlan, o: CliOptions, env: CliIo["env"]): Promise<GamedayPorts> {
  const at = clientConfig(plan, env);
  const sqs = new SQSClient(at("SQS"));
  const endpoint = o.endpoint ?? (await discoverEndpoint(new APIGatewayClient(at("API_GATEWAY")), plan));
  return {
    api: new HttpApiPort(endpoint, plan.path, env[o.apiKeyEnv] || undefined),
    experiments: new FisExperiments(new FisClient(at("FIS"))),
    alarms: new CloudWatchAlarms(new CloudWatchClient(at("CLOUDWATCH"))),
    queues: new SqsQueues(sqs),
    table: new DynamoTable(new DynamoDBClient(at("DYNAMODB"))),
    redrive: new EngineRedrive(new SqsPort({ client: at("SQS") })),
  };
}

function gamedayIo(io: CliIo, json: boolean): GamedayIo {
  return {
    tell: (line) =>
      io.stderr.write(
        json
          ? `${JSON.stringify({ time: new Date().toISOString(), event: "gameday.progress", message: line })}\n`
          : `${line}\n`,
      ),
    ask: async (question) => {
      io.stderr.write(question);
      return /^\s*y(es)?\s*$/i.test((await readLine(io.stdin, io.signal)) ?? "");
    },
  };
}

/** Why the run failed, in words that say what to do; credentials name the profile and region tried. */
function failure(err: unknown, plan: GamedayPlan, env: CliIo["env"]): string {
  if (err instanceof GamedayError) return err.message;
  const e = err as Error;
  if (e?.name === "CredentialsProviderError")
    return `no AWS credentials for account ${plan.accountId} (${plan.region}): tried profile ${env.AWS_PROFILE ?? "default"} and the AWS_* variables (${e.message})`;
  return e?.message ?? String(err);
}

export async function main(io: CliIo, ports?: (plan: GamedayPlan) => Promise<GamedayPorts>): Promise<number> {
  let o: CliOptions;
  let plan: GamedayPlan;
  try {
    o = parseOptions(io.argv);
    if (o.help) {
      io.stdout.write(HELP);
      return 0;
    }
    plan = loadPlan(o);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${err.problems.map((p) => `gameday: ${p}`).join("\n")}\n(npm run -s gameday -- --help)\n`);
    return 2;
  }
  if (plan.production && !o.production) {
    io.stderr.write(
      `gameday: ${plan.env} is a production environment (its env file says production: true): add --production to run a game day there\n`,
    );
    return 3;
  }
  const redrive =
    o.redrive === true ? "yes" : o.redrive === false ? "no" : io.stdin.isTTY && io.stderr.isTTY ? "ask" : "no";
  try {
    const report = await runGameday(
      plan,
      { ...o, sendAfterSeconds: o.sendAfterSeconds ?? plan.slowPollIntervalSeconds, redrive },
      await (ports ?? ((p) => awsPorts(p, o, io.env)))(plan),
      gamedayIo(io, o.json),
      io.signal,
    );
    io.stdout.write(o.json ? jsonReport(report) : humanReport(report));
    return report.clean ? 0 : 1;
  } catch (err) {
    io.stderr.write(`gameday: ${failure(err, plan, io.env)}\n`);
    return 1;
  }
}

function program(): void {
  const controller = new AbortController();
  let interrupts = 0;
  process.on("SIGINT", () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write("gameday: stopping the experiment, then counting what was sent (Ctrl-C again to quit now)\n");
    controller.abort("SIGINT");
  });
  const io = {
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    signal: controller.signal,
  };
  main(io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`gameday: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) program();
