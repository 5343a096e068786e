/**
 * Lambda and event-bus targets over the wire: the built Lambda bundle and the CLI, with the DLQ in
 * the SQS emulator and the targets' APIs served by a local stand-in (AWS_ENDPOINT_URL_LAMBDA /
 * AWS_ENDPOINT_URL_EVENTBRIDGE, as the SDK reads them).
 */
import {
  ACCOUNT,
  awsEnv,
  counts,
  createQueue,
  drain,
  type Emulator,
  eventBridgeAttributes,
  REGION,
  seed,
  startEmulator,
  uniqueName,
} from "./support/fauxqs";
import { type FakeTargets, startFakeTargets } from "./support/fake-targets";
import { buildBundles, invokeBundle, runCli, stderrJson } from "./support/processes";

let emu: Emulator;
let fake: FakeTargets;
beforeAll(async () => {
  buildBundles();
  [emu, fake] = await Promise.all([startEmulator(), startFakeTargets()]);
});
afterAll(async () => {
  await Promise.all([emu.stop(), fake.stop()]);
});

const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`;
const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:cancel-order`;
const BUS = `arn:aws:events:${REGION}:555555555555:event-bus/partner-orders`;
const event = (n: string) =>
  JSON.stringify({
    version: "0",
    id: `e-${n}`,
    "detail-type": "order.placed",
    source: "acme.orders",
    account: ACCOUNT,
    time: "2025-01-01T10:00:00Z",
    region: REGION,
    resources: [],
    detail: { n, note: "ünï ✓" },
  });

async function dlqWithTargets(tag: string) {
  const dlq = await createQueue(emu.sqs, uniqueName(`wire-${tag}`));
  const lambdaBody = ` ${event(`${tag}-f`)}\n`;
  await seed(emu.sqs, dlq.url, [
    { body: lambdaBody, attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: FN, errorCode: "TIMEOUT" }) },
    {
      body: event(`${tag}-b`),
      attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: BUS, errorCode: "THROTTLING" }),
    },
    { body: "not an event", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: BUS }) },
  ]);
  const env = awsEnv(emu.endpoint, {
    AWS_ENDPOINT_URL_LAMBDA: fake.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: fake.endpoint,
    REDRIVE_SOURCE_QUEUE_URLS: JSON.stringify([dlq.url]),
  });
  return { dlq, env, lambdaBody };
}

describe("Lambda and event-bus targets over the wire", () => {
  it("built bundle: invokes the function (Event, exact bytes), puts the event on the bus, logs the context; only the non-event stays", async () => {
    const { dlq, env, lambdaBody } = await dlqWithTargets("h");
    const out = await invokeBundle({}, env);
    expect(out.error).toBeUndefined();
    expect(out.result).toMatchObject({ received: 3, replayed: 2, skipped: { "not-an-event": 1 }, failed: 0 });
    const invoke = fake.invokes.find((i) => i.body.toString("utf8").includes('"h-f"'))!;
    expect(invoke).toMatchObject({ functionName: FN, invocationType: "Event" });
    expect(invoke.body.toString("hex")).toBe(Buffer.from(lambdaBody, "utf8").toString("hex"));
    expect(fake.putEvents.find((e) => String(e.Detail).includes('"h-b"'))).toEqual({
      EventBusName: BUS,
      Source: "acme.orders",
      DetailType: "order.placed",
      Detail: JSON.stringify({ n: "h-b", note: "ünï ✓" }),
      Resources: [],
      Time: Date.parse("2025-01-01T10:00:00Z") / 1000,
    });
    const replayed = out.logs.filter((l) => l.event === "redrive.message" && l.outcome === "replayed");
    expect(replayed.map((l) => [l.destination, l.context?.targetArn, l.context?.redriveCount]).sort()).toEqual([
      [BUS, BUS, 1],
      [FN, FN, 1],
    ]);
    expect((await drain(emu.sqs, dlq.url)).map((m) => m.Body)).toEqual(["not an event"]);
  });

  it("CLI: a dry run calls neither API; the real run replays, and an entry PutEvents rejects stays in the DLQ (exit 1)", async () => {
    const { dlq, env } = await dlqWithTargets("c");
    const before = { invokes: fake.invokes.length, puts: fake.putEvents.length };
    const dry = await runCli(
      ["--queue-url", dlq.url, "--dry-run", "--json", "--wait-seconds", "0", "--not-production"],
      env,
    );
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ wouldReplay: 2, skipped: { "not-an-event": 1 } });
    expect(
      stderrJson(dry.stderr)
        .filter((l) => l.outcome === "would-replay")
        .every((l) => l.context?.redriveId),
    ).toBe(true);
    expect({ invokes: fake.invokes.length, puts: fake.putEvents.length }).toEqual(before);
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 3, inFlight: 0 });

    fake.rejectDetail = /"c-b"/;
    try {
      const r = await runCli(["--queue-url", dlq.url, "--json", "--wait-seconds", "0", "--not-production"], env);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({
        received: 3,
        replayed: 1,
        failed: 1,
        skipped: { "not-an-event": 1 },
      });
      expect(stderrJson(r.stderr).find((l) => l.outcome === "failed")).toMatchObject({
        destination: BUS,
        error: "MalformedDetail: rejected by the test",
      });
    } finally {
      fake.rejectDetail = undefined;
    }
    expect(fake.invokes.filter((i) => i.body.toString("utf8").includes('"c-f"'))).toHaveLength(1);
    expect((await drain(emu.sqs, dlq.url)).map((m) => m.Body).sort()).toEqual([event("c-b"), "not an event"].sort());
  });
});
