import {
  classify,
  CONTEXT_ATTRIBUTE,
  MAX_ASYNC_PAYLOAD,
  MAX_PUT_EVENTS_ENTRY,
  messageSize,
  prepareInvoke,
  preparePutEvent,
  prepareReplay,
  putEventsEntrySize,
  readDeadLetterInfo,
  redriveIdOf,
} from "../../../lambdas/redrive/engine/decide";
import type {
  AttributeValue,
  BusDestination,
  DlqMessage,
  FunctionDestination,
  QueueDestination,
} from "../../../lambdas/redrive/engine/model";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import { ebAttributes } from "./support/memory-port";

const TARGET = "arn:aws:sqs:eu-west-1:222222222222:orders";
const DLQ = "https://sqs.eu-west-1.amazonaws.com/111111111111/orders-dlq";
const options = (extra: Record<string, unknown> = {}) => validateOptions({ queueUrl: DLQ, ...extra });
const dest: QueueDestination = {
  kind: "sqs",
  queueUrl: "https://sqs.eu-west-1.amazonaws.com/222222222222/orders",
  queueArn: TARGET,
  fifo: false,
  maxMessageSize: 262_144,
};

function message(
  attrs: Record<string, AttributeValue>,
  body = '{"detail":{"id":1}}',
  system: Record<string, string> = {},
): DlqMessage {
  return {
    messageId: "dlq-1",
    receiptHandle: "rh",
    body,
    attributes: { SentTimestamp: "1700000000000", ...system },
    messageAttributes: attrs,
  };
}
const ctx = {
  sourceQueueArn: "arn:aws:sqs:eu-west-1:111111111111:orders-dlq",
  now: new Date("2025-01-02T03:04:05Z"),
  fifoGroupId: "redrive",
};

