/** The engine replaying to Lambda and event-bus targets (in-memory ports): decisions, partial failures, audit. */
import { CONTEXT_ATTRIBUTE, redriveIdOf } from "../../../lambdas/redrive/engine/decide";
import { redrive, succeeded } from "../../../lambdas/redrive/engine/engine";
import type { OutcomeRecord } from "../../../lambdas/redrive/engine/model";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import { ebAttributes, MemoryPort } from "./support/memory-port";

const fast = { attempts: 4, baseDelayMs: 1 };
const FN = "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order";
const BUS = "arn:aws:events:eu-west-1:555555555555:event-bus/partner-orders";

function event(i: number | string, detail: Record<string, unknown> = {}) {
  return JSON.stringify({
    version: "0",
    id: `e-${i}`,
    "detail-type": "order.placed",
    source: "acme.orders",
    account: "111111111111",
    time: "2025-01-01T10:00:00Z",
    region: "eu-west-1",
    resources: [],
    detail: { n: i, ...detail },
  });
}

function setup() {
  const port = new MemoryPort();
  const dlq = port.addQueue("orders-delivery-dlq");
  const records: OutcomeRecord[] = [];
  const run = (extra: Record<string, unknown> = {}, deps: { functions?: boolean; buses?: boolean } = {}) =>
    redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, concurrency: 3, ...extra }), {
      port,
      ...(deps.functions === false ? {} : { functions: port }),
      ...(deps.buses === false ? {} : { buses: port }),
      retry: fast,
      record: (r) => records.push(r),
    });
  return { port, dlq, records, run };
}

describe("Lambda targets", () => {
  it("invokes the function asynchronously with the body's bytes unchanged, deletes only after 202, and logs the context", async () => {
    const { port, dlq, records, run } = setup();
    const bodies = Array.from({ length: 23 }, (_, i) => event(i, { note: " ünï ✓ \t" }));
    const ids = bodies.map((b) => port.put(dlq.url, b, ebAttributes(FN, "TIMEOUT")));
    const summary = await run();
    expect(summary).toMatchObject({ received: 23, replayed: 23, failed: 0, skippedTotal: 0, notDeleted: 0 });
    expect(succeeded(summary)).toBe(true);
    expect(port.messages(dlq.url)).toHaveLength(0);
    expect(port.invocations.map((i) => i.functionArn)).toEqual(Array(23).fill(FN));
    expect(port.invocations.map((i) => i.payload).sort()).toEqual([...bodies].sort());
    const r = records.find((x) => x.messageId === ids[5])!;
    expect(r).toMatchObject({
      outcome: "replayed",
      destination: FN,
      deleted: true,
      redriveCount: 1,
      redriveId: redriveIdOf(ids[5], 1),
    });
    expect(r.outcome === "replayed" && r.context).toMatchObject({
      errorCode: "TIMEOUT",
      targetArn: FN,
      originalMessageId: ids[5],
      redriveId: redriveIdOf(ids[5], 1),
      sourceQueueArn: dlq.arn,
    });
  });

  it("a body over 256 KB stays in the DLQ as too-large, never dropped", async () => {
    const { port, dlq, run } = setup();
    port.put(dlq.url, "x".repeat(262_145), ebAttributes(FN));
    port.put(dlq.url, "x".repeat(262_144), ebAttributes(FN));
    const summary = await run();
    expect(summary).toMatchObject({ received: 2, replayed: 1, skipped: { "too-large": 1 }, failed: 0 });
    expect(port.messages(dlq.url).map((m) => m.body.length)).toEqual([262_145]);
    expect(port.messages(dlq.url)[0].visibleAt).toBeLessThanOrEqual(Date.now());
  });

  it("per-invoke failures: throttling is retried, a missing function and a non-202 answer fail, and only those stay in the DLQ", async () => {
    const { port, dlq, records, run } = setup();
    for (let i = 0; i < 8; i++) port.put(dlq.url, event(i), ebAttributes(FN));
    port.invokeFault = (payload, attempt) => {
      const n = JSON.parse(payload).detail.n;
      if (n === 1 && attempt === 1)
        return Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException", $fault: "client" });
      if (n === 2)
        return Object.assign(new Error("Function not found"), { name: "ResourceNotFoundException", $fault: "client" });
      if (n === 3) return 200;
      return undefined;
    };
    const summary = await run();
    expect(summary).toMatchObject({ received: 8, replayed: 6, failed: 2 });
    expect(
      port
        .messages(dlq.url)
        .map((m) => JSON.parse(m.body).detail.n)
        .sort(),
    ).toEqual([2, 3]);
    expect(port.calls.filter((c) => c.op === "invoke" && c.detail !== undefined)).toHaveLength(8 + 1);
    const failed = records.filter((r) => r.outcome === "failed");
    expect(failed.map((r) => r.outcome === "failed" && r.error).sort()).toEqual([
      expect.stringMatching(/^HTTP 200: /),
      expect.stringMatching(/^ResourceNotFoundException: Function not found/),
    ]);
    expect(failed.every((r) => r.outcome === "failed" && r.context?.redriveId)).toBe(true);
    expect(succeeded(summary)).toBe(false);
  });

  it("an invoke that keeps being throttled leaves the message in place after the engine's retries", async () => {
    const { port, dlq, run } = setup();
    port.put(dlq.url, event(0), ebAttributes(FN));
    port.invokeFault = () =>
      Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException", $fault: "client" });
    const summary = await run();
    expect(summary).toMatchObject({ replayed: 0, failed: 1 });
    expect(port.calls.filter((c) => c.op === "invoke")).toHaveLength(fast.attempts);
    expect(port.messages(dlq.url)).toHaveLength(1);
  });

  it("a crash between invoke and delete loses nothing: the next run invokes again with the same redriveId", async () => {
    const { port, dlq, ids, records, run } = (() => {
      const s = setup();
      const ids = [s.port.put(s.dlq.url, event(0), ebAttributes(FN))];
      return { ...s, ids };
    })();
    port.deleteFault = () => true;
    const first = await run();
    expect(first).toMatchObject({ replayed: 1, notDeleted: 1 });
    port.deleteFault = undefined;
    await run();
    expect(port.messages(dlq.url)).toHaveLength(0);
    expect(port.invocations).toHaveLength(2);
    const replays = records.filter((r) => r.outcome === "replayed");
    expect(replays.map((r) => r.outcome === "replayed" && r.redriveId)).toEqual([
      redriveIdOf(ids[0], 1),
      redriveIdOf(ids[0], 1),
    ]);
  });
});

