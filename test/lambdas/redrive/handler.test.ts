/** The built Lambda bundle (dist/lambdas/redrive/index.js) invoked in a fresh process against the emulator. */
import {
  ACCOUNT,
  counts,
  createQueue,
  drain,
  type Emulator,
  awsEnv,
  eventBridgeAttributes,
  REGION,
  seed,
  startEmulator,
  uniqueName,
} from "./support/fauxqs";
import { buildBundles, invokeBundle } from "./support/processes";

let emu: Emulator;
beforeAll(async () => {
  buildBundles();
  emu = await startEmulator();
});
afterAll(() => emu.stop());

const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`;

async function twoDlqs() {
  const target = await createQueue(emu.sqs, uniqueName("h-target"));
  const a = await createQueue(emu.sqs, uniqueName("h-dlq-a"));
  const b = await createQueue(emu.sqs, uniqueName("h-dlq-b"));
  await seed(emu.sqs, a.url, [
    { body: "a1", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "TIMEOUT" }) },
  ]);
  await seed(emu.sqs, b.url, [
    {
      body: "b1",
      attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "THROTTLING" }),
    },
  ]);
  const env = awsEnv(emu.endpoint, {
    REDRIVE_SOURCE_QUEUE_URLS: JSON.stringify([a.url, b.url]),
    REDRIVE_MAX_REDRIVES: "3",
    REDRIVE_CONCURRENCY: "2",
  });
  return { target, a, b, env };
}

describe("Lambda handler (built bundle)", () => {
  it("an empty event drains every DLQ the function serves; one JSON log line per message and a summary", async () => {
    const { target, a, b, env } = await twoDlqs();
    const out = await invokeBundle({}, env);
    expect(out.error).toBeUndefined();
    expect(out.result).toMatchObject({ queues: [a.url, b.url], received: 2, replayed: 2, failed: 0 });
    expect(out.logs.filter((l) => l.event === "redrive.message").map((l) => l.outcome)).toEqual([
      "replayed",
      "replayed",
    ]);
    expect(out.logs.find((l) => l.event === "redrive.summary")).toMatchObject({ replayed: 2 });
    expect((await drain(emu.sqs, target.url)).map((m) => m.Body).sort()).toEqual(["a1", "b1"]);
    // One embedded-metric-format record per DLQ (Powertools Metrics): what was redriven, for the dashboard.
    const emf = out.logs.filter((l) => l._aws);
    expect(emf.map((l) => [l.QueueName, l.Replayed, l.Failed, l.Skipped])).toEqual([
      [a.url.split("/").pop(), 1, 0, 0],
      [b.url.split("/").pop(), 1, 0, 0],
    ]);
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: "ResilientEdge/Redrive",
      Dimensions: [expect.arrayContaining(["QueueName"])],
      Metrics: expect.arrayContaining([
        { Name: "Replayed", Unit: "Count" },
        { Name: "Duration", Unit: "Milliseconds" },
      ]),
    });
  });

  it("the event takes the CLI's options: one queue, error-code filter, dry run", async () => {
    const { target, a, env } = await twoDlqs();
    const dry = await invokeBundle({ queueUrl: a.url, dryRun: true, errorCodes: ["TIMEOUT"] }, env);
    expect(dry.result).toMatchObject({ queues: [a.url], wouldReplay: 1, replayed: 0 });
    expect(await counts(emu.sqs, a.url)).toEqual({ visible: 1, inFlight: 0 });
    const filtered = await invokeBundle({ queueUrl: a.url, errorCodes: ["THROTTLING"] }, env);
    expect(filtered.result).toMatchObject({ replayed: 0, skipped: { "filtered-error-code": 1 } });
    expect(await counts(emu.sqs, target.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("rejects an event naming a queue it does not serve, or unknown fields, naming each", async () => {
    const { env } = await twoDlqs();
    const out = await invokeBundle(
      { queueUrl: "https://sqs.us-east-1.amazonaws.com/000000000000/other", maxMesages: 3, concurrency: 0 },
      env,
    );
    expect(out.error?.name).toBe("RedriveError");
    expect(out.error?.message).toMatch(/queueUrl: .* is not a DLQ this function serves/);
    expect(out.error?.message).toMatch(/maxMesages: unknown field/);
    expect(out.error?.message).toMatch(/concurrency: expected an integer from 1 to 64/);
  });

  it("fails the invocation when a replay failed, so the function's Errors alarm fires", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("h-fail"));
    await seed(emu.sqs, dlq.url, [
      {
        body: "x",
        attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:gone` }),
      },
    ]);
    const out = await invokeBundle({}, awsEnv(emu.endpoint, { REDRIVE_SOURCE_QUEUE_URLS: JSON.stringify([dlq.url]) }));
    expect(out.error?.message).toMatch(/1 failed/);
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 1, inFlight: 0 });
  });

  it("refuses an environment it does not understand (unknown or invalid REDRIVE_* variables)", async () => {
    const out = await invokeBundle(
      {},
      awsEnv(emu.endpoint, { REDRIVE_SOURCE_QUEUE_URLS: "[]", REDRIVE_MAX_REDRIVE: "3", REDRIVE_CONCURRENCY: "0" }),
    );
    expect(out.error?.message).toMatch(/REDRIVE_SOURCE_QUEUE_URLS: expected a JSON array of DLQ URLs/);
    expect(out.error?.message).toMatch(/REDRIVE_MAX_REDRIVE: unknown variable/);
    expect(out.error?.message).toMatch(/REDRIVE_CONCURRENCY: expected an integer from 1 to 64/);
  });
});
