/**
 * Lambda on-failure records over the wire: a function's on-failure destination queue in the SQS
 * emulator, drained by the built Lambda bundle and the CLI, replaying each record's requestPayload
 * to the function through a local stand-in of the Lambda Invoke API (AWS_ENDPOINT_URL_LAMBDA).
 */
import {
  ACCOUNT,
  awsEnv,
  createQueue,
  drain,
  type Emulator,
  REGION,
  seed,
  startEmulator,
  uniqueName,
} from "./support/fauxqs";
import { type FakeTargets, startFakeTargets } from "./support/fake-targets";
import { buildBundles, invokeBundle, jsonLines, runCli } from "./support/processes";

let emu: Emulator;
let fake: FakeTargets;
beforeAll(async () => {
  buildBundles();
  [emu, fake] = await Promise.all([startEmulator(), startFakeTargets()]);
});
afterAll(async () => {
  await Promise.all([emu.stop(), fake.stop()]);
});

const FN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:cancel-order`;
/** The event as Lambda wrote it into the record: a big integer and an escape that a re-serialization would change. */
const payload = (tag: string) =>
  `{"orderId": 98765432109876543210, "tag": "${tag}", "note": "\\u00fcn\\u00ef \\u2713"}`;
/** An on-failure record as Lambda sends it to an SQS destination (no message attributes). */
const failureRecord = (tag: string, condition: string, errorType: string) =>
  `{"version":"1.0","timestamp":"2025-01-02T03:00:00.000Z","requestContext":{"requestId":"req-${tag}","functionArn":"${FN}:$LATEST","condition":"${condition}","approximateInvokeCount":3},"requestPayload":${payload(tag)},"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"responsePayload":{"errorMessage":"order ${tag} is locked","errorType":"${errorType}","stackTrace":[]}}`;

async function destinationQueue(tag: string) {
  const queue = await createQueue(emu.sqs, uniqueName(`onfail-${tag}`));
  await seed(emu.sqs, queue.url, [
    { body: failureRecord(`${tag}-1`, "RetriesExhausted", "OrderLockedError") },
    { body: failureRecord(`${tag}-2`, "EventAgeExceeded", "Sandbox.Timedout") },
  ]);
  const env = awsEnv(emu.endpoint, {
    AWS_ENDPOINT_URL_LAMBDA: fake.endpoint,
    REDRIVE_SOURCE_QUEUE_URLS: JSON.stringify([queue.url]),
  });
  return { queue, env };
}
const invokesOf = (tag: string) => fake.invokes.filter((i) => i.body.toString("utf8").includes(`"tag": "${tag}`));

describe("Lambda on-failure records over the wire", () => {
  it("built bundle: invokes the function (Event) with each record's requestPayload, byte for byte, logs the failure as the context, empties the queue", async () => {
    const { queue, env } = await destinationQueue("h");
    const out = await invokeBundle({}, env);
    expect(out.error).toBeUndefined();
    expect(out.result).toMatchObject({
      received: 2,
      replayed: 2,
      failed: 0,
      byErrorCode: { OrderLockedError: 1, "Sandbox.Timedout": 1 },
    });
    const invokes = invokesOf("h");
    expect(invokes.map((i) => [i.functionName, i.invocationType])).toEqual([
      [FN, "Event"],
      [FN, "Event"],
    ]);
    expect(invokes.map((i) => i.body.toString("hex")).sort()).toEqual(
      [payload("h-1"), payload("h-2")].map((p) => Buffer.from(p, "utf8").toString("hex")).sort(),
    );
    const replayed = out.logs.filter((l) => l.event === "redrive.message" && l.outcome === "replayed");
    expect(replayed.map((l) => l.context).sort((a, b) => a.errorCode.localeCompare(b.errorCode))).toEqual([
      expect.objectContaining({
        errorCode: "OrderLockedError",
        errorMessage: "order h-1 is locked",
        exhaustedRetryCondition: "RetriesExhausted",
        retryAttempts: 2,
        invokeCount: 3,
        targetArn: FN,
        ruleArn: null,
        sourceQueueArn: queue.arn,
      }),
      expect.objectContaining({
        errorCode: "Sandbox.Timedout",
        errorMessage: "order h-2 is locked",
        exhaustedRetryCondition: "EventAgeExceeded",
        invokeCount: 3,
        targetArn: FN,
      }),
    ]);
    expect(replayed.every((l) => l.destination === FN)).toBe(true);
    expect(await drain(emu.sqs, queue.url)).toEqual([]);
  });

  it("CLI: --error-code selects by condition, --target-arn by function; the rest stays in the queue", async () => {
    const { queue, env } = await destinationQueue("c");
    const args = ["--queue-url", queue.url, "--json", "--wait-seconds", "0", "--not-production"];
    const r = await runCli([...args, "--error-code", "EventAgeExceeded", "--target-arn", FN], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ received: 2, replayed: 1, skipped: { "filtered-error-code": 1 } });
    expect(jsonLines(r.stderr).find((l) => l.outcome === "replayed")).toMatchObject({
      errorCode: "Sandbox.Timedout",
      targetArn: FN,
      destination: FN,
    });
    expect(invokesOf("c").map((i) => i.body.toString("utf8"))).toEqual([payload("c-2")]);
    const left = await drain(emu.sqs, queue.url);
    expect(left.map((m) => m.Body)).toEqual([failureRecord("c-1", "RetriesExhausted", "OrderLockedError")]);
  });
});
