/** Injected faults on the wire (an HTTP proxy between the SDK and the emulator): no message is ever lost. */
import type { Message } from "@aws-sdk/client-sqs";
import { redrive } from "../../../lambdas/redrive/engine/engine";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import { SqsPort } from "../../../lambdas/redrive/ports/sqs-port";
import {
  contextOf,
  createQueue,
  CREDENTIALS,
  drain,
  type Emulator,
  REGION,
  seed,
  startEmulator,
  uniqueName,
  untilNoneInFlight,
} from "./support/fauxqs";
import { type FaultPlan, startFaultProxy } from "./support/fault-proxy";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

/** Every seeded body is in the destination or still in the DLQ; copies of one message share a redriveId. */
function assertNothingLost(bodies: string[], delivered: Message[], left: Message[]) {
  const seen = new Set([...delivered.map((m) => m.Body!), ...left.map((m) => m.Body!)]);
  expect(bodies.filter((b) => !seen.has(b))).toEqual([]);
  const ids = new Map<string, Set<string>>();
  for (const m of delivered) ids.set(m.Body!, (ids.get(m.Body!) ?? new Set()).add(contextOf(m).redriveId));
  expect([...ids.entries()].filter(([, s]) => s.size > 1)).toEqual([]);
}

async function runThroughProxy(plan: FaultPlan, n: number, seedValue: number, visibilityTimeout: number, attempts = 6) {
  const dlq = await createQueue(emu.sqs, uniqueName("fault-dlq"));
  const to = await createQueue(emu.sqs, uniqueName("fault-to"));
  const bodies = Array.from({ length: n }, (_, i) => `f${i}`);
  await seed(
    emu.sqs,
    dlq.url,
    bodies.map((body) => ({ body })),
  );
  const proxy = await startFaultProxy(emu.port, plan, seedValue);
  // SDK retries kept short so the run stays fast; the engine retries on top of them. A short
  // visibility timeout (chaos case) lets messages whose receive response was lost reappear soon.
  const port = new SqsPort({
    client: { endpoint: proxy.endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 2 },
  });
  try {
    const summary = await redrive(
      validateOptions({ queueUrl: dlq.url, to: to.url, visibilityTimeout, waitTimeSeconds: 0, concurrency: 4 }),
      {
        port,
        retry: { attempts, baseDelayMs: 5 },
      },
    );
    return { summary, injected: proxy.injected, dlq, to, bodies };
  } finally {
    port.destroy();
    await proxy.close();
  }
}

describe("redrive under injected faults", () => {
  it("500s, throttling and lost responses on a share of calls: 0 messages lost, duplicates share a redriveId", async () => {
    const { summary, injected, dlq, to, bodies } = await runThroughProxy(
      { error500: 0.12, throttle: 0.08, lostResponse: 0.1 },
      300,
      7,
      2,
    );
    expect(injected.error500 + injected.throttle + injected.lostResponse).toBeGreaterThan(10);
    expect(summary.received).toBeGreaterThan(0);
    await untilNoneInFlight(emu.sqs, dlq.url);
    const delivered = await drain(emu.sqs, to.url);
    const left = await drain(emu.sqs, dlq.url);
    assertNothingLost(bodies, delivered, left);
  });

  it("partial SendMessageBatch failures: retried entry by entry, every message delivered once and deleted", async () => {
    // Worker timing decides which entry draws which fault, so the budget is sized to make "an entry
    // failed every attempt" negligible: 200 entries x 0.2^10 is about 2e-5 per run.
    const { summary, injected, dlq, to, bodies } = await runThroughProxy(
      { partialBatch: 0.2, actions: ["SendMessageBatch"] },
      200,
      11,
      30,
      10,
    );
    expect(injected.partialBatch).toBeGreaterThan(10);
    expect(summary).toMatchObject({ replayed: 200, failed: 0, notDeleted: 0 });
    await untilNoneInFlight(emu.sqs, dlq.url);
    const delivered = await drain(emu.sqs, to.url);
    expect(delivered.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    expect(await drain(emu.sqs, dlq.url)).toEqual([]);
  });

  it("lost SendMessageBatch responses: the message is sent again with the same redriveId and deleted once", async () => {
    const { summary, dlq, to, bodies } = await runThroughProxy(
      { lostResponse: 0.25, actions: ["SendMessageBatch"] },
      100,
      3,
      30,
    );
    expect(summary).toMatchObject({ replayed: 100, failed: 0 });
    await untilNoneInFlight(emu.sqs, dlq.url);
    const delivered = await drain(emu.sqs, to.url);
    expect(delivered.length).toBeGreaterThan(100);
    assertNothingLost(bodies, delivered, []);
    expect(await drain(emu.sqs, dlq.url)).toEqual([]);
  });
});
