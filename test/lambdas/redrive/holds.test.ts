/**
 * A run's hold on a message, on SQS's clock: the visibility timeout starts when SQS handles the
 * receive, before the answer reaches the run, so the run counts its hold from the moment the
 * request left; and SQS accepts a delete with a stale receipt handle without deleting anything
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html:
 * the request succeeds, but the message might not be deleted), so a replay whose hold ended before
 * its delete returned is never reported deleted. The port here answers late on purpose.
 */
import { redrive, succeeded } from "../../../lambdas/redrive/engine/engine";
import type { DlqMessage, OutcomeRecord } from "../../../lambdas/redrive/engine/model";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import type { BatchResult } from "../../../lambdas/redrive/ports/port";
import { ebAttributes, MemoryPort } from "./support/memory-port";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SQS seen over a slow network: receives and visibility changes take effect first and answer late; stale deletes "succeed". */
class LateAnswers extends MemoryPort {
  /** When the last receive took effect (epoch ms). */
  receivedAt = 0;
  /** Runs before a send goes through (another receiver acting while the replay is on its way). */
  beforeSend?: () => Promise<void>;

  constructor(
    private readonly receiveAnswerMs: number,
    private readonly changeMs: number,
  ) {
    super();
  }

  override async receive(url: string, max: number, visibility: number, wait = 0): Promise<DlqMessage[]> {
    this.receivedAt = Date.now();
    const got = await super.receive(url, max, visibility, wait);
    await sleep(this.receiveAnswerMs);
    return got;
  }

  override async changeVisibility(
    url: string,
    entries: readonly { id: string; receiptHandle: string; seconds: number }[],
  ) {
    await sleep(this.changeMs);
    return super.changeVisibility(url, entries);
  }

  override async send(url: string, entries: Parameters<MemoryPort["send"]>[1]) {
    await this.beforeSend?.();
    return super.send(url, entries);
  }

  override async delete(url: string, entries: readonly { id: string; receiptHandle: string }[]): Promise<BatchResult> {
    const result = await super.delete(url, entries);
    // SQS: a delete with a receipt handle that is no longer the latest succeeds, and deletes nothing.
    return { ok: [...result.ok, ...result.failed.map((f) => f.id)], failed: [] };
  }
}

/** One message in a DLQ of `port`, and a run with a 1 s visibility timeout that receives once, recording outcomes and warnings. */
function oneMessageRun(port: LateAnswers) {
  const dlq = port.addQueue("orders-dlq");
  const target = port.addQueue("orders");
  port.put(dlq.url, "event-1", ebAttributes(target.arn));
  const records: OutcomeRecord[] = [];
  const warnings: string[] = [];
  const options = { queueUrl: dlq.url, to: target.url, waitTimeSeconds: 0, concurrency: 1, visibilityTimeout: 1 };
  // maxMessages 1: this run receives once; any other receiver of the message is the test's own.
  const run = () =>
    redrive(validateOptions({ ...options, maxMessages: 1 }), {
      port,
      retry: { attempts: 1, baseDelayMs: 1 },
      record: (r) => records.push(r),
      warn: (m) => warnings.push(m),
    });
  return { dlq, target, records, warnings, run };
}

describe("holds on SQS's clock", () => {
  it("a message another receiver took after the hold ran out is reported hold-lapsed and not deleted, never clean", async () => {
    // The receive's answer takes 400 ms and an extension 1 s (none lands before 1.5 s); the visibility timeout is 1 s.
    // While the replay is on its way, SQS makes the message visible again (1000 ms) and another run takes it (1100 ms);
    // this run's delete then returns at ~1100 ms, when by the answer's clock (1400 ms) it would still have held it.
    const port = new LateAnswers(400, 1000);
    const { dlq, records, warnings, run } = oneMessageRun(port);
    let thief: DlqMessage[] = [];
    port.beforeSend = async () => {
      await sleep(port.receivedAt + 1100 - Date.now());
      thief = await MemoryPort.prototype.receive.call(port, dlq.url, 10, 30, 0);
    };
    const summary = await run();
    expect(thief.map((m) => m.body)).toEqual(["event-1"]); // the race happened: the message is held by another receiver
    expect(records).toEqual([
      expect.objectContaining({ outcome: "replayed", deleted: false, holdLapsed: true, messageId: thief[0].messageId }),
    ]);
    expect(summary).toMatchObject({ replayed: 1, notDeleted: 1, holdLapsed: 1 });
    expect(succeeded(summary)).toBe(false);
    expect(warnings.some((w) => /hold on the message may have lapsed before the delete returned/.test(w))).toBe(true);
    expect(warnings.some((w) => /visibility timeout of 1 s is short/.test(w))).toBe(true);
  });

  it("a hold with less than the margin left is not used to send: the message stays in the DLQ for a later receive", async () => {
    // The receive answers after 700 ms of a 1 s hold: less than the margin (half of 1 s) is left.
    const port = new LateAnswers(700, 0);
    const { dlq, target, records, run } = oneMessageRun(port);
    await run();
    expect(records).toEqual([
      expect.objectContaining({
        outcome: "failed",
        error: expect.stringContaining("less than 500 ms of visibility left"),
      }),
    ]);
    expect(port.messages(target.url)).toEqual([]);
    expect(port.messages(dlq.url).map((m) => m.body)).toEqual(["event-1"]);
  });
});
