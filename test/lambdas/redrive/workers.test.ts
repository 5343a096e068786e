/**
 * Many workers over the wire: four instances of the built Lambda handler, each in its own process
 * (as Lambda containers), drain one DLQ at once through a proxy that loses responses and answers
 * 500s. None is lost, and copies of a message (a send whose response was lost, then retried)
 * share one redriveId. (The benchmark drains 50,000 this way; 1,000 keep this test to seconds.)
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import {
  contextOf,
  counts,
  createQueue,
  CREDENTIALS,
  drain,
  type Emulator,
  awsEnv,
  eventBridgeAttributes,
  ACCOUNT,
  REGION,
  seed,
  startEmulator,
  uniqueName,
} from "./support/fauxqs";
import { startFaultProxy } from "./support/fault-proxy";
import { buildBundles, invokeBundle } from "./support/processes";

let emu: Emulator;
beforeAll(async () => {
  buildBundles();
  emu = await startEmulator();
});
afterAll(() => emu.stop());

const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-placed`;
const MESSAGES = 1_000;
const WORKERS = 4;

describe("four handler workers on one DLQ", () => {
  it("drain it through lost responses and 500s: none lost, every duplicate with its original's redriveId", async () => {
    const proxy = await startFaultProxy(
      emu.port,
      { lostResponse: 0.05, error500: 0.02, actions: ["SendMessageBatch", "DeleteMessageBatch"] },
      7,
    );
    // fauxqs names a queue after the host it was created through, and the handler sends each call to
    // its queue URL's host: created through the proxy, every call of the workers goes through it.
    const viaProxy = new SQSClient({ endpoint: proxy.endpoint, region: REGION, credentials: CREDENTIALS });
    try {
      const target = await createQueue(viaProxy, uniqueName("w-target"));
      const dlq = await createQueue(viaProxy, uniqueName("w-dlq"));
      const attributes = eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn });
      await seed(
        emu.sqs,
        dlq.url,
        Array.from({ length: MESSAGES }, (_, i) => ({ body: `w${i}`, attributes })),
      );
      const env = awsEnv(proxy.endpoint, {
        REDRIVE_SOURCE_QUEUE_URLS: JSON.stringify([dlq.url]),
        REDRIVE_VISIBILITY_TIMEOUT: "30",
      });

      const runs = await Promise.all(Array.from({ length: WORKERS }, () => invokeBundle({}, env)));

      for (const r of runs) expect(r.error).toBeUndefined();
      const received = runs.map((r) => r.result.received as number);
      // They drained it together (a worker whose process started last may find little left), at least every message in all.
      expect(received.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
      expect(received.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(MESSAGES);
      expect(proxy.injected.lostResponse).toBeGreaterThan(0);

      const delivered = await drain(emu.sqs, target.url);
      const byMessage = new Map<string, Set<string>>();
      for (const m of delivered) {
        const ctx = contextOf(m);
        expect(ctx.originalMessageId).toBeDefined();
        byMessage.set(m.Body!, (byMessage.get(m.Body!) ?? new Set()).add(ctx.redriveId));
      }
      expect(byMessage.size).toBe(MESSAGES);
      expect([...byMessage.values()].filter((ids) => ids.size > 1)).toEqual([]);
      // Lost send responses were retried: those messages arrived twice, each pair with one redriveId. (Which calls lose
      // their response depends on how the four workers interleave: a run whose losses all fell on deletes has none.)
      if ((proxy.injected["lostResponse:SendMessageBatch"] ?? 0) > 0)
        expect(delivered.length).toBeGreaterThan(MESSAGES);
      else expect(delivered.length).toBe(MESSAGES);
      expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    } finally {
      viaProxy.destroy();
      await proxy.close();
    }
  });
});
