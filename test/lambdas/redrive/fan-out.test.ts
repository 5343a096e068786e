/** The Lambda fan-out runner with a scripted invoke: shares, follow-up runs after a deadline, stopping, merging, function errors. */
import { fanOut, type InvocationResult, mergeRuns, readInvocation, shares } from "../../../lambdas/redrive/cli/fan-out";
import type { RedriveSummary } from "../../../lambdas/redrive/engine/model";

const QUEUE = "https://sqs.us-east-1.amazonaws.com/000000000000/dlq";

function summary(over: Partial<RedriveSummary> = {}): RedriveSummary {
  return {
    dryRun: false,
    queues: [QUEUE],
    received: 0,
    replayed: 0,
    wouldReplay: 0,
    skipped: {},
    skippedTotal: 0,
    failed: 0,
    notDeleted: 0,
    holdLapsed: 0,
    byErrorCode: {},
    byRuleArn: {},
    byTargetArn: {},
    durationMs: 1,
    stoppedBecause: "drained",
    ...over,
  };
}
const ok = (s: RedriveSummary): InvocationResult => ({
  statusCode: 200,
  payload: new TextEncoder().encode(JSON.stringify(s)),
});
const fnError = (errorType: string, errorMessage: string): InvocationResult => ({
  statusCode: 200,
  functionError: "Unhandled",
  payload: new TextEncoder().encode(JSON.stringify({ errorType, errorMessage })),
});
const decode = (p: Uint8Array) => JSON.parse(Buffer.from(p).toString("utf8"));
const depth = async () => ({ visible: 0, inFlight: 0 });

