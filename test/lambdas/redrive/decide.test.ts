import { classify, CONTEXT_ATTRIBUTE, messageSize, prepareReplay, readDeadLetterInfo, redriveIdOf } from "../../../lambdas/redrive/decide";
import type { AttributeValue, DlqMessage, QueueDestination } from "../../../lambdas/redrive/model";
import { validateOptions } from "../../../lambdas/redrive/options";
import { ebAttributes } from "./support/memory-port";

const TARGET = "arn:aws:sqs:eu-west-1:222222222222:orders";
const DLQ = "https://sqs.eu-west-1.amazonaws.com/111111111111/orders-dlq";
const options = (extra: Record<string, unknown> = {}) => validateOptions({ queueUrl: DLQ, ...extra });
const dest: QueueDestination = { kind: "sqs", queueUrl: "https://sqs.eu-west-1.amazonaws.com/222222222222/orders", queueArn: TARGET, fifo: false, maxMessageSize: 262_144 };

function message(attrs: Record<string, AttributeValue>, body = '{"detail":{"id":1}}', system: Record<string, string> = {}): DlqMessage {
  return { messageId: "dlq-1", receiptHandle: "rh", body, attributes: { SentTimestamp: "1700000000000", ...system }, messageAttributes: attrs };
}
const ctx = { sourceQueueArn: "arn:aws:sqs:eu-west-1:111111111111:orders-dlq", now: new Date("2025-01-02T03:04:05Z"), fifoGroupId: "redrive" };

describe("classify", () => {
  it("routes an EventBridge DLQ message to the SQS queue named by TARGET_ARN, keeping the ARN's account and region", () => {
    const c = classify(message(ebAttributes(TARGET)), options());
    expect(c).toMatchObject({ action: "route", route: { kind: "queue-arn", arn: { account: "222222222222", region: "eu-west-1", resource: "orders" } } });
  });

  it("an explicit destination overrides TARGET_ARN and serves plain SQS DLQs", () => {
    const to = "https://sqs.eu-west-1.amazonaws.com/111111111111/replay";
    expect(classify(message(ebAttributes(TARGET)), options({ to }))).toMatchObject({ action: "route", route: { kind: "queue-url", queueUrl: to } });
    expect(classify(message({}), options({ to }))).toMatchObject({ action: "route", route: { kind: "queue-url", queueUrl: to } });
  });

  it("a message with no destination is skipped as no-destination", () => {
    expect(classify(message({}), options())).toMatchObject({ action: "skip", reason: "no-destination" });
  });

  it.each([
    ["lambda", "arn:aws:lambda:eu-west-1:111111111111:function:notify"],
    ["event bus", "arn:aws:events:eu-west-1:111111111111:event-bus/audit"],
  ])("a %s target is skipped as unsupported-target", (_, arn) => {
    expect(classify(message(ebAttributes(arn)), options())).toMatchObject({ action: "skip", reason: "unsupported-target" });
  });

  it("filters by error code, rule ARN and target ARN", () => {
    const m = message(ebAttributes(TARGET, "TIMEOUT"));
    expect(classify(m, options({ errorCodes: ["THROTTLING"] }))).toMatchObject({ action: "skip", reason: "filtered-error-code" });
    expect(classify(m, options({ errorCodes: ["THROTTLING", "TIMEOUT"] }))).toMatchObject({ action: "route" });
    expect(classify(message({}), options({ errorCodes: ["TIMEOUT"] }))).toMatchObject({ action: "skip", reason: "filtered-error-code" });
    expect(classify(m, options({ ruleArn: "arn:aws:events:eu-west-1:111111111111:rule/other" }))).toMatchObject({ action: "skip", reason: "filtered-rule-arn" });
    expect(classify(m, options({ targetArn: "arn:aws:sqs:eu-west-1:222222222222:other" }))).toMatchObject({ action: "skip", reason: "filtered-target-arn" });
    expect(classify(m, options({ targetArn: TARGET }))).toMatchObject({ action: "route" });
  });

  it("poison cap: a message whose redriveCount reached the maximum is skipped", () => {
    const prior = (n: number) => ({ ...ebAttributes(TARGET), [CONTEXT_ATTRIBUTE]: { DataType: "String", StringValue: JSON.stringify({ redriveCount: n, originalMessageId: "first" }) } });
    expect(classify(message(prior(3)), options())).toMatchObject({ action: "skip", reason: "max-redrives-reached" });
    expect(classify(message(prior(2)), options())).toMatchObject({ action: "route" });
    expect(classify(message(prior(2)), options({ maxRedrives: 2 }))).toMatchObject({ action: "skip", reason: "max-redrives-reached" });
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
    const m = message({ ...ebAttributes(TARGET, "TIMEOUT"), tenant: { DataType: "String", StringValue: "acme" }, blob: { DataType: "Binary", BinaryValue: binary } }, "  body ✓ \n");
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
    const m = message({ [CONTEXT_ATTRIBUTE]: { DataType: "String", StringValue: JSON.stringify({ redriveCount: 1, originalMessageId: "first" }) } });
    const p = prepareReplay(m, info(m), dest, ctx);
    expect(p.context).toMatchObject({ redriveCount: 2, originalMessageId: "first", dlqMessageId: "dlq-1", redriveId: redriveIdOf("first", 2), errorCode: null });
    expect(prepareReplay(m, info(m), dest, { ...ctx, now: new Date() }).context.redriveId).toBe(p.context.redriveId);
    expect(redriveIdOf("first", 2)).not.toBe(redriveIdOf("first", 1));
  });

  it("FIFO destination: the original MessageGroupId, else the configured one, and the redriveId as deduplication id", () => {
    const fifo = { ...dest, fifo: true };
    const grouped = message({}, "b", { MessageGroupId: "customer-7" });
    const p1 = prepareReplay(grouped, info(grouped), fifo, ctx);
    expect(p1).toMatchObject({ action: "replay", entry: { messageGroupId: "customer-7", messageDeduplicationId: p1.context.redriveId } });
    const plain = message({});
    expect(prepareReplay(plain, info(plain), fifo, { ...ctx, fifoGroupId: "replays" })).toMatchObject({ entry: { messageGroupId: "replays" } });
  });

  it("too many attributes: 10 originals plus redrive-context stay in the DLQ; 9 plus context replay", () => {
    const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "x" }]));
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
    expect(prepareReplay(m, info(m), { ...dest, maxMessageSize: size - 1 }, ctx)).toMatchObject({ action: "skip", reason: "too-large" });
  });
});

describe("validateOptions", () => {
  it("reports every bad option at once, each by name", () => {
    let problems: { field: string }[] = [];
    try {
      validateOptions({ queueUrl: "nope", maxMessages: 0, concurrency: "many", rate: -1, errorCodes: ["ok", "not ok!"], ruleArn: "rule", visibilityTimeout: 50_000 });
    } catch (err) {
      problems = (err as { problems: { field: string }[] }).problems;
    }
    expect(problems.map((p) => p.field).sort()).toEqual(["concurrency", "errorCodes", "maxMessages", "queueUrl", "rate", "ruleArn", "visibilityTimeout"]);
  });

  it("applies defaults: 3 redrives, 8 workers, no rate limit, not a dry run", () => {
    expect(validateOptions({ queueUrl: DLQ })).toMatchObject({ maxRedrives: 3, concurrency: 8, rate: undefined, dryRun: false, errorCodes: [], fifoGroupId: "redrive" });
  });
});
