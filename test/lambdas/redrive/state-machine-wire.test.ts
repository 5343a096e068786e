/**
 * State machine (saga) targets redriven: the CLI as a whole process against fauxqs and a local StartExecution
 * stand-in (AWS_ENDPOINT_URL_SFN), and the engine under a lost StartExecution response: the original event is the
 * input, the execution's name comes from the redrive id, and a replay that already started is not started twice.
 */
import { redrive } from "../../../lambdas/redrive/engine/engine";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import type { StateMachinePort } from "../../../lambdas/redrive/ports/port";
import { SqsPort } from "../../../lambdas/redrive/ports/sqs-port";
import { type FakeTargets, startFakeTargets } from "./support/fake-targets";
import {
  ACCOUNT,
  awsEnv,
  CREDENTIALS,
  counts,
  createQueue,
  type Emulator,
  eventBridgeAttributes,
  REGION,
  seed,
  startEmulator,
  uniqueName,
  untilNoneInFlight,
} from "./support/fauxqs";
import { buildBundles, runCli, stderrJson } from "./support/processes";

const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:order-fulfilment`;
const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/order-placed`;
const event = (n: string) =>
  JSON.stringify({
    version: "0",
    id: `e-${n}`,
    "detail-type": "order.placed",
    source: "acme.orders",
    detail: { orderId: n },
  });

let emu: Emulator;
let fake: FakeTargets;
beforeAll(async () => {
  buildBundles();
  [emu, fake] = await Promise.all([startEmulator(), startFakeTargets()]);
});
afterAll(() => Promise.all([emu.stop(), fake.stop()]));

const attrs = (code: string) => eventBridgeAttributes({ ruleArn: RULE, targetArn: MACHINE, errorCode: code });

describe("state machine targets over the wire", () => {
  it("the CLI starts the machine with the original event, named by the redrive id, and empties the DLQ", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("sfn-dlq"));
    await seed(emu.sqs, dlq.url, [
      { body: event("o-1"), attributes: attrs("THROTTLING") },
      { body: event("o-2"), attributes: attrs("TIMEOUT") },
    ]);
    const env = awsEnv(emu.endpoint, { AWS_ENDPOINT_URL_SFN: fake.endpoint });
    const r = await runCli(["--queue-url", dlq.url, "--json", "--wait-seconds", "0", "--not-production"], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ received: 2, replayed: 2, failed: 0 });
    const started = fake.executions.filter((e) => e.stateMachineArn === MACHINE);
    expect(started.map((e) => e.input).sort()).toEqual([event("o-1"), event("o-2")]);
    const lines = stderrJson(r.stderr).filter((l) => l.outcome === "replayed");
    expect(started.map((e) => e.name).sort()).toEqual(lines.map((l) => `redrive-${l.redriveId}`).sort());
    expect(started.every((e) => /^redrive-[0-9a-f]{64}$/.test(e.name) && e.name.length <= 80)).toBe(true);
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("a StartExecution whose response was lost is retried, answered ExecutionAlreadyExists, and counted once", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("sfn-lost"));
    await seed(emu.sqs, dlq.url, [{ body: event("o-3"), attributes: attrs("TIMEOUT") }]);
    const names = new Set<string>();
    let lost = 0;
    const machines: StateMachinePort = {
      async startExecution(_arn, name) {
        if (names.has(name)) return "already-started";
        names.add(name);
        // The execution started, but the answer never came back.
        if (lost++ === 0) throw Object.assign(new Error("socket hang up"), { name: "TimeoutError", $retryable: {} });
        return "started";
      },
    };
    const port = new SqsPort({ client: { endpoint: emu.endpoint, region: REGION, credentials: CREDENTIALS } });
    try {
      const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, visibilityTimeout: 30 }), {
        port,
        machines,
        retry: { attempts: 4, baseDelayMs: 1 },
      });
      expect(summary).toMatchObject({ replayed: 1, failed: 0 });
    } finally {
      port.destroy();
    }
    expect(names.size).toBe(1);
    await untilNoneInFlight(emu.sqs, dlq.url);
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("without a Step Functions client the message stays, as unsupported-target", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("sfn-none"));
    await seed(emu.sqs, dlq.url, [{ body: event("o-4"), attributes: attrs("TIMEOUT") }]);
    const port = new SqsPort({ client: { endpoint: emu.endpoint, region: REGION, credentials: CREDENTIALS } });
    try {
      const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0 }), { port });
      expect(summary).toMatchObject({ replayed: 0, skipped: { "unsupported-target": 1 } });
    } finally {
      port.destroy();
    }
  });
});
