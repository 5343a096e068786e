/**
 * The game day end to end on this machine: the CLI's main (in this process) against a local environment (fauxqs,
 * dynalite, the async route's templates, the consumer runtime behind event-source-mapping loops) while a fault injector
 * does what the FIS Lambda actions do; FIS and CloudWatch answer through aws-sdk-client-mock. Under injected errors the
 * run accounts for every order (the DLQ redriven and counted again); a message deleted behind its back is reported
 * missing by id and the run exits 1.
 */
import { PassThrough } from "node:stream";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { StartExperimentCommand, StopExperimentCommand } from "@aws-sdk/client-fis";
import { SQSClient } from "@aws-sdk/client-sqs";
import { main } from "../../../lambdas/gameday/cli";
import { type DynamoEmulator, startDynalite } from "../consumer/support/dynalite";
import { type Emulator, startEmulator } from "../redrive/support/fauxqs";
import { fisCommand, mockExperiment, stubClients } from "./support/fake-experiment";
import { createTables, FaultInjector, IDEMPOTENCY, STATE, startLocalEnvironment } from "./support/local-environment";

let sqs: Emulator;
let dynamo: DynamoEmulator;
/** SQS in the environment's region (fauxqs keeps queues per region, as SQS does). */
let regional: SQSClient;
const { fis, cloudwatch } = stubClients();

beforeAll(async () => {
  [sqs, dynamo] = await Promise.all([startEmulator(), startDynalite()]);
  regional = new SQSClient({
    endpoint: sqs.endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "t", secretAccessKey: "t" },
  });
  await createTables(dynamo.client, STATE, IDEMPOTENCY);
});
afterAll(async () => {
  fis.restore();
  cloudwatch.restore();
  regional?.destroy();
  await Promise.all([sqs?.stop(), dynamo?.stop()]);
});

async function runGameday(envDir: string, endpoint: string, extra: string[] = [], signal?: AbortSignal) {
  const [stdout, stderr, stdin] = [new PassThrough(), new PassThrough(), new PassThrough()];
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  stdin.end();
  const env = {
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const argv = ["--env", "staging", "--experiment", "orders-errors", "--env-dir", envDir, "--endpoint", endpoint];
    const opts = ["--poll-seconds", "0.05", "--send-after", "0", "--settle-timeout", "60", "--rate", "400", "--json"];
    const code = await main({ argv: [...argv, ...opts, ...extra], env, stdout, stderr, stdin, signal });
    return { code, report: out ? JSON.parse(out) : undefined, stderr: err };
  } finally {
    process.env = saved;
  }
}

describe("npm run gameday, end to end on a local environment", () => {
  it("under injected invocation errors every accepted order is processed or redriven from the DLQ: 0 missing, exit 0", async () => {
    const injector = new FaultInjector({ kind: "error", percentage: 50 });
    // At least 1 s of faults, longer (up to 20 s) until two orders went to the DLQ: a slow machine runs the same path.
    injector.untilDeadLettered = 2;
    mockExperiment(fis, cloudwatch, injector, 1000, 20_000);
    const local = await startLocalEnvironment(regional, dynamo.client, "gd-a", injector);
    try {
      const { code, report, stderr } = await runGameday(local.envDir, local.door.url, [
        "--requests",
        "60",
        "--redrive",
      ]);
      expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
      expect(injector.deadLettered).toBeGreaterThanOrEqual(2);
      const first = report.beforeRedrive;
      // Three failed receives move a message to the DLQ: some orders waited there before the redrive.
      expect(first.inDeadLetterQueue["gd-a-orders-post-dlq"].length).toBe(injector.deadLettered);
      expect(first.processed + first.inDeadLetterQueue["gd-a-orders-post-dlq"].length).toBe(60);
      expect(report.redrive.failed).toBe(0);
      expect(report.reconciliation).toMatchObject({
        sent: 60,
        accepted: 60,
        processed: 60,
        missing: [],
        unsettled: [],
      });
      expect(report.experiment).toMatchObject({ id: "EXP1", templateId: "EXT1", state: { status: "completed" } });
      expect(fis.commandCalls(fisCommand(StartExperimentCommand))[0].args[0].input).toMatchObject({
        experimentTemplateId: "EXT1",
        clientToken: report.runId,
        tags: { "resilient-edge:gameday-run": report.runId },
      });
      expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input.AlarmNames).toEqual([
        "gd-dlq-visible-messages",
      ]);
    } finally {
      await local.stop();
    }
  }, 60_000);

  it("reports a message deleted behind its back by its id, and exits 1", async () => {
    const injector = new FaultInjector({ kind: "delay", percentage: 30, delayMs: 20 }, (id) => /-(07|31)$/.test(id));
    mockExperiment(fis, cloudwatch, injector, 500);
    const local = await startLocalEnvironment(regional, dynamo.client, "gd-b", injector);
    try {
      const { code, report } = await runGameday(local.envDir, local.door.url, ["--requests", "40", "--no-redrive"]);
      expect(code).toBe(1);
      expect(report.reconciliation.missing).toEqual([`${report.runId}-07`, `${report.runId}-31`]);
      expect(report.reconciliation.processed).toBe(38);
      expect(report.clean).toBe(false);
    } finally {
      await local.stop();
    }
  }, 60_000);

  it("Ctrl-C stops the experiment (FIS StopExperiment) and still accounts for what was sent", async () => {
    const injector = new FaultInjector({ kind: "delay", percentage: 10, delayMs: 5 });
    // A long experiment: only the stop ends it.
    mockExperiment(fis, cloudwatch, injector, 60_000);
    const local = await startLocalEnvironment(regional, dynamo.client, "gd-c", injector);
    const controller = new AbortController();
    fis.on(fisCommand(StartExperimentCommand)).callsFake(() => {
      injector.start(60_000);
      setTimeout(() => controller.abort("SIGINT"), 200);
      return { experiment: { id: "EXP1", state: { status: "initiating" } } };
    });
    try {
      const { code, report } = await runGameday(
        local.envDir,
        local.door.url,
        ["--requests", "2000", "--rate", "100"],
        controller.signal,
      );
      expect(fis.commandCalls(fisCommand(StopExperimentCommand)).map((c) => c.args[0].input)).toEqual([{ id: "EXP1" }]);
      expect(report.experiment.state.status).toBe("stopped");
      // Sending stopped early; what was sent is accounted for.
      expect(report.sent).toBeLessThan(2000);
      expect(report.reconciliation).toMatchObject({ accepted: report.sent, processed: report.sent, missing: [] });
      expect(code).toBe(0);
    } finally {
      await local.stop();
    }
  }, 60_000);
});