describe("event-bus targets", () => {
  it("puts each event on the bus (ARN as EventBusName) in PutEvents batches of 10, then deletes the accepted ones", async () => {
    const { port, dlq, records, run } = setup();
    for (let i = 0; i < 25; i++) port.put(dlq.url, event(i), ebAttributes(BUS));
    const summary = await run({ concurrency: 1 });
    expect(summary).toMatchObject({ received: 25, replayed: 25, failed: 0 });
    expect(port.messages(dlq.url)).toHaveLength(0);
    expect(port.calls.filter((c) => c.op === "putEvents").map((c) => [c.queueUrl, c.detail])).toEqual([
      [BUS, 10],
      [BUS, 10],
      [BUS, 5],
    ]);
    expect(port.events.get(BUS)![0]).toEqual({
      source: "acme.orders",
      detailType: "order.placed",
      detail: JSON.stringify({ n: 0 }),
      resources: [],
      time: new Date("2025-01-01T10:00:00Z"),
    });
    expect(
      records.every((r) => r.outcome === "replayed" && r.destination === BUS && r.context?.targetArn === BUS),
    ).toBe(true);
  });

  it("partial failures entry by entry: a retryable ErrorCode is retried, a rejected entry stays in the DLQ, the others are deleted", async () => {
    const { port, dlq, records, run } = setup();
    for (let i = 0; i < 10; i++) port.put(dlq.url, event(i), ebAttributes(BUS));
    port.putFault = (entry, attempt) => {
      const n = JSON.parse(entry.detail).n;
      if (n === 4) return { code: "NotAuthorizedForSourceException", message: "not allowed", senderFault: true };
      if (n === 7 && attempt === 1) return { code: "InternalFailure", message: "try again", senderFault: false };
      return undefined;
    };
    const summary = await run({ concurrency: 1 });
    expect(summary).toMatchObject({ replayed: 9, failed: 1 });
    expect(port.messages(dlq.url).map((m) => JSON.parse(m.body).detail.n)).toEqual([4]);
    expect(
      port.events
        .get(BUS)!
        .map((e) => JSON.parse(e.detail).n)
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
    expect(port.calls.filter((c) => c.op === "putEvents").map((c) => c.detail)).toEqual([10, 1]);
    expect(records.find((r) => r.outcome === "failed")).toMatchObject({
      error: "NotAuthorizedForSourceException: not allowed",
      destination: BUS,
    });
  });

  it("a body that is not an EventBridge event, or too large, stays in the DLQ with its reason", async () => {
    const { port, dlq, records, run } = setup();
    port.put(dlq.url, "plain text", ebAttributes(BUS));
    port.put(dlq.url, JSON.stringify({ source: "acme.orders", detail: {} }), ebAttributes(BUS));
    port.put(dlq.url, event("big", { pad: "x".repeat(262_144) }), ebAttributes(BUS));
    port.put(dlq.url, event(1), ebAttributes(BUS));
    const summary = await run();
    expect(summary).toMatchObject({
      received: 4,
      replayed: 1,
      skipped: { "not-an-event": 2, "too-large": 1 },
      failed: 0,
    });
    expect(port.messages(dlq.url)).toHaveLength(3);
    expect(records.filter((r) => r.outcome === "skipped").map((r) => r.outcome === "skipped" && r.detail)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/not JSON/),
        expect.stringMatching(/expected detail-type/),
        expect.stringMatching(/PutEvents entry is \d+ bytes/),
      ]),
    );
  });

  it("large events are put in batches whose entries add up to at most 256 KB", async () => {
    const { port, dlq, run } = setup();
    for (let i = 0; i < 10; i++) port.put(dlq.url, event(i, { pad: "x".repeat(60_000) }), ebAttributes(BUS));
    const summary = await run({ concurrency: 1 });
    expect(summary).toMatchObject({ replayed: 10, failed: 0 });
    expect(port.calls.filter((c) => c.op === "putEvents").map((c) => c.detail)).toEqual([4, 4, 2]);
  });
});