describe("classify", () => {
  it("routes an EventBridge DLQ message to the SQS queue named by TARGET_ARN, keeping the ARN's account and region", () => {
    const c = classify(message(ebAttributes(TARGET)), options());
    expect(c).toMatchObject({
      action: "route",
      route: { kind: "sqs", arn: { account: "222222222222", region: "eu-west-1", resource: "orders" } },
    });
  });

  it("an explicit destination overrides TARGET_ARN and serves plain SQS DLQs", () => {
    const to = "https://sqs.eu-west-1.amazonaws.com/111111111111/replay";
    expect(classify(message(ebAttributes(TARGET)), options({ to }))).toMatchObject({
      action: "route",
      route: { kind: "queue-url", queueUrl: to },
    });
    expect(classify(message({}), options({ to }))).toMatchObject({
      action: "route",
      route: { kind: "queue-url", queueUrl: to },
    });
  });

  it("a message with no destination is skipped as no-destination", () => {
    expect(classify(message({}), options())).toMatchObject({ action: "skip", reason: "no-destination" });
  });

  it.each([
    ["lambda", "arn:aws:lambda:eu-west-1:111111111111:function:notify", "notify"],
    ["lambda", "arn:aws:lambda:eu-west-1:111111111111:function:notify:live", "qualified"],
    ["lambda", "arn:aws:lambda:us-east-2:222222222222:function:notify:$LATEST", "$LATEST"],
    ["event-bus", "arn:aws:events:eu-west-1:555555555555:event-bus/partner-orders", "cross-account"],
    ["event-bus", "arn:aws:events:eu-west-1:111111111111:event-bus/aws.partner/saas.com/123/orders", "partner"],
    ["step-functions", "arn:aws:states:eu-west-1:111111111111:stateMachine:orders", "saga"],
  ])("routes a %s target (%s ARN, %s) by its ARN, region included", (kind, arn) => {
    const c = classify(message(ebAttributes(arn)), options());
    expect(c).toMatchObject({ action: "route", route: { kind, arn: { raw: arn, region: arn.split(":")[3] } } });
  });

  it.each([
    ["an SNS topic", "arn:aws:sns:eu-west-1:111111111111:notify"],
    ["a state machine execution", "arn:aws:states:eu-west-1:111111111111:execution:orders:e-1"],
    ["a Lambda layer", "arn:aws:lambda:eu-west-1:111111111111:layer:tools:1"],
    ["an event rule", "arn:aws:events:eu-west-1:111111111111:rule/orders"],
  ])("%s target is skipped as unsupported-target", (_, arn) => {
    expect(classify(message(ebAttributes(arn)), options())).toMatchObject({
      action: "skip",
      reason: "unsupported-target",
    });
  });

  it("--to overrides a Lambda or event-bus TARGET_ARN too", () => {
    const to = "https://sqs.eu-west-1.amazonaws.com/111111111111/replay";
    expect(
      classify(message(ebAttributes("arn:aws:lambda:eu-west-1:111111111111:function:notify")), options({ to })),
    ).toMatchObject({ route: { kind: "queue-url" } });
  });

  it("filters by error code, rule ARN and target ARN", () => {
    const m = message(ebAttributes(TARGET, "TIMEOUT"));
    expect(classify(m, options({ errorCodes: ["THROTTLING"] }))).toMatchObject({
      action: "skip",
      reason: "filtered-error-code",
    });
    expect(classify(m, options({ errorCodes: ["THROTTLING", "TIMEOUT"] }))).toMatchObject({ action: "route" });
    expect(classify(message({}), options({ errorCodes: ["TIMEOUT"] }))).toMatchObject({
      action: "skip",
      reason: "filtered-error-code",
    });
    expect(classify(m, options({ ruleArn: "arn:aws:events:eu-west-1:111111111111:rule/other" }))).toMatchObject({
      action: "skip",
      reason: "filtered-rule-arn",
    });
    expect(classify(m, options({ targetArn: "arn:aws:sqs:eu-west-1:222222222222:other" }))).toMatchObject({
      action: "skip",
      reason: "filtered-target-arn",
    });
    expect(classify(m, options({ targetArn: TARGET }))).toMatchObject({ action: "route" });
  });

  it("poison cap: a message whose redriveCount reached the maximum is skipped", () => {
    const prior = (n: number) => ({
      ...ebAttributes(TARGET),
      [CONTEXT_ATTRIBUTE]: {
        DataType: "String",
        StringValue: JSON.stringify({ redriveCount: n, originalMessageId: "first" }),
      },
    });
    expect(classify(message(prior(3)), options())).toMatchObject({ action: "skip", reason: "max-redrives-reached" });
    expect(classify(message(prior(2)), options())).toMatchObject({ action: "route" });
    expect(classify(message(prior(2)), options({ maxRedrives: 2 }))).toMatchObject({
      action: "skip",
      reason: "max-redrives-reached",
    });
  });

  it("an unreadable redrive-context fails (left in place) rather than resetting the count", () => {
    const m = message({ [CONTEXT_ATTRIBUTE]: { DataType: "String", StringValue: "not json" } });
    expect(classify(m, options({ to: dest.queueUrl }))).toMatchObject({ action: "fail" });
    expect(readDeadLetterInfo(m)).toHaveProperty("error");
  });
});

