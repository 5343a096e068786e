import { receiveLimit, redrive, succeeded } from "../../../lambdas/redrive/engine/engine";
import type { OutcomeRecord } from "../../../lambdas/redrive/engine/model";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import { ebAttributes, MemoryPort } from "./support/memory-port";

const fast = { attempts: 4, baseDelayMs: 1 };

function setup(n: number) {
  const port = new MemoryPort();
  const dlq = port.addQueue("orders-dlq");
  const target = port.addQueue("orders");
  const ids = Array.from({ length: n }, (_, i) => port.put(dlq.url, `event-${i}`, ebAttributes(target.arn)));
  const records: OutcomeRecord[] = [];
  const run = (extra: Record<string, unknown> = {}) =>
    redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, concurrency: 3, ...extra }), {
      port,
      retry: fast,
      record: (r) => records.push(r),
    });
  return { port, dlq, target, ids, records, run };
}

const bodies = (port: MemoryPort, url: string) =>
  port
    .messages(url)
    .map((m) => m.body)
    .sort();

describe("redrive engine (in-memory port)", () => {
  it("replays every message to its target and deletes it from the DLQ, one outcome record each", async () => {
    const { port, dlq, target, records, run } = setup(25);
    const summary = await run();
    expect(summary).toMatchObject({
      received: 25,
      replayed: 25,
      failed: 0,
      skippedTotal: 0,
      notDeleted: 0,
      holdLapsed: 0,
      stoppedBecause: "drained",
    });
    expect(port.messages(dlq.url)).toHaveLength(0);
    expect(bodies(port, target.url)).toHaveLength(25);
    expect(records.filter((r) => r.outcome === "replayed")).toHaveLength(25);
    expect(succeeded(summary)).toBe(true);
  });

  it("uses batches of 10 for receive, send and delete", async () => {
    const { port, run } = setup(30);
    await run({ concurrency: 1 });
    expect(port.calls.filter((c) => c.op === "send").map((c) => c.detail)).toEqual([10, 10, 10]);
    expect(port.calls.filter((c) => c.op === "delete").map((c) => c.detail)).toEqual([10, 10, 10]);
  });

  it("partial batch failure: only acknowledged entries are deleted; retryable failures are retried, sender faults left in place", async () => {
    const { port, dlq, target, run } = setup(20);
    port.sendFault = (entry, attempt) => {
      if (entry.body === "event-3") return { code: "InvalidMessageContents", message: "bad", senderFault: true };
      if (entry.body.endsWith("7") && attempt === 1)
        return { code: "InternalError", message: "try again", senderFault: false };
      return undefined;
    };
    const summary = await run();
    expect(summary).toMatchObject({ replayed: 19, failed: 1 });
    expect(port.messages(dlq.url).map((m) => m.body)).toEqual(["event-3"]);
    expect(port.messages(dlq.url)[0].visibleAt).toBeLessThanOrEqual(Date.now());
    expect(bodies(port, target.url)).not.toContain("event-3");
    expect(new Set(bodies(port, target.url)).size).toBe(19);
    expect(succeeded(summary)).toBe(false);
  });

  it("an entry the send response does not mention is not taken as sent: retried, and left in the DLQ if never acknowledged", async () => {
    const { port, dlq, target, run } = setup(10);
    port.sendOmit = (entry, attempt) => entry.body === "event-4" || (entry.body === "event-6" && attempt === 1);
    const summary = await run();
    expect(summary).toMatchObject({ replayed: 9, failed: 1 });
    expect(port.messages(dlq.url).map((m) => m.body)).toEqual(["event-4"]);
    expect(bodies(port, target.url)).toContain("event-6");
  });

  it("a send that keeps failing leaves the messages in the DLQ and reports them failed", async () => {
    const { port, dlq, target, run } = setup(12);
    port.callFault = (c) =>
      c.op === "send" ? Object.assign(new Error("503"), { name: "ServiceUnavailable", $fault: "server" }) : undefined;
    const summary = await run();
    expect(summary).toMatchObject({ received: 12, replayed: 0, failed: 12 });
    expect(port.messages(dlq.url)).toHaveLength(12);
    expect(port.messages(target.url)).toHaveLength(0);
    expect(port.calls.filter((c) => c.op === "send").length).toBeGreaterThanOrEqual(2 * fast.attempts);
  });

  it("a replayed message whose delete fails is reported not deleted and made visible for a later run", async () => {
    const { port, dlq, ids, run } = setup(5);
    port.deleteFault = (id) => id === ids[2];
    const summary = await run();
    expect(summary).toMatchObject({ replayed: 5, notDeleted: 1, failed: 0 });
    expect(port.messages(dlq.url).map((m) => m.messageId)).toEqual([ids[2]]);
    expect(succeeded(summary)).toBe(false);
  });

  it("dry run: sends and deletes nothing, reports would-replay, and makes every inspected message visible again", async () => {
    const { port, dlq, target, records, run } = setup(15);
    const summary = await run({ dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, received: 15, wouldReplay: 15, replayed: 0 });
    expect(port.calls.some((c) => c.op === "send" || c.op === "delete")).toBe(false);
    expect(port.messages(dlq.url)).toHaveLength(15);
    expect(port.messages(dlq.url).every((m) => m.visibleAt <= Date.now())).toBe(true);
    expect(port.messages(target.url)).toHaveLength(0);
    expect(records.every((r) => r.outcome === "would-replay")).toBe(true);
  });

  it("max messages: takes at most N messages and leaves the rest untouched", async () => {
    const { port, dlq, run } = setup(35);
    const summary = await run({ maxMessages: 12 });
    expect(summary).toMatchObject({ received: 12, replayed: 12, stoppedBecause: "max-messages" });
    expect(port.messages(dlq.url)).toHaveLength(23);
    expect(port.messages(dlq.url).filter((m) => m.receiveCount > 0)).toHaveLength(0);
  });

  it("skipped messages are held until the run ends (never received twice), then released", async () => {
    const { port, dlq, run } = setup(0);
    for (let i = 0; i < 12; i++) port.put(dlq.url, `orphan-${i}`);
    const summary = await run();
    expect(summary).toMatchObject({ received: 12, skipped: { "no-destination": 12 } });
    expect(port.messages(dlq.url).every((m) => m.receiveCount === 1 && m.visibleAt <= Date.now())).toBe(true);
  });

  it("a destination that does not exist fails its messages and leaves them in place", async () => {
    const port = new MemoryPort();
    const dlq = port.addQueue("dlq");
    port.put(dlq.url, "x", ebAttributes("arn:aws:sqs:eu-west-1:111111111111:deleted-queue"));
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0 }), { port, retry: fast });
    expect(summary).toMatchObject({ failed: 1, replayed: 0 });
    expect(port.messages(dlq.url)).toHaveLength(1);
  });

  it("extends the visibility of messages it holds while a slow send is under way", async () => {
    const { port, run } = setup(3);
    port.sendDelayMs = 800;
    const summary = await run({ visibilityTimeout: 1, concurrency: 1 });
    expect(summary.replayed).toBe(3);
    const extensions = port.calls.filter(
      (c) => c.op === "changeVisibility" && (c.detail as number[]).every((s) => s === 1),
    );
    expect(extensions.length).toBeGreaterThan(0);
  });

  it("a receive that keeps failing ends the run with an error; nothing is lost", async () => {
    const { port, dlq, run } = setup(5);
    port.callFault = (c) =>
      c.op === "receive" ? Object.assign(new Error("denied"), { name: "AccessDenied", $fault: "client" }) : undefined;
    const summary = await run();
    expect(summary.error).toMatch(/ReceiveMessage failed: AccessDenied/);
    expect(succeeded(summary)).toBe(false);
    expect(port.messages(dlq.url)).toHaveLength(5);
  });

  it("large messages: send batches are split so their total payload stays within SQS's batch limit", async () => {
    const port = new MemoryPort();
    const dlq = port.addQueue("big-dlq");
    const target = port.addQueue("big-target");
    const bodies = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(60_000, "x"));
    for (const b of bodies) port.put(dlq.url, b, ebAttributes(target.arn));
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, concurrency: 1 }), {
      port,
      retry: fast,
    });
    expect(summary).toMatchObject({ received: 10, replayed: 10, failed: 0 });
    expect(bodies.filter((b) => !port.messages(target.url).some((m) => m.body === b))).toEqual([]);
    expect(port.messages(dlq.url)).toHaveLength(0);
    // 4 of ~60.7 KB fit in 256 KiB: 4 + 4 + 2; still one delete batch for the ten.
    expect(port.calls.filter((c) => c.op === "send").map((c) => c.detail)).toEqual([4, 4, 2]);
    expect(port.calls.filter((c) => c.op === "delete").map((c) => c.detail)).toEqual([10]);
  });

  it("a destination configured for 1 MiB messages takes batches up to 1 MiB", async () => {
    const port = new MemoryPort();
    const dlq = port.addQueue("big-dlq");
    const target = port.addQueue("big-target", { maxMessageSize: 1_048_576 });
    for (let i = 0; i < 10; i++) port.put(dlq.url, `${i}`.padEnd(200_000, "x"), ebAttributes(target.arn));
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, concurrency: 1 }), {
      port,
      retry: fast,
    });
    expect(summary).toMatchObject({ replayed: 10, failed: 0 });
    expect(port.calls.filter((c) => c.op === "send").map((c) => c.detail)).toEqual([5, 5]);
  });

  it("release at the end retries visibility changes the service failed, so a dry run leaves every message visible", async () => {
    const { port, dlq } = setup(12);
    port.visibilityFault = (_, attempt) =>
      attempt === 1 ? { code: "InternalError", message: "try again", senderFault: false } : undefined;
    const warnings: string[] = [];
    const summary = await redrive(
      validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, concurrency: 3, dryRun: true, visibilityTimeout: 600 }),
      {
        port,
        retry: fast,
        warn: (m) => warnings.push(m),
      },
    );
    expect(summary).toMatchObject({ received: 12, wouldReplay: 12 });
    expect(port.messages(dlq.url).every((m) => m.visibleAt <= Date.now())).toBe(true);
    expect(warnings).toEqual([]);
  });

  it("a visibility change the caller got wrong is not retried, only reported; the message reappears after its timeout", async () => {
    const { port, dlq, ids } = setup(3);
    port.visibilityFault = (id) =>
      id === ids[1] ? { code: "ReceiptHandleIsInvalid", message: "bad handle", senderFault: true } : undefined;
    const warnings: { message: string; detail?: Record<string, unknown> }[] = [];
    await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, dryRun: true, visibilityTimeout: 600 }), {
      port,
      retry: fast,
      warn: (message, detail) => warnings.push({ message, detail }),
    });
    expect(port.calls.filter((c) => c.op === "changeVisibility")).toHaveLength(1);
    expect(warnings.map((w) => w.message)).toEqual([
      "visibility change failed for some messages",
      "1 message(s) not released; they reappear when their visibility timeout ends",
    ]);
    expect(
      port
        .messages(dlq.url)
        .filter((m) => m.visibleAt > Date.now())
        .map((m) => m.messageId),
    ).toEqual([ids[1]]);
  });

  it("max messages counts only messages taken for replay: filtered-out ones do not use up the quota", async () => {
    const port = new MemoryPort();
    const dlq = port.addQueue("mixed-dlq");
    const target = port.addQueue("mixed-target");
    for (let i = 0; i < 20; i++)
      port.put(dlq.url, `e${i}`, ebAttributes(target.arn, i % 2 === 0 ? "TIMEOUT" : "THROTTLING"));
    const summary = await redrive(
      validateOptions({
        queueUrl: dlq.url,
        waitTimeSeconds: 0,
        concurrency: 2,
        maxMessages: 4,
        errorCodes: ["timeout"],
      }),
      { port, retry: fast },
    );
    expect(summary).toMatchObject({ replayed: 4, failed: 0, stoppedBecause: "max-messages" });
    expect(
      port
        .messages(target.url)
        .map((m) => m.body)
        .sort(),
    ).toEqual(["e0", "e2", "e4", "e6"]);
    expect(port.messages(dlq.url)).toHaveLength(16);
  });

  it("a run is bounded: messages that keep coming back (deletes never take) stop it as receive-limit, reported as an error", async () => {
    const port = new MemoryPort();
    const dlq = port.addQueue("loop-dlq");
    const target = port.addQueue("loop-target");
    for (let i = 0; i < 5; i++) port.put(dlq.url, `l${i}`, ebAttributes(target.arn));
    port.deleteFault = () => true;
    // Every receive sees every message again, as when visibility keeps lapsing.
    const receive = port.receive.bind(port);
    let receives = 0;
    port.receive = async (url: string, max: number, visibility: number) => {
      if (++receives > 1000)
        throw Object.assign(new Error("test guard: the run never ended"), { name: "AccessDenied", $fault: "client" });
      for (const m of port.messages(url)) m.visibleAt = 0;
      return receive(url, max, visibility);
    };
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, concurrency: 2 }), {
      port,
      retry: fast,
    });
    expect(summary).toMatchObject({
      stoppedBecause: "receive-limit",
      error: expect.stringMatching(/stopped after receiving 11\d messages/),
    });
    expect(summary.received).toBeLessThanOrEqual(receiveLimit(5) + 10);
    expect(succeeded(summary)).toBe(false);
  });

  it.each([
    ["Ctrl-C (abort)", "aborted"],
    ["the Lambda deadline", "deadline"],
  ])("with --rate, %s does not wait for the rate slot to end", async (_, reason) => {
    const { port, dlq } = setup(30);
    const controller = new AbortController();
    const started = Date.now();
    // 1 message/s: the second receive of 10 has to wait ~10 s for its slot.
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, concurrency: 1, rate: 1 }), {
      port,
      retry: fast,
      signal: controller.signal,
      remainingMs: reason === "deadline" ? () => started + 100 - Date.now() : undefined,
      progress: () => (reason === "aborted" ? setTimeout(() => controller.abort(), 50) : undefined),
    });
    expect(summary).toMatchObject({ received: 10, replayed: 10, stoppedBecause: reason });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(port.messages(dlq.url)).toHaveLength(20);
  });

  it("FIFO: messages of a group from one receive keep their order through retries; a group whose message failed sends no later ones", async () => {
    const port = new MemoryPort();
    const dlq = port.addQueue("orders-dlq.fifo");
    const target = port.addQueue("orders.fifo");
    for (const [body, group] of [
      ["a1", "a"],
      ["b1", "b"],
      ["a2", "a"],
      ["b2", "b"],
      ["a3", "a"],
      ["b3", "b"],
    ]) {
      port.put(dlq.url, body, ebAttributes(target.arn), { MessageGroupId: group });
    }
    port.sendFault = (entry, attempt) => {
      if (entry.body === "a2" && attempt === 1)
        return { code: "InternalError", message: "try again", senderFault: false };
      if (entry.body === "b2") return { code: "InvalidMessageContents", message: "bad", senderFault: true };
      return undefined;
    };
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, concurrency: 1 }), {
      port,
      retry: fast,
    });
    expect(summary).toMatchObject({ replayed: 4, failed: 2 });
    expect(port.messages(target.url).map((m) => m.body)).toEqual(["a1", "b1", "a2", "a3"]);
    expect(
      port
        .messages(dlq.url)
        .map((m) => m.body)
        .sort(),
    ).toEqual(["b2", "b3"]);
  });

  it("FIFO: a message that cannot be replayed (too large with its context) holds back the later messages of its group", async () => {
    const port = new MemoryPort();
    const dlq = port.addQueue("big-dlq.fifo");
    const target = port.addQueue("small.fifo", { maxMessageSize: 2048 });
    for (const body of ["a1", "x".repeat(1900), "a3"])
      port.put(dlq.url, body, ebAttributes(target.arn), { MessageGroupId: "a" });
    port.put(dlq.url, "b1", ebAttributes(target.arn), { MessageGroupId: "b" });
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, concurrency: 1 }), {
      port,
      retry: fast,
    });
    expect(summary).toMatchObject({ replayed: 2, failed: 2 });
    expect(port.messages(target.url).map((m) => m.body)).toEqual(["a1", "b1"]);
    expect(port.messages(dlq.url).map((m) => m.body.slice(0, 2))).toEqual(["xx", "a3"]);
  });

  it("standard queue: once a receive came back empty, no lane receives again (the run ends on one empty long poll, not one more per lane)", async () => {
    const { port, dlq, target, run } = setup(15);
    // Receives that bring messages take 40 ms; empty ones come back after 5 ms (a long poll that ended
    // sooner here), so lanes 1 and 2 get their batches after lanes 3-8 already saw the queue empty.
    const receive = port.receive.bind(port);
    let emptySeen = false;
    let afterEmpty = 0;
    port.receive = async (url: string, max: number, visibility: number) => {
      if (emptySeen) afterEmpty++;
      const got = await receive(url, max, visibility);
      await new Promise((r) => setTimeout(r, got.length > 0 ? 40 : 5));
      if (got.length === 0) emptySeen = true;
      return got;
    };
    const summary = await run({ concurrency: 8 });
    expect(summary).toMatchObject({ received: 15, replayed: 15, failed: 0, stoppedBecause: "drained" });
    expect(afterEmpty).toBe(0);
    expect(port.messages(dlq.url)).toHaveLength(0);
    expect(port.messages(target.url)).toHaveLength(15);
  });

  /** Records each receive's wait and size, and each describe, in order. */
  function traced(port: MemoryPort, dlqUrl: string) {
    const trace: string[] = [];
    const receive = port.receive.bind(port);
    port.receive = async (url: string, max: number, visibility: number, wait: number) => {
      const got = await receive(url, max, visibility);
      trace.push(`receive wait ${wait}: ${got.length}`);
      return got;
    };
    const describe = port.describe.bind(port);
    port.describe = async (url: string) => {
      // Only the DLQ's: the destination is described once too, when the first message is routed to it.
      if (url === dlqUrl) trace.push("describe");
      return describe(url);
    };
    return trace;
  }

  it("quick end: once the starting depth is received, receives stop waiting and an empty one the counts confirm ends the run", async () => {
    const { port, dlq, target, run } = setup(25);
    const trace = traced(port, dlq.url);
    const summary = await run({ concurrency: 1, waitTimeSeconds: 5 });
    expect(summary).toMatchObject({ received: 25, replayed: 25, stoppedBecause: "drained" });
    expect(port.messages(dlq.url)).toHaveLength(0);
    expect(port.messages(target.url)).toHaveLength(25);
    // Long polls while the 25 are there; once the receives ask for more than that, no waiting, and the empty one is
    // confirmed by the counts: no empty long poll.
    expect(trace).toEqual([
      "describe",
      "receive wait 5: 10",
      "receive wait 5: 10",
      "receive wait 0: 5",
      "receive wait 0: 0",
      "describe",
    ]);
  });

  it("quick end: where the counts disagree with an empty receive (delayed messages), the run goes back to long polls", async () => {
    const { port, dlq, run } = setup(5);
    const trace = traced(port, dlq.url);
    const describe = port.describe;
    let describes = 0;
    port.describe = async (url: string) => {
      const d = await describe(url);
      return ++describes > 1 ? { ...d, approximateDelayed: 3 } : d;
    };
    const summary = await run({ concurrency: 1, waitTimeSeconds: 5 });
    expect(summary).toMatchObject({ received: 5, replayed: 5, stoppedBecause: "drained" });
    // 5 in the DLQ: the first receive (for 10) already asks for more than the run started with.
    expect(trace).toEqual(["describe", "receive wait 0: 5", "receive wait 0: 0", "describe", "receive wait 5: 0"]);
  });

  it("quick end: a receive that brought fewer than it asked for (other workers took the rest) also ends on a confirmed empty receive", async () => {
    const { port, dlq, target } = setup(15);
    const trace = traced(port, dlq.url);
    // As one of several workers: the DLQ held 1,000 at the start, most of them taken by the others.
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 5, concurrency: 1 }), {
      port,
      retry: fast,
      expected: 1_000,
    });
    expect(summary).toMatchObject({ received: 15, replayed: 15, stoppedBecause: "drained" });
    expect(port.messages(target.url)).toHaveLength(15);
    expect(trace).toEqual(["describe", "receive wait 5: 10", "receive wait 5: 5", "receive wait 0: 0", "describe"]);
  });

  it("quick end: not for FIFO queues (an empty answer there may only mean other lanes hold the groups)", async () => {
    const port = new MemoryPort();
    const dlq = port.addQueue("orders-dlq.fifo");
    const target = port.addQueue("orders.fifo");
    for (let i = 0; i < 3; i++) port.put(dlq.url, `f${i}`, ebAttributes(target.arn), { MessageGroupId: "g" });
    const trace = traced(port, dlq.url);
    await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 2, concurrency: 1 }), { port, retry: fast });
    expect(trace.filter((t) => t.startsWith("receive")).every((t) => t.startsWith("receive wait 2"))).toBe(true);
    expect(port.messages(target.url)).toHaveLength(3);
  });

  it("refuses an explicit destination that is the DLQ itself", async () => {
    const { port, dlq } = setup(1);
    const other = port.addQueue("alias");
    // Same ARN under another URL: the engine compares ARNs, not URLs.
    (port.queues.get(other.url) as { arn: string }).arn = dlq.arn;
    await expect(redrive(validateOptions({ queueUrl: dlq.url, to: other.url }), { port })).rejects.toThrow(
      /other than the DLQ/,
    );
  });
});
