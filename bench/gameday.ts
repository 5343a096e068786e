/**
 * A game day on this machine, as an operator runs it: the CLI's main with this process's terminal (stdin, stdout,
 * stderr), against a local copy of the staging environment (fauxqs, dynalite, the async route's templates, the consumer
 * runtime behind four event-source-mapping pollers) while a fault injector does what FIS's invocation-error does to
 * half the invocations. FIS and CloudWatch are stubbed in this process. Prints the run's wall time and orders/s.
 *   npm run bench:gameday -- [--requests N] [gameday flags...]
 * Try it on a terminal (`script -qec "npm run -s bench:gameday -- --requests 300"`): the DLQ question is asked there.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import { main } from "../lambdas/gameday/cli";
import { startDynalite } from "../test/lambdas/consumer/support/dynalite";
import { startEmulator } from "../test/lambdas/redrive/support/fauxqs";
import { mockExperiment, stubClients } from "../test/lambdas/gameday/support/fake-experiment";
import {
  createTables,
  FaultInjector,
  IDEMPOTENCY,
  STATE,
  startLocalEnvironment,
} from "../test/lambdas/gameday/support/local-environment";

/** The emulators, the stubs and the local environment, with what stops them. */
async function setUp() {
  const [sqs, dynamo] = await Promise.all([startEmulator(), startDynalite()]);
  const regional = new SQSClient({
    endpoint: sqs.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "t", secretAccessKey: "t" },
  });
  const { fis, cloudwatch } = stubClients();
  const injector = new FaultInjector({ kind: "error", percentage: 50 });
  injector.untilDeadLettered = 3;
  mockExperiment(fis, cloudwatch, injector, 3000, 30_000);
  await createTables(dynamo.client, STATE, IDEMPOTENCY);
  const local = await startLocalEnvironment(regional, dynamo.client, "bench", injector);
  const stop = async () => {
    await local.stop();
    fis.restore();
    cloudwatch.restore();
    regional.destroy();
    await Promise.all([sqs.stop(), dynamo.stop()]);
  };
  return { sqs, dynamo, injector, local, stop };
}

async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const { sqs, dynamo, injector, local, stop } = await setUp();
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "t",
    AWS_SECRET_ACCESS_KEY: "t",
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  };
  Object.assign(process.env, env);
  const argv = [
    "--env",
    "staging",
    "--experiment",
    "orders-errors",
    "--env-dir",
    local.envDir,
    "--endpoint",
    local.door.url,
    "--send-after",
    "0",
    "--poll-seconds",
    "0.2",
    "--rate",
    "1000",
    "--concurrency",
    "16",
  ];
  const started = performance.now();
  const requests = args.includes("--requests") ? [] : ["--requests", "500"];
  const code = await main({
    argv: [...argv, ...requests, ...args],
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  });
  const seconds = (performance.now() - started) / 1000;
  const n = Number(args[args.indexOf("--requests") + 1] ?? 500) || 500;
  process.stderr.write(
    `bench: exit ${code}; ${n} orders accounted for in ${seconds.toFixed(1)} s (${(n / seconds).toFixed(0)} orders/s); ${injector.injected} invocations failed by the injector\n`,
  );
  await stop();
  return code;
}

run().then((code) => process.exit(code));