describe("prepareReplay", () => {
  const info = (m: DlqMessage) => {
    const r = readDeadLetterInfo(m);
    if ("error" in r) throw new Error(r.error);
    return r.info;
  };

  it("keeps the body and the non-EventBridge attributes, and adds redrive-context with the error context", () => {
    const binary = new Uint8Array([0, 1, 2, 255]);
    const m = message(
      {
        ...ebAttributes(TARGET, "TIMEOUT"),
        tenant: { DataType: "String", StringValue: "acme" },
        blob: { DataType: "Binary", BinaryValue: binary },
      },
      "  body ✓ \n",
    );
    const p = prepareReplay(m, info(m), dest, ctx);
    if (p.action !== "replay") throw new Error(p.detail);
    expect(p.entry.body).toBe("  body ✓ \n");
    expect(Object.keys(p.entry.messageAttributes).sort()).toEqual(["blob", CONTEXT_ATTRIBUTE, "tenant"]);
    expect(p.entry.messageAttributes.blob.BinaryValue).toBe(binary);
    expect(JSON.parse(p.entry.messageAttributes[CONTEXT_ATTRIBUTE].StringValue!)).toEqual({
      errorCode: "TIMEOUT",
      errorMessage: "boom",
      exhaustedRetryCondition: "MaximumRetryAttempts",
      retryAttempts: 3,
      ruleArn: "arn:aws:events:eu-west-1:111111111111:rule/orders/placed",
      targetArn: TARGET,
      sourceQueueArn: ctx.sourceQueueArn,
      originalMessageId: "dlq-1",
      dlqMessageId: "dlq-1",
      deadLetteredAt: "2023-11-14T22:13:20.000Z",
      redriveCount: 1,
      redrivenAt: "2025-01-02T03:04:05.000Z",
      redriveId: redriveIdOf("dlq-1", 1),
    });
    expect(p.entry.messageGroupId).toBeUndefined();
  });

  it("a second redrive increments redriveCount, keeps originalMessageId, and gets a new stable redriveId", () => {
    const m = message({
      [CONTEXT_ATTRIBUTE]: {
        DataType: "String",
        StringValue: JSON.stringify({ redriveCount: 1, originalMessageId: "first" }),
      },
    });
    const p = prepareReplay(m, info(m), dest, ctx);
    expect(p.context).toMatchObject({
      redriveCount: 2,
      originalMessageId: "first",
      dlqMessageId: "dlq-1",
      redriveId: redriveIdOf("first", 2, "dlq-1"),
      errorCode: null,
    });
    expect(prepareReplay(m, info(m), dest, { ...ctx, now: new Date() }).context.redriveId).toBe(p.context.redriveId);
    expect(redriveIdOf("first", 2, "dlq-1")).not.toBe(redriveIdOf("first", 1, "dlq-1"));
    // Another DLQ message carrying a copy of the same context is another message: another id.
    const copy = { ...m, messageId: "dlq-2" };
    expect(prepareReplay(copy, info(copy), dest, ctx).context.redriveId).not.toBe(p.context.redriveId);
  });

  it("FIFO destination: the original MessageGroupId, else the configured one, and the redriveId as deduplication id", () => {
    const fifo = { ...dest, fifo: true };
    const grouped = message({}, "b", { MessageGroupId: "customer-7" });
    const p1 = prepareReplay(grouped, info(grouped), fifo, ctx);
    expect(p1).toMatchObject({
      action: "replay",
      entry: { messageGroupId: "customer-7", messageDeduplicationId: p1.context.redriveId },
    });
    const plain = message({});
    expect(prepareReplay(plain, info(plain), fifo, { ...ctx, fifoGroupId: "replays" })).toMatchObject({
      entry: { messageGroupId: "replays" },
    });
  });

  it("too many attributes: 10 originals plus redrive-context stay in the DLQ; 9 plus context replay", () => {
    const attrs = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "x" }]));
    const ten = message(attrs(10));
    expect(prepareReplay(ten, info(ten), dest, ctx)).toMatchObject({ action: "skip", reason: "too-many-attributes" });
    const nine = message(attrs(9));
    expect(prepareReplay(nine, info(nine), dest, ctx)).toMatchObject({ action: "replay" });
  });

  it("message size is counted as SQS counts it: body plus each attribute's name, data type and value, in UTF-8 bytes", () => {
    // "héllo" 6 bytes; "a"+"String"+"xy" 9; "bb"+"Binary"+3 bytes 11; "n"+"Number.int"+"12" 13.
    const attrs: Record<string, AttributeValue> = {
      a: { DataType: "String", StringValue: "xy" },
      bb: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
      n: { DataType: "Number.int", StringValue: "12" },
    };
    expect(messageSize("héllo", attrs)).toBe(6 + 9 + 11 + 13);
    expect(messageSize("", {})).toBe(0);
  });

  it("too large: the message plus its context must fit the destination's maximum size", () => {
    const m = message(ebAttributes(TARGET), "x".repeat(1000));
    const p = prepareReplay(m, info(m), { ...dest, maxMessageSize: 100_000 }, ctx);
    if (p.action !== "replay") throw new Error("expected replay");
    const size = messageSize(p.entry.body, p.entry.messageAttributes);
    expect(prepareReplay(m, info(m), { ...dest, maxMessageSize: size }, ctx).action).toBe("replay");
    expect(prepareReplay(m, info(m), { ...dest, maxMessageSize: size - 1 }, ctx)).toMatchObject({
      action: "skip",
      reason: "too-large",
    });
  });
});