describe("Lambda fan-out", () => {
  it("splits a total evenly, the remainder to the first slots", () => {
    expect(shares(10, 4)).toEqual([3, 3, 2, 2]);
    expect(shares(2, 4)).toEqual([1, 1, 0, 0]);
  });

  it("starts N runs at once with the same event and merges their summaries into one", async () => {
    const events: any[] = [];
    let running = 0;
    let most = 0;
    const result = await fanOut({ queueUrl: QUEUE, maxRedrives: 2 }, 3, {
      depth,
      invoke: async (p) => {
        events.push(decode(p));
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return ok(
          summary({
            received: 5,
            replayed: 4,
            skipped: { "max-redrives-reached": 1 },
            skippedTotal: 1,
            byErrorCode: { TIMEOUT: 5 },
          }),
        );
      },
    });
    expect(most).toBe(3);
    expect(events).toEqual([
      { queueUrl: QUEUE, maxRedrives: 2 },
      { queueUrl: QUEUE, maxRedrives: 2 },
      { queueUrl: QUEUE, maxRedrives: 2 },
    ]);
    expect(result.summary).toMatchObject({
      queues: [QUEUE],
      received: 15,
      replayed: 12,
      skipped: { "max-redrives-reached": 3 },
      skippedTotal: 3,
      byErrorCode: { TIMEOUT: 15 },
      stoppedBecause: "drained",
    });
    expect(result.summary.error).toBeUndefined();
    expect(result.runs).toHaveLength(3);
  });

  it("divides --max-messages and --rate between the runs and follows a run its deadline stopped with the rest of its share", async () => {
    const events: any[] = [];
    const result = await fanOut({ queueUrl: QUEUE, maxMessages: 25, rate: 10 }, 2, {
      depth,
      invoke: async (p) => {
        const e = decode(p);
        events.push(e);
        // Each run takes at most 5 before its deadline.
        const take = Math.min(5, e.maxMessages);
        return ok(
          summary({
            received: take,
            replayed: take,
            stoppedBecause: take === e.maxMessages ? "max-messages" : "deadline",
          }),
        );
      },
    });
    expect(events.filter((e) => e.rate !== 5)).toEqual([]);
    expect(events.map((e) => e.maxMessages).sort((a, b) => a - b)).toEqual([2, 3, 7, 8, 12, 13]);
    expect(result.summary).toMatchObject({ received: 25, replayed: 25, stoppedBecause: "max-messages" });
  });

  it("does not follow a run its deadline stopped before it took anything (the next would not either)", async () => {
    let calls = 0;
    const result = await fanOut({ queueUrl: QUEUE }, 1, {
      depth,
      invoke: async () => {
        calls++;
        return ok(
          summary({ received: calls === 1 ? 4 : 0, replayed: calls === 1 ? 4 : 0, stoppedBecause: "deadline" }),
        );
      },
    });
    expect(calls).toBe(2);
    expect(result.summary).toMatchObject({ replayed: 4, stoppedBecause: "deadline" });
  });

  it("does not follow a dry run its deadline stopped (it would inspect what it released again)", async () => {
    let calls = 0;
    const dry = await fanOut({ queueUrl: QUEUE, dryRun: true }, 1, {
      depth,
      invoke: async () => {
        calls++;
        return ok(summary({ dryRun: true, received: 3, wouldReplay: 3, stoppedBecause: "deadline" }));
      },
    });
    expect(calls).toBe(1);
    expect(dry.summary).toMatchObject({ dryRun: true, wouldReplay: 3, stoppedBecause: "deadline" });
  });

  it("stops starting runs once aborted and waits for the running ones", async () => {
    const controller = new AbortController();
    let calls = 0;
    const result = await fanOut({ queueUrl: QUEUE }, 2, {
      depth,
      signal: controller.signal,
      invoke: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        controller.abort();
        return ok(summary({ received: 1, replayed: 1, stoppedBecause: "deadline" }));
      },
    });
    expect(calls).toBe(2);
    expect(result.summary).toMatchObject({ replayed: 2, stoppedBecause: "aborted" });
  });

  it("keeps the summary of a run whose replays failed, and reports runs that returned none as errors", async () => {
    let n = 0;
    const failedSummary = summary({ received: 2, replayed: 1, failed: 1 });
    const result = await fanOut({ queueUrl: QUEUE }, 3, {
      depth,
      invoke: async () => {
        n++;
        if (n === 1)
          return fnError(
            "RedriveError",
            `redrive finished with 1 failed and 0 undeleted message(s): ${JSON.stringify(failedSummary)}`,
          );
        if (n === 2)
          return fnError("RedriveError", "invalid redrive event:\n  queueUrl: not a DLQ this function serves");
        throw Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" });
      },
    });
    expect(result.summary).toMatchObject({ received: 2, replayed: 1, failed: 1 });
    expect(result.summary.error).toMatch(
      /run 1: RedriveError: invalid redrive event:\n {2}queueUrl: not a DLQ this function serves/,
    );
    expect(result.summary.error).toMatch(/invoke failed: TooManyRequestsException: Rate exceeded/);
    expect(result.summary.error).not.toMatch(/1 failed/);
  });

  it("reports the DLQ's depth, the runs going and finished, and the totals so far while the runs go", async () => {
    const seen: any[] = [];
    let depthCalls = 0;
    await fanOut({ queueUrl: QUEUE }, 2, {
      depth: async () => ({ visible: 100 - 10 * depthCalls++, inFlight: 5 }),
      progressEveryMs: 5,
      onProgress: (p) => seen.push(p),
      invoke: async () => {
        await new Promise((r) => setTimeout(r, 40));
        return ok(summary({ received: 3, replayed: 3 }));
      },
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toEqual({ visible: 100, inFlight: 5, running: 2, finishedRuns: 0, replayed: 0, failed: 0 });
  });

  it("reads payloads that are not summaries as errors", () => {
    expect(readInvocation({ statusCode: 200, payload: new TextEncoder().encode("null") }).error).toMatch(
      /returned no redrive summary/,
    );
    expect(
      readInvocation({
        statusCode: 200,
        functionError: "Unhandled",
        payload: new TextEncoder().encode(JSON.stringify({ errorType: "Runtime.ExitError", errorMessage: "exited" })),
      }),
    ).toEqual({ error: "Runtime.ExitError: exited" });
    expect(mergeRuns([], { queueUrl: QUEUE }, 5, false)).toMatchObject({
      received: 0,
      stoppedBecause: "drained",
      queues: [QUEUE],
    });
  });
});