describe("Lambda and event-bus targets: the run's options apply as for SQS", () => {
  function mixed() {
    const s = setup();
    const queue = s.port.addQueue("orders");
    s.port.put(s.dlq.url, event("q"), ebAttributes(queue.arn, "THROTTLING"));
    s.port.put(s.dlq.url, event("f"), ebAttributes(FN, "TIMEOUT"));
    s.port.put(s.dlq.url, event("b"), ebAttributes(BUS, "THROTTLING"));
    return { ...s, queue };
  }

  it("one DLQ with SQS, Lambda and event-bus targets: each goes where its TARGET_ARN says; only SQS carries the context as an attribute", async () => {
    const { port, dlq, queue, run } = mixed();
    const summary = await run();
    expect(summary).toMatchObject({ received: 3, replayed: 3, failed: 0 });
    expect(port.messages(dlq.url)).toHaveLength(0);
    expect(port.messages(queue.url).map((m) => m.body)).toEqual([event("q")]);
    expect(port.messages(queue.url)[0].messageAttributes[CONTEXT_ATTRIBUTE]).toBeDefined();
    expect(port.invocations.map((i) => i.payload)).toEqual([event("f")]);
    expect(port.events.get(BUS)!.map((e) => e.detail)).toEqual([JSON.stringify({ n: "b" })]);
  });

  it("dry run: no invoke and no PutEvents; would-replay records carry the context; every message visible again", async () => {
    const { port, dlq, records, run } = mixed();
    const summary = await run({ dryRun: true });
    expect(summary).toMatchObject({ wouldReplay: 3, replayed: 0 });
    expect(
      port.calls.some((c) => c.op === "invoke" || c.op === "putEvents" || c.op === "send" || c.op === "delete"),
    ).toBe(false);
    expect(port.messages(dlq.url).every((m) => m.visibleAt <= Date.now())).toBe(true);
    const byDest = Object.fromEntries(records.map((r) => [r.outcome === "would-replay" ? r.destination : "?", r]));
    expect(byDest[FN]).toMatchObject({ outcome: "would-replay", context: { targetArn: FN, redriveCount: 1 } });
    expect(byDest[BUS]).toMatchObject({ outcome: "would-replay", context: { targetArn: BUS } });
    expect(Object.values(byDest).filter((r) => "context" in r)).toHaveLength(2);
  });

  it("filters by error code and target ARN", async () => {
    const { port, dlq, run } = mixed();
    expect(await run({ errorCodes: ["TIMEOUT"] })).toMatchObject({
      replayed: 1,
      skipped: { "filtered-error-code": 2 },
    });
    expect(port.invocations).toHaveLength(1);
    expect(await run({ targetArn: BUS })).toMatchObject({ replayed: 1, skipped: { "filtered-target-arn": 1 } });
    expect(port.events.get(BUS)).toHaveLength(1);
    expect(port.messages(dlq.url)).toHaveLength(1);
  });

  it("poison cap: a message that does carry a redrive-context at the maximum is left in place", async () => {
    const { port, dlq, run } = setup();
    port.put(dlq.url, event(0), {
      ...ebAttributes(FN),
      [CONTEXT_ATTRIBUTE]: {
        DataType: "String",
        StringValue: JSON.stringify({ redriveCount: 3, originalMessageId: "m0" }),
      },
    });
    expect(await run()).toMatchObject({ replayed: 0, skipped: { "max-redrives-reached": 1 } });
    expect(port.invocations).toHaveLength(0);
  });

  it("a run without a Lambda or EventBridge client leaves those messages in place as unsupported-target", async () => {
    const { port, dlq, run } = mixed();
    const summary = await run({}, { functions: false, buses: false });
    expect(summary).toMatchObject({ replayed: 1, skipped: { "unsupported-target": 2 } });
    expect(port.messages(dlq.url)).toHaveLength(2);
  });
});
