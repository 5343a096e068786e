/**
 * Cases found by adversarial runs against the emulator, each over the wire (fauxqs, the engine with
 * the real SQS port; Lambda/EventBridge APIs on the local stand-in).
 */
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { CONTEXT_ATTRIBUTE } from "../../../lambdas/redrive/engine/decide";
import { redrive, succeeded } from "../../../lambdas/redrive/engine/engine";
import { EventBridgePort } from "../../../lambdas/redrive/ports/eventbridge-port";
import type { OutcomeRecord } from "../../../lambdas/redrive/engine/model";
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
  REGION,
  seed,
  startEmulator,
  uniqueName,
} from "./support/fauxqs";
import { type FakeTargets, startFakeTargets } from "./support/fake-targets";
import { type FaultPlan, startFaultProxy } from "./support/fault-proxy";

let emu: Emulator;
let fake: FakeTargets;
let port: SqsPort;
beforeAll(async () => {
  [emu, fake] = await Promise.all([startEmulator(), startFakeTargets()]);
  port = new SqsPort({ client: { endpoint: emu.endpoint, region: REGION, credentials: CREDENTIALS } });
});
afterAll(async () => {
  port.destroy();
  await Promise.all([emu.stop(), fake.stop()]);
});

const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`;
const fast = { attempts: 4, baseDelayMs: 5 };

async function run(options: Record<string, unknown>, extra: { port?: SqsPort; buses?: EventBridgePort } = {}) {
  const records: OutcomeRecord[] = [];
  const warnings: { message: string; detail?: Record<string, unknown> }[] = [];
  const summary = await redrive(validateOptions({ waitTimeSeconds: 0, ...options }), {
    port: extra.port ?? port,
    buses: extra.buses,
    retry: fast,
    record: (r) => records.push(r),
    warn: (message, detail) => warnings.push({ message, detail }),
  });
  return { summary, records, warnings };
}

/** Receives and deletes the next message of a FIFO queue (fauxqs returns one per group per receive). */
async function receiveOne(url: string): Promise<string | undefined> {
  const out = await emu.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
  );
  const m = out.Messages?.[0];
  if (!m) return undefined;
  await emu.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
  return m.Body;
}

describe("found by adversarial runs", () => {
  it("distinct messages carrying a copied redrive-context get distinct redriveIds: a FIFO destination keeps all three", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("copied-dlq"));
    const fifo = await createQueue(emu.sqs, uniqueName("copied-to", true), { FifoQueue: "true" });
    const copied = {
      [CONTEXT_ATTRIBUTE]: {
        DataType: "String",
        StringValue: JSON.stringify({ redriveCount: 1, originalMessageId: "orig", redriveId: "r1" }),
      },
    };
    await seed(
      emu.sqs,
      dlq.url,
      ["a", "b", "c"].map((body) => ({ body, attributes: copied })),
    );
    const { summary } = await run({ queueUrl: dlq.url, to: fifo.url });
    expect(summary).toMatchObject({ replayed: 3, failed: 0 });
    const got = await drain(emu.sqs, fifo.url);
    expect(got.map((m) => m.Body).sort()).toEqual(["a", "b", "c"]);
    expect(new Set(got.map((m) => contextOf(m).redriveId)).size).toBe(3);
    expect(got.every((m) => contextOf(m).originalMessageId === "orig" && contextOf(m).redriveCount === 2)).toBe(true);
  });

  it("a replay to an event bus sends the original detail text unchanged (big integers, 1e400, duplicate keys)", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("raw-detail-dlq"));
    const bus = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/raw`;
    const detail = '{ "orderId": 12345678901234567890123, "huge": 1e400, "tag": "a", "tag": "b", "price": 10.50 }';
    const body = `{"version":"0","id":"e-raw","detail-type":"order.placed","source":"acme.orders","time":"2025-01-01T10:00:00Z","resources":[],"detail":${detail}}`;
    await seed(emu.sqs, dlq.url, [{ body, attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: bus }) }]);
    const buses = new EventBridgePort({ client: { endpoint: fake.endpoint, credentials: CREDENTIALS } });
    try {
      const { summary } = await run({ queueUrl: dlq.url }, { buses });
      expect(summary).toMatchObject({ replayed: 1, failed: 0 });
    } finally {
      buses.destroy();
    }
    expect(fake.putEvents.filter((e) => e.EventBusName === bus).map((e) => e.Detail)).toEqual([detail]);
  });

  it("FIFO order: messages one receive returns for the same group are sent in that order, also when entries fail and are retried", async () => {
    // EventBridge DLQs are standard queues: their messages carry no group, so every replay to a
    // FIFO queue goes to the --fifo-group-id group, in the order the receive returned them.
    const dlq = await createQueue(emu.sqs, uniqueName("order-dlq"));
    const fifo = await createQueue(emu.sqs, uniqueName("order-to", true), { FifoQueue: "true" });
    const bodies = Array.from({ length: 10 }, (_, i) => `g-${i}`);
    for (const body of bodies) await seed(emu.sqs, dlq.url, [{ body }]);
    // g-3 and g-6 fail on their first send: sent again, they must still come before g-4 and g-7.
    const plan: FaultPlan = { failFirst: /^g-[36]$/, actions: ["SendMessageBatch"] };
    const proxy = await startFaultProxy(emu.port, plan);
    const viaProxy = new SqsPort({ client: { endpoint: proxy.endpoint, region: REGION, credentials: CREDENTIALS } });
    try {
      const { summary } = await run({ queueUrl: dlq.url, to: fifo.url, concurrency: 1 }, { port: viaProxy });
      expect(proxy.injected.partialBatch).toBe(2);
      expect(summary).toMatchObject({ replayed: 10, failed: 0 });
    } finally {
      viaProxy.destroy();
      await proxy.close();
    }
    const got: string[] = [];
    for (let m = await receiveOne(fifo.url); m; m = await receiveOne(fifo.url)) got.push(m);
    expect(got).toEqual(bodies);
  });

  it("second generation: a replay that failed again and reached the target's own DLQ keeps errorCode, errorMessage, ruleArn and targetArn", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("gen-dlq"));
    const targetDlq = await createQueue(emu.sqs, uniqueName("gen-target-dlq"));
    const target = await createQueue(emu.sqs, uniqueName("gen-target"), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: targetDlq.arn, maxReceiveCount: 1 }),
    });
    await seed(emu.sqs, dlq.url, [
      {
        body: "twice",
        attributes: eventBridgeAttributes({
          ruleArn: RULE,
          targetArn: target.arn,
          errorCode: "TIMEOUT",
          errorMessage: "slow target",
        }),
      },
    ]);
    expect((await run({ queueUrl: dlq.url })).summary).toMatchObject({ replayed: 1 });
    // The consumer fails it: received once, then SQS moves it to the target's own DLQ.
    for (let i = 0; i < 3 && (await counts(emu.sqs, targetDlq.url)).visible === 0; i++) {
      await emu.sqs.send(new ReceiveMessageCommand({ QueueUrl: target.url, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    }
    expect((await counts(emu.sqs, targetDlq.url)).visible).toBe(1);

    const { summary } = await run({ queueUrl: targetDlq.url, errorCodes: ["TIMEOUT"] });
    expect(summary).toMatchObject({
      replayed: 1,
      failed: 0,
      byErrorCode: { TIMEOUT: 1 },
      byTargetArn: { [target.arn]: 1 },
    });
    const [again] = await drain(emu.sqs, target.url);
    expect(contextOf(again)).toMatchObject({
      redriveCount: 2,
      errorCode: "TIMEOUT",
      errorMessage: "slow target",
      ruleArn: RULE,
      targetArn: target.arn,
      sourceQueueArn: targetDlq.arn,
    });
  });

  it("stale receipt handles: when visibility extensions fail, the handles are dropped and reported, and a delete with one is never reported as done", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("stale-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("stale-to"));
    await seed(emu.sqs, dlq.url, [{ body: "s1" }, { body: "s2" }]);
    // Every extension fails, and the send takes longer than the visibility timeout.
    const plan: FaultPlan = {
      error500: 1,
      actions: ["ChangeMessageVisibilityBatch"],
      delay: { actions: ["SendMessageBatch"], ms: 1000 },
    };
    const proxy = await startFaultProxy(emu.port, plan);
    const viaProxy = new SqsPort({
      client: { endpoint: proxy.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 },
    });
    try {
      const { summary, records, warnings } = await run(
        { queueUrl: dlq.url, to: to.url, visibilityTimeout: 1, concurrency: 1 },
        { port: viaProxy },
      );
      expect(summary).toMatchObject({ replayed: 2, notDeleted: 2 });
      expect(succeeded(summary)).toBe(false);
      expect(records.filter((r) => r.outcome === "replayed").every((r) => r.outcome === "replayed" && !r.deleted)).toBe(
        true,
      );
      expect(
        warnings.some(
          (w) =>
            /receipt handles dropped/.test(w.message) &&
            ((w.detail?.messageIds as string[] | undefined)?.length ?? 0) > 0,
        ),
      ).toBe(true);
    } finally {
      viaProxy.destroy();
      await proxy.close();
    }
  });

  it("a queue GetQueueUrl resolves in another account than TARGET_ARN names gets nothing: the message fails and stays", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("acct-dlq"));
    const name = uniqueName("acct-target");
    const target = await createQueue(emu.sqs, name);
    // The emulator answers GetQueueUrl for any owner account with its own queue.
    await seed(emu.sqs, dlq.url, [
      {
        body: "elsewhere",
        attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: `arn:aws:sqs:${REGION}:111111111111:${name}` }),
      },
    ]);
    const { summary, records } = await run({ queueUrl: dlq.url });
    expect(summary).toMatchObject({ replayed: 0, failed: 1 });
    expect(records[0]).toMatchObject({
      outcome: "failed",
      error: expect.stringContaining(`not the TARGET_ARN arn:aws:sqs:${REGION}:111111111111:${name}`),
    });
    expect((await counts(emu.sqs, target.url)).visible).toBe(0);
    expect((await counts(emu.sqs, dlq.url)).visible).toBe(1);
  });

  it("concurrent runs with a short visibility timeout: a replay whose delete returned after its hold ended by SQS's clock is never reported clean", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("race-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("race-to"));
    const bodies = Array.from({ length: 30 }, (_, i) => `race-${i}`);
    await seed(
      emu.sqs,
      dlq.url,
      bodies.map((body) => ({ body })),
    );
    // The receive takes effect at once and its answer comes 200 ms later; a send takes 900 ms and an extension 900 ms.
    // With a 1 s visibility timeout every delete returns after SQS ended the hold, while the answer's clock says 1.2 s.
    const plan: FaultPlan = {
      delayResponse: { actions: ["ReceiveMessage"], ms: 200 },
      delays: { SendMessageBatch: 900, ChangeMessageVisibilityBatch: 900 },
    };
    const proxy = await startFaultProxy(emu.port, plan);
    const viaProxy = () =>
      new SqsPort({ client: { endpoint: proxy.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 } });
    const ports = [viaProxy(), viaProxy(), viaProxy()];
    try {
      const runs = await Promise.all(
        ports.map((p) => run({ queueUrl: dlq.url, to: to.url, visibilityTimeout: 1, concurrency: 2 }, { port: p })),
      );
      // Nothing lost: every message is in the destination, or still in the DLQ.
      const copies = new Map<string, number>();
      for (const m of await drain(emu.sqs, to.url)) {
        const id = contextOf(m).originalMessageId as string;
        copies.set(id, (copies.get(id) ?? 0) + 1);
      }
      const left = (await drain(emu.sqs, dlq.url)).filter((m) => !copies.has(m.MessageId!));
      expect(copies.size + left.length).toBe(bodies.length);

      const replays = runs.flatMap((r) => r.records).filter((r) => r.outcome === "replayed");
      expect(replays).toHaveLength([...copies.values()].reduce((a, b) => a + b, 0));
      expect(replays.length).toBeGreaterThan(0);
      // Every one of them may have been taken by another run before its delete: hold-lapsed, not deleted, counted.
      expect(replays.filter((r) => r.outcome === "replayed" && (r.deleted || !r.holdLapsed))).toEqual([]);
      expect(runs.reduce((a, r) => a + r.summary.holdLapsed, 0)).toBe(replays.length);
      for (const r of runs.filter((x) => x.summary.replayed > 0)) expect(succeeded(r.summary)).toBe(false);
      expect(runs[0].warnings.some((w) => /visibility timeout of 1 s is short/.test(w.message))).toBe(true);
    } finally {
      for (const p of ports) p.destroy();
      await proxy.close();
    }
  });
});
