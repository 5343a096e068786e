/** The engine over the real SQS wire protocol (AWS SDK v3 against the fauxqs emulator). */
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { messageSize, prepareReplay, readDeadLetterInfo } from "../../../lambdas/redrive/engine/decide";
import { redrive, succeeded } from "../../../lambdas/redrive/engine/engine";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import { SqsPort } from "../../../lambdas/redrive/ports/sqs-port";
import {
  ACCOUNT,
  contextOf,
  counts,
  createQueue,
  CREDENTIALS,
  drain,
  type Emulator,
  eventBridgeAttributes,
  peek,
  REGION,
  seed,
  startEmulator,
  uniqueName,
} from "./support/fauxqs";

let emu: Emulator;
let port: SqsPort;
beforeAll(async () => {
  emu = await startEmulator();
  port = new SqsPort({ client: { endpoint: emu.endpoint, region: REGION, credentials: CREDENTIALS } });
});
afterAll(async () => {
  port.destroy();
  await emu.stop();
});

const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-placed`;
const run = (extra: Record<string, unknown>) =>
  redrive(validateOptions({ waitTimeSeconds: 0, concurrency: 4, ...extra }), {
    port,
    retry: { attempts: 4, baseDelayMs: 5 },
  });

describe("redrive over SQS (fauxqs)", () => {
  it("replays EventBridge DLQ messages to their target queue: body byte for byte, other attributes unchanged, context exact", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("eb-dlq"));
    const target = await createQueue(emu.sqs, uniqueName("orders"));
    const body = `${JSON.stringify({ "detail-type": "OrderPlaced", detail: { id: 42, note: "  spaced \t tab, ünïcödé ✓ " } })}\n`;
    await seed(emu.sqs, dlq.url, [
      {
        body,
        attributes: {
          ...eventBridgeAttributes({
            ruleArn: RULE,
            targetArn: target.arn,
            errorCode: "TIMEOUT",
            errorMessage: "timed out",
            exhausted: "MaximumEventAgeInSeconds",
            attempts: 12,
          }),
          tenant: { DataType: "String", StringValue: "acme" },
          weight: { DataType: "Number", StringValue: "1.5" },
          raw: { DataType: "Binary", BinaryValue: new Uint8Array([0, 159, 146, 150]) },
        },
      },
    ]);
    const [sent] = await peek(emu.sqs, dlq.url);
    const before = Date.now();
    const summary = await run({ queueUrl: dlq.url });
    expect(summary).toMatchObject({ received: 1, replayed: 1, failed: 0, byErrorCode: { TIMEOUT: 1 } });
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });

    const [replayed] = await drain(emu.sqs, target.url);
    expect(replayed.Body).toBe(body);
    expect(Object.keys(replayed.MessageAttributes!).sort()).toEqual(["raw", "redrive-context", "tenant", "weight"]);
    expect(replayed.MessageAttributes!.tenant).toMatchObject({ DataType: "String", StringValue: "acme" });
    expect(replayed.MessageAttributes!.weight).toMatchObject({ DataType: "Number", StringValue: "1.5" });
    expect(Buffer.from(replayed.MessageAttributes!.raw.BinaryValue!)).toEqual(Buffer.from([0, 159, 146, 150]));
    const ctx = contextOf(replayed);
    expect(ctx).toEqual({
      errorCode: "TIMEOUT",
      errorMessage: "timed out",
      exhaustedRetryCondition: "MaximumEventAgeInSeconds",
      retryAttempts: 12,
      ruleArn: RULE,
      targetArn: target.arn,
      sourceQueueArn: dlq.arn,
      originalMessageId: sent.MessageId,
      dlqMessageId: sent.MessageId,
      deadLetteredAt: new Date(Number(sent.Attributes!.SentTimestamp)).toISOString(),
      redriveCount: 1,
      redrivenAt: expect.any(String),
      redriveId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Date.parse(ctx.redrivenAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("unroutable and poison messages stay in the DLQ and are reported; routable ones go", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("mixed-dlq"));
    const target = await createQueue(emu.sqs, uniqueName("target"));
    const poison = { DataType: "String", StringValue: JSON.stringify({ redriveCount: 3, originalMessageId: "m0" }) };
    await seed(emu.sqs, dlq.url, [
      { body: "ok", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn }) },
      { body: "no-target" },
      {
        body: "sns",
        attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: `arn:aws:sns:${REGION}:${ACCOUNT}:notify` }),
      },
      {
        body: "poison",
        attributes: { ...eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn }), "redrive-context": poison },
      },
    ]);
    const summary = await run({ queueUrl: dlq.url });
    expect(summary).toMatchObject({
      received: 4,
      replayed: 1,
      skipped: { "no-destination": 1, "unsupported-target": 1, "max-redrives-reached": 1 },
      failed: 0,
    });
    expect((await drain(emu.sqs, dlq.url)).map((m) => m.Body).sort()).toEqual(["no-target", "poison", "sns"]);
    expect((await drain(emu.sqs, target.url)).map((m) => m.Body)).toEqual(["ok"]);
  });

  it("filters by error code, rule ARN and target ARN; the others stay in the DLQ", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("filter-dlq"));
    const a = await createQueue(emu.sqs, uniqueName("a"));
    const b = await createQueue(emu.sqs, uniqueName("b"));
    const other = `arn:aws:events:${REGION}:${ACCOUNT}:rule/other`;
    await seed(emu.sqs, dlq.url, [
      {
        body: "a-timeout",
        attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: a.arn, errorCode: "TIMEOUT" }),
      },
      {
        body: "a-throttled",
        attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: a.arn, errorCode: "THROTTLING" }),
      },
      {
        body: "a-other-rule",
        attributes: eventBridgeAttributes({ ruleArn: other, targetArn: a.arn, errorCode: "TIMEOUT" }),
      },
      {
        body: "b-timeout",
        attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: b.arn, errorCode: "TIMEOUT" }),
      },
    ]);
    const summary = await run({ queueUrl: dlq.url, errorCodes: ["TIMEOUT"], ruleArn: RULE, targetArn: a.arn });
    expect(summary).toMatchObject({
      replayed: 1,
      skipped: { "filtered-error-code": 1, "filtered-rule-arn": 1, "filtered-target-arn": 1 },
    });
    expect((await drain(emu.sqs, a.url)).map((m) => m.Body)).toEqual(["a-timeout"]);
    expect((await drain(emu.sqs, dlq.url)).map((m) => m.Body).sort()).toEqual([
      "a-other-rule",
      "a-throttled",
      "b-timeout",
    ]);
  });

  it("dry run leaves the DLQ unchanged and every message visible again at once", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("dry-dlq"));
    const target = await createQueue(emu.sqs, uniqueName("dry-target"));
    await seed(
      emu.sqs,
      dlq.url,
      Array.from({ length: 35 }, (_, i) => ({
        body: `e${i}`,
        attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn }),
      })),
    );
    const summary = await run({ queueUrl: dlq.url, dryRun: true, visibilityTimeout: 600 });
    expect(summary).toMatchObject({ dryRun: true, received: 35, wouldReplay: 35, replayed: 0 });
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 35, inFlight: 0 });
    expect(await counts(emu.sqs, target.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("plain SQS DLQ with an explicit destination; a FIFO destination gets group and deduplication ids", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("plain-dlq"));
    const fifo = await createQueue(emu.sqs, uniqueName("dest", true), { FifoQueue: "true" });
    await seed(emu.sqs, dlq.url, [
      { body: "one", attributes: { kind: { DataType: "String", StringValue: "k" } } },
      { body: "two" },
    ]);
    const summary = await run({ queueUrl: dlq.url, to: fifo.url, fifoGroupId: "replays" });
    expect(summary).toMatchObject({ replayed: 2 });
    const got = await drain(emu.sqs, fifo.url);
    expect(got.map((m) => m.Body).sort()).toEqual(["one", "two"]);
    for (const m of got) {
      expect(m.Attributes!.MessageGroupId).toBe("replays");
      expect(m.Attributes!.MessageDeduplicationId).toBe(contextOf(m).redriveId);
    }
  });

  it("FIFO source to FIFO destination keeps each message's group", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("fifo-dlq", true), { FifoQueue: "true" });
    const dest = await createQueue(emu.sqs, uniqueName("fifo-dest", true), { FifoQueue: "true" });
    await seed(emu.sqs, dlq.url, [
      { body: "a1", groupId: "a", dedupId: "1" },
      { body: "b1", groupId: "b", dedupId: "2" },
    ]);
    await run({ queueUrl: dlq.url, to: dest.url });
    const got = await drain(emu.sqs, dest.url);
    expect(Object.fromEntries(got.map((m) => [m.Body, m.Attributes!.MessageGroupId]))).toEqual({ a1: "a", b1: "b" });
  });

  it("attribute limit and size limit once the redrive-context is added: such messages stay in the DLQ and are failures (non-zero exit)", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("limits-dlq"));
    const small = await createQueue(emu.sqs, uniqueName("small"), { MaximumMessageSize: "2048" });
    const tenAttributes = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }]),
    );
    await seed(emu.sqs, dlq.url, [
      { body: "ten-attributes", attributes: tenAttributes },
      { body: "x".repeat(1900) },
      { body: "fits" },
    ]);
    const summary = await run({ queueUrl: dlq.url, to: small.url });
    expect(summary).toMatchObject({ replayed: 1, skipped: {}, failed: 2 });
    expect(succeeded(summary)).toBe(false);
    const left = await drain(emu.sqs, dlq.url);
    expect(left.map((m) => m.Body!.slice(0, 14)).sort()).toEqual(["ten-attributes", "x".repeat(14)]);
    expect((await drain(emu.sqs, small.url)).map((m) => m.Body)).toEqual(["fits"]);
  });

  it("size limit at the exact boundary: a replay of exactly the destination's maximum goes, one byte more stays", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("edge-dlq"));
    await seed(emu.sqs, dlq.url, [
      { body: "y".repeat(1500), attributes: { tenant: { DataType: "String", StringValue: "acme" } } },
    ]);
    const [m] = await peek(emu.sqs, dlq.url);
    // The size the replay will have (only redrivenAt differs between runs, and its length is fixed).
    const msg = {
      messageId: m.MessageId!,
      receiptHandle: "",
      body: m.Body!,
      attributes: m.Attributes as Record<string, string>,
      messageAttributes: m.MessageAttributes as never,
    };
    const read = readDeadLetterInfo(msg);
    if ("error" in read) throw new Error(read.error);
    const p = prepareReplay(
      msg,
      read.info,
      { kind: "sqs", queueUrl: "", queueArn: "", fifo: false, maxMessageSize: 1_048_576 },
      { sourceQueueArn: dlq.arn, now: new Date(), fifoGroupId: "g" },
    );
    if (p.action !== "replay") throw new Error(p.detail);
    const size = messageSize(p.entry.body, p.entry.messageAttributes);

    const tight = await createQueue(emu.sqs, uniqueName("edge-tight"), { MaximumMessageSize: String(size - 1) });
    expect(await run({ queueUrl: dlq.url, to: tight.url })).toMatchObject({ replayed: 0, failed: 1, skipped: {} });
    // The emulator checks the size itself: had the engine counted low, this send would fail.
    const exact = await createQueue(emu.sqs, uniqueName("edge-exact"), { MaximumMessageSize: String(size) });
    expect(await run({ queueUrl: dlq.url, to: exact.url })).toMatchObject({ replayed: 1, failed: 0 });
    expect((await drain(emu.sqs, exact.url)).map((x) => x.Body)).toEqual([m.Body]);
  });

  it("large messages: ten of ~120 KB (over 1 MiB together) are sent in batches SQS accepts, none fails", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("big-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("big-to"), { MaximumMessageSize: "1048576" });
    const bodies = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(120_000, "z"));
    await Promise.all(bodies.map((body) => seed(emu.sqs, dlq.url, [{ body }])));
    const summary = await run({ queueUrl: dlq.url, to: to.url, concurrency: 1 });
    expect(summary).toMatchObject({ received: 10, replayed: 10, failed: 0 });
    expect((await drain(emu.sqs, to.url)).map((x) => x.Body).sort()).toEqual([...bodies].sort());
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("a message redriven before carries redriveCount + 1 and the first originalMessageId", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("again-dlq"));
    const target = await createQueue(emu.sqs, uniqueName("again"));
    const prior = {
      DataType: "String",
      StringValue: JSON.stringify({ redriveCount: 2, originalMessageId: "first-id", redriveId: "old" }),
    };
    await seed(emu.sqs, dlq.url, [{ body: "again", attributes: { "redrive-context": prior } }]);
    await run({ queueUrl: dlq.url, to: target.url });
    const [m] = await drain(emu.sqs, target.url);
    expect(contextOf(m)).toMatchObject({ redriveCount: 3, originalMessageId: "first-id" });
  });

  it("resolves the destination from TARGET_ARN with GetQueueUrl and the ARN's account", async () => {
    const spy = jest.spyOn(port, "queueUrl");
    const dlq = await createQueue(emu.sqs, uniqueName("arn-dlq"));
    const target = await createQueue(emu.sqs, uniqueName("arn-target"));
    await seed(emu.sqs, dlq.url, [
      { body: "x", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn }) },
    ]);
    await run({ queueUrl: dlq.url });
    expect(spy).toHaveBeenCalledWith(target.arn.split(":")[5], ACCOUNT, REGION);
    spy.mockRestore();
    const got = await emu.sqs.send(new ReceiveMessageCommand({ QueueUrl: target.url, WaitTimeSeconds: 0 }));
    expect(got.Messages).toHaveLength(1);
  });
});

describe("SqsPort clients", () => {
  it("signs each call for the region its queue URL names (a destination in another region), unless an endpoint is configured", async () => {
    const regions: string[] = [];
    const send = jest.spyOn(SQSClient.prototype, "send").mockImplementation(async function (this: SQSClient) {
      regions.push(await this.config.region());
      return {
        Successful: [],
        Failed: [],
        Messages: [],
        Attributes: { QueueArn: "arn:aws:sqs:eu-west-1:111111111111:q" },
      } as never;
    });
    const aws = new SqsPort({ client: { region: "us-east-1", credentials: CREDENTIALS } });
    const emulated = new SqsPort({
      client: { region: "us-east-1", credentials: CREDENTIALS, endpoint: "http://127.0.0.1:1" },
    });
    try {
      await aws.send("https://sqs.eu-west-1.amazonaws.com/111111111111/q", []);
      await aws.receive("https://sqs.us-east-1.amazonaws.com/111111111111/dlq", 10, 30, 0);
      await aws.describe("https://ap-south-1.queue.amazonaws.com/111111111111/q");
      await emulated.send("https://sqs.eu-west-1.amazonaws.com/111111111111/q", []);
      expect(regions).toEqual(["eu-west-1", "us-east-1", "ap-south-1", "us-east-1"]);
    } finally {
      send.mockRestore();
      aws.destroy();
      emulated.destroy();
    }
  });
});