describe("prepareInvoke and preparePutEvent (Lambda and event-bus targets)", () => {
  const FN = "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order";
  const BUS = "arn:aws:events:eu-west-1:555555555555:event-bus/partner-orders";
  const fn: FunctionDestination = {
    kind: "lambda",
    functionArn: FN,
    region: "eu-west-1",
    maxPayloadSize: MAX_ASYNC_PAYLOAD,
  };
  const bus: BusDestination = {
    kind: "event-bus",
    busArn: BUS,
    region: "eu-west-1",
    maxEntrySize: MAX_PUT_EVENTS_ENTRY,
  };
  const info = (m: DlqMessage) => {
    const r = readDeadLetterInfo(m);
    if ("error" in r) throw new Error(r.error);
    return r.info;
  };
  const event = {
    version: "0",
    id: "e-1",
    "detail-type": "order.placed",
    source: "acme.orders",
    account: "111111111111",
    time: "2025-01-01T10:00:00Z",
    region: "eu-west-1",
    resources: ["arn:aws:s3:::orders/1"],
    detail: { id: 42, note: "ünïcödé ✓" },
  };

  it("a Lambda payload is the body's UTF-8 bytes unchanged; the context (same redriveId rules) is returned for the audit log", () => {
    const body = ' {"detail" : {"id":1,"n":"ü ✓"}}\n';
    const m = message(ebAttributes(FN), body);
    const p = prepareInvoke(m, info(m), fn, ctx);
    if (p.action !== "replay") throw new Error(p.detail);
    expect(Buffer.from(p.payload).toString("hex")).toBe(Buffer.from(body, "utf8").toString("hex"));
    const sqs = prepareReplay(m, info(m), dest, ctx);
    expect(p.context).toEqual(sqs.context);
    expect(p.context).toMatchObject({ redriveCount: 1, redriveId: redriveIdOf("dlq-1", 1), targetArn: FN });
  });

  it("a Lambda payload over 256 KB (262,144 bytes) stays in the DLQ as too-large; exactly 262,144 is replayed", () => {
    const at = message(ebAttributes(FN), "é".repeat(MAX_ASYNC_PAYLOAD / 2));
    expect(prepareInvoke(at, info(at), fn, ctx).action).toBe("replay");
    const over = message(ebAttributes(FN), `${"é".repeat(MAX_ASYNC_PAYLOAD / 2)}x`);
    expect(prepareInvoke(over, info(over), fn, ctx)).toMatchObject({
      action: "skip",
      reason: "too-large",
      detail: expect.stringContaining("262145 bytes"),
    });
  });

  it("an event-bus entry is rebuilt from the dead-lettered event: Source, DetailType, Detail (JSON of detail), Resources, Time", () => {
    const m = message(ebAttributes(BUS), JSON.stringify(event));
    const p = preparePutEvent(m, info(m), bus, ctx);
    if (p.action !== "replay") throw new Error(p.detail);
    expect(p.event).toEqual({
      source: "acme.orders",
      detailType: "order.placed",
      detail: JSON.stringify(event.detail),
      resources: ["arn:aws:s3:::orders/1"],
      time: new Date("2025-01-01T10:00:00Z"),
    });
    expect(p.size).toBe(putEventsEntrySize(p.event));
    expect(p.context).toMatchObject({ targetArn: BUS, redriveId: redriveIdOf("dlq-1", 1) });
  });

  it("an event without resources or a valid time gets none (EventBridge then stamps the time)", () => {
    const { resources: _r, time: _t, ...bare } = event;
    const m = message(ebAttributes(BUS), JSON.stringify({ ...bare, time: "yesterday" }));
    const p = preparePutEvent(m, info(m), bus, ctx);
    expect(p).toMatchObject({ action: "replay", event: { resources: [] } });
    expect(p.action === "replay" && "time" in p.event).toBe(false);
  });

  it.each([
    ["that is not JSON", "not json {", /not JSON/],
    ["that is a JSON array", "[1,2]", /expected an object/],
    ["without source", JSON.stringify({ ...event, source: undefined }), /expected source$/],
    ["without detail-type", JSON.stringify({ ...event, "detail-type": undefined }), /expected detail-type$/],
    ["without detail", JSON.stringify({ ...event, detail: undefined }), /expected detail \(an object\)$/],
    ["whose detail is a string", JSON.stringify({ ...event, detail: "x" }), /expected detail \(an object\)$/],
    [
      "whose resources are not strings",
      JSON.stringify({ ...event, resources: [1] }),
      /expected resources \(strings\)$/,
    ],
  ])("a body %s stays in the DLQ as not-an-event, saying why", (_, body, why) => {
    const m = message(ebAttributes(BUS), body);
    expect(preparePutEvent(m, info(m), bus, ctx)).toMatchObject({
      action: "skip",
      reason: "not-an-event",
      detail: expect.stringMatching(why),
    });
  });

  it("entry size is counted as EventBridge counts it (Time 14 bytes, then UTF-8 bytes); over 256 KB stays as too-large", () => {
    expect(
      putEventsEntrySize({
        source: "s",
        detailType: "dt",
        detail: '{"a":"é"}',
        resources: ["r1", "ü"],
        time: new Date(),
      }),
    ).toBe(14 + 1 + 2 + 10 + 2 + 2);
    expect(putEventsEntrySize({ source: "s", detailType: "dt", detail: "{}", resources: [] })).toBe(5);
    const fixed = 14 + "acme.orders".length + "order.placed".length + '{"p":""}'.length;
    const fits = { ...event, resources: [], detail: { p: "x".repeat(MAX_PUT_EVENTS_ENTRY - fixed) } };
    const m1 = message(ebAttributes(BUS), JSON.stringify(fits));
    expect(preparePutEvent(m1, info(m1), bus, ctx)).toMatchObject({ action: "replay", size: MAX_PUT_EVENTS_ENTRY });
    const over = { ...fits, detail: { p: `${fits.detail.p}x` } };
    const m2 = message(ebAttributes(BUS), JSON.stringify(over));
    expect(preparePutEvent(m2, info(m2), bus, ctx)).toMatchObject({ action: "skip", reason: "too-large" });
  });
});

describe("validateOptions", () => {
  it("reports every bad option at once, each by name", () => {
    let problems: { field: string }[] = [];
    try {
      validateOptions({
        queueUrl: "nope",
        maxMessages: 0,
        concurrency: "many",
        rate: -1,
        errorCodes: ["ok", "not ok!"],
        ruleArn: "rule",
        visibilityTimeout: 50_000,
      });
    } catch (err) {
      problems = (err as { problems: { field: string }[] }).problems;
    }
    expect(problems.map((p) => p.field).sort()).toEqual([
      "concurrency",
      "errorCodes",
      "maxMessages",
      "queueUrl",
      "rate",
      "ruleArn",
      "visibilityTimeout",
    ]);
  });

  it("applies defaults: 3 redrives, 8 workers, no rate limit, not a dry run", () => {
    expect(validateOptions({ queueUrl: DLQ })).toMatchObject({
      maxRedrives: 3,
      concurrency: 64,
      rate: undefined,
      dryRun: false,
      errorCodes: [],
      fifoGroupId: "redrive",
    });
  });
});
