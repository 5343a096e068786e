/** Audit lines: the outcome line's shape, and lines written one batch at a time. */
import { LineBatch, outcomeLine } from "../../../lambdas/redrive/engine/audit";
import type { OutcomeRecord } from "../../../lambdas/redrive/engine/model";

describe("audit lines", () => {
  it("an outcome line is the record after time, level and event, as one JSON object", () => {
    const record: OutcomeRecord = {
      outcome: "failed",
      error: 'quote " and \n newline',
      messageId: "m1",
      sourceQueueUrl: "u",
      errorCode: null,
      ruleArn: null,
      targetArn: "t",
    };
    const time = new Date("2026-12-01T10:00:00.000Z");
    const line = outcomeLine(record, time);
    expect(line).toBe(
      JSON.stringify({ time: time.toISOString(), level: "error", event: "redrive.message", ...record }),
    );
    expect(Object.keys(JSON.parse(line)).slice(0, 4)).toEqual(["time", "level", "event", "outcome"]);
  });

  it("lines pushed together are written in one call, in order, at the next turn of the event loop or at flush", async () => {
    const writes: string[] = [];
    const batch = new LineBatch((text) => writes.push(text));
    for (let i = 0; i < 10; i++) batch.push(`{"n":${i}}`);
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([`${Array.from({ length: 10 }, (_, i) => `{"n":${i}}`).join("\n")}\n`]);
    batch.push("a");
    batch.push("b");
    batch.flush();
    expect(writes.at(-1)).toBe("a\nb\n");
    batch.flush();
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(2);
  });
});
