/**
 * The CLI's --threads: one run on several threads sharing one quota, one receive limit and one empty
 * receive. Pure parts in process; the run itself as the operator runs it (the built bundle, a child
 * process) against the emulator: all replayed once, the quota shared, a stop forwarded, SIGKILL losing none.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redrive } from "../../../lambdas/redrive/engine/engine";
import type { RedriveSummary } from "../../../lambdas/redrive/engine/model";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import { RunCounters } from "../../../lambdas/redrive/engine/run-counters";
import {
  AUTO_THREADS_MAX,
  AUTO_THREADS_MIN_DEPTH,
  autoThreads,
  autoThreadsCap,
  MAX_THREADS,
  mergeThreadSummaries,
  parseThreads,
  redriveOnThreads,
  shareOptions,
} from "../../../lambdas/redrive/cli/threads";
import {
  contextOf,
  counts,
  createQueue,
  drain,
  type Emulator,
  seed,
  uniqueName,
  untilNoneInFlight,
} from "./support/fauxqs";
import { ebAttributes, MemoryPort } from "./support/memory-port";
import { CLI, runCli, start, stderrJson, withCliEmulator } from "./support/processes";

const QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/orders-dlq";

describe("RunCounters", () => {
  it("claims never exceed the quota, give back what was not taken, and are seen through another view of the buffer", () => {
    const a = new RunCounters(new SharedArrayBuffer(RunCounters.BYTES));
    const b = new RunCounters(a.buffer);
    expect(a.claim(25, 10)).toBe(10);
    expect(b.claim(25, 10)).toBe(10);
    expect(a.claim(25, 10)).toBe(5);
    expect(b.claim(25, 10)).toBe(0);
    // 7 of b's first 10 were taken: 3 go back to the quota.
    b.settle(25, 10, 7);
    expect(a.used).toBe(7);
    expect(a.claim(25, 10)).toBe(3);
    a.settle(25, 10, 10);
    a.settle(25, 5, 5);
    a.settle(25, 3, 3);
    expect(b.used).toBe(25);
    expect(b.claim(25, 1)).toBe(0);
    // Without a quota a claim is all it asks for.
    expect(a.claim(undefined, 10)).toBe(10);
    b.addReceived(4);
    b.addPending(3);
    b.markEmpty();
    expect([a.received, a.pending, a.empty]).toEqual([4, 3, true]);
    expect(() => new RunCounters(new ArrayBuffer(4))).toThrow(/RunCounters: expected 20 bytes/);
  });
});

describe("--threads: parsing, the automatic count, the shares", () => {
  it("parses auto and whole numbers 1..MAX_THREADS; anything else names the flag", () => {
    expect(parseThreads("auto")).toEqual({ threads: "auto" });
    expect(parseThreads(" 3 ")).toEqual({ threads: 3 });
    expect(parseThreads(String(MAX_THREADS))).toEqual({ threads: MAX_THREADS });
    for (const bad of ["0", String(MAX_THREADS + 1), "1.5", "two", "", "-1"])
      expect(parseThreads(bad)).toEqual({
        problem: `--threads: expected auto or a whole number from 1 to ${MAX_THREADS}, got ${JSON.stringify(bad)}`,
      });
  });

  it("auto: one thread per two logical CPUs up to the cap, only for a deep standard DLQ, never more than --concurrency", () => {
    const options = validateOptions({ queueUrl: QUEUE });
    expect([1, 2, 3, 4, 6, 8, 64].map((cpus) => autoThreadsCap(cpus))).toEqual([
      1,
      1,
      1,
      2,
      3,
      AUTO_THREADS_MAX,
      AUTO_THREADS_MAX,
    ]);
    expect(autoThreads(options, 100_000, 2)).toBe(1);
    expect(autoThreads(options, 100_000, 4)).toBe(2);
    expect(autoThreads(options, 100_000, 32)).toBe(AUTO_THREADS_MAX);
    expect(autoThreads(options, AUTO_THREADS_MIN_DEPTH - 1, 8)).toBe(1);
    expect(autoThreads(options, undefined, 8)).toBe(1);
    expect(autoThreads(validateOptions({ queueUrl: QUEUE, maxMessages: 500 }), 100_000, 8)).toBe(1);
    expect(autoThreads(validateOptions({ queueUrl: QUEUE, concurrency: 3 }), 100_000, 16)).toBe(3);
    expect(autoThreads(validateOptions({ queueUrl: `${QUEUE}.fifo` }), 100_000, 8)).toBe(1);
  });

  it("a CLI run from source (no bundle to start threads with) refuses an explicit --threads above 1, naming the flag", async () => {
    const { PassThrough } = await import("node:stream");
    const { main } = await import("../../../lambdas/redrive/cli");
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (d: Buffer) => (err += d.toString()));
    const io = { env: {}, stdout: new PassThrough(), stderr, stdin: new PassThrough() };
    expect(await main({ ...io, argv: ["--queue-url", QUEUE, "--threads", "2", "--not-production"] })).toBe(2);
    expect(err).toMatch(/--threads: this copy of the CLI runs from source and cannot start threads/);
  });

  it("shares: --concurrency split with at least one lane each and --rate split evenly, the rest of the options as given", () => {
    const options = validateOptions({ queueUrl: QUEUE, concurrency: 7, rate: 100, maxMessages: 50 });
    const shares = shareOptions(options, 3);
    expect(shares.map((s) => s.concurrency)).toEqual([3, 2, 2]);
    expect(shares.reduce((a, s) => a + (s.rate ?? 0), 0)).toBeCloseTo(100);
    for (const s of shares) expect({ ...s, concurrency: 0, rate: 0 }).toEqual({ ...options, concurrency: 0, rate: 0 });
    expect(shareOptions(validateOptions({ queueUrl: QUEUE }), 2).every((s) => s.rate === undefined)).toBe(true);
  });

  it("merges the threads' summaries into one run over one queue; a thread that failed makes it an error", () => {
    const one = (over: Partial<RedriveSummary>): RedriveSummary => ({
      dryRun: false,
      queues: [QUEUE],
      received: 10,
      replayed: 9,
      wouldReplay: 0,
      skipped: { "max-redrives-reached": 1 },
      skippedTotal: 1,
      failed: 0,
      notDeleted: 0,
      holdLapsed: 0,
      byErrorCode: { ERROR_FROM_TARGET: 10 },
      byRuleArn: {},
      byTargetArn: {},
      durationMs: 5,
      stoppedBecause: "drained",
      ...over,
    });
    const merged = mergeThreadSummaries([one({}), one({ error: "a; b" }), one({ error: "b" })], [], QUEUE, 42);
    expect(merged).toMatchObject({
      queues: [QUEUE],
      received: 30,
      replayed: 27,
      skipped: { "max-redrives-reached": 3 },
      byErrorCode: { ERROR_FROM_TARGET: 30 },
      durationMs: 42,
      stoppedBecause: "drained",
      error: "a; b",
    });
    const broken = mergeThreadSummaries([one({})], ["thread 2 of 2 stopped: boom"], QUEUE, 1);
    expect(broken).toMatchObject({ stoppedBecause: "aborted", error: "thread 2 of 2 stopped: boom" });
    expect(mergeThreadSummaries([one({})], [], QUEUE, 1).error).toBeUndefined();
  });
});

describe("redriveOnThreads: the main thread's side of the protocol, with stand-in threads", () => {
  /** A thread script that posts `messages` (JSON) to the main thread, then does `then`. */
  function standIn(messages: unknown[], then: string): string {
    const dir = mkdtempSync(join(tmpdir(), "redrive-thread-"));
    const file = join(dir, "thread.cjs");
    writeFileSync(
      file,
      `const { parentPort } = require("node:worker_threads");\nfor (const m of ${JSON.stringify(messages)}) parentPort.postMessage(m);\n${then}\n`,
    );
    return file;
  }

  function memoryRun(n: number) {
    const port = new MemoryPort();
    const dlq = port.addQueue("orders-dlq");
    const target = port.addQueue("orders");
    for (let i = 0; i < n; i++) port.put(dlq.url, `e${i}`, ebAttributes(target.arn));
    return { port, dlq, target, options: validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0 }) };
  }

  it("a thread that dies: its audit lines are kept, the others' work is merged, and the run is an error naming it", async () => {
    const { port, dlq, target, options } = memoryRun(12);
    const lines: string[] = [];
    // Many lines, then the throw: the error reaches the main thread on another channel than the lines, and may overtake
    // them; the run must not settle on it before every line the thread sent has arrived (Node delivers them before 'exit').
    const sent = Array.from({ length: 3000 }, (_, i) => ({
      type: "lines",
      text: `{"event":"from-thread","n":${i}}\n`,
    }));
    const summary = await redriveOnThreads(options, {
      script: standIn(sent, 'throw new Error("thread broke");'),
      threads: 2,
      env: {},
      deps: { port },
      lines: (text) => lines.push(text),
    });
    expect(lines).toEqual(sent.map((m) => m.text));
    expect(summary).toMatchObject({ replayed: 12, queues: [dlq.url], stoppedBecause: "aborted" });
    expect(summary.error).toMatch(/^thread 2 of 2 stopped: .*thread broke/);
    expect(port.messages(target.url)).toHaveLength(12);
  });

  it("a thread's summary is merged with the main thread's; a thread that ends without one is an error too", async () => {
    const { port, options } = memoryRun(5);
    const theirs = { ...JSON.parse(JSON.stringify(await redrive(options, { port }))), received: 7, replayed: 7 };
    const { port: port2, options: options2 } = memoryRun(5);
    const merged = await redriveOnThreads(options2, {
      script: standIn([{ type: "summary", summary: theirs }], ""),
      threads: 2,
      env: {},
      deps: { port: port2 },
      lines: () => undefined,
    });
    expect(merged).toMatchObject({ received: 12, replayed: 12, stoppedBecause: "drained" });
    expect(merged.error).toBeUndefined();
    const { port: port3, options: options3 } = memoryRun(1);
    const silent = await redriveOnThreads(options3, {
      script: standIn([], "process.exit(3);"),
      threads: 2,
      env: {},
      deps: { port: port3 },
      lines: () => undefined,
    });
    expect(silent.error).toMatch(/thread 2 of 2 stopped: the thread exited \(code 3\) before its summary/);
  });
});

describe("--threads over the wire (the built CLI, the emulator)", () => {
  const ctx = withCliEmulator();
  let emu: Emulator;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    ({ emu, env } = ctx);
  });

  async function filled(tag: string, n: number) {
    const dlq = await createQueue(emu.sqs, uniqueName(`${tag}-dlq`));
    const to = await createQueue(emu.sqs, uniqueName(`${tag}-to`));
    await seed(
      emu.sqs,
      dlq.url,
      Array.from({ length: n }, (_, i) => ({ body: `${tag}-${i}` })),
    );
    return { dlq, to };
  }

  it("two threads replay every message once, share --max-messages, and say how many threads worked", async () => {
    const n = 400;
    const [all, capped] = await Promise.all([filled("threads-all", n), filled("threads-cap", 200)]);
    const base = ["--json", "--not-production", "--threads", "2"];
    const [r, c] = await Promise.all([
      runCli(["--queue-url", all.dlq.url, "--to", all.to.url, ...base], env),
      runCli(["--queue-url", capped.dlq.url, "--to", capped.to.url, "--max-messages", "123", ...base], env),
    ]);
    expect(r.code).toBe(0);
    const lines = stderrJson(r.stderr);
    expect(lines.find((l) => l.event === "redrive.threads")).toMatchObject({ threads: 2, expected: n });
    const outcomes = lines.filter((l) => l.event === "redrive.message");
    expect(new Set(outcomes.map((l) => l.messageId)).size).toBe(n);
    expect(outcomes).toHaveLength(n);
    expect(JSON.parse(r.stdout)).toMatchObject({
      queues: [all.dlq.url],
      received: n,
      replayed: n,
      failed: 0,
      stoppedBecause: "drained",
    });
    expect(await counts(emu.sqs, all.dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    const delivered = await drain(emu.sqs, all.to.url);
    expect(new Set(delivered.map((m) => m.Body)).size).toBe(n);
    expect(delivered).toHaveLength(n);

    // One quota for both threads: 123 in all, not 123 each.
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ replayed: 123, stoppedBecause: "max-messages" });
    expect((await counts(emu.sqs, capped.to.url)).visible).toBe(123);
    await untilNoneInFlight(emu.sqs, capped.dlq.url);
    // (the helper's own probe leaves at most one counted in flight: see untilNoneInFlight)
    const left = await counts(emu.sqs, capped.dlq.url);
    expect(left.visible + left.inFlight).toBe(200 - 123);
  });

  it("bad --threads values are argument errors naming the flag (exit 2), reported with the other problems", async () => {
    const dlq = `${emu.endpoint}/000000000000/whatever`;
    // --rate 0 rides along where the threads problem needs no valid options: every problem is reported at once.
    const cases: [string[], RegExp[]][] = [
      [
        ["--threads", "0", "--rate", "0"],
        [/--threads: expected auto or a whole number from 1 to 16, got "0"/, /--rate/],
      ],
      [
        ["--threads", "3", "--concurrency", "2"],
        [/--threads: at most --concurrency \(2\) threads, each runs at least one lane; got 3/],
      ],
      [
        ["--threads", "2", "--workers", "lambda:2", "--function-name", "f", "--rate", "0"],
        [/--threads: not with --workers/, /--rate/],
      ],
    ];
    const results = await Promise.all(
      cases.map(([args]) => runCli(["--queue-url", dlq, "--not-production", ...args], env)),
    );
    results.forEach((r, i) => {
      expect(r.code).toBe(2);
      const problems = stderrJson(r.stderr)
        .flatMap((l) => l.problems ?? [])
        .join("\n");
      for (const expected of cases[i][1]) expect(problems).toMatch(expected);
    });
  });

  it("SIGTERM stops every thread: in-flight work finished, the rest released, one merged summary, exit 143", async () => {
    const { dlq, to } = await filled("threads-sig", 200);
    // 20 messages/s across both threads (10 each): after the first receives, the next wait for their slots.
    const run = start(
      [CLI, "--queue-url", dlq.url, "--to", to.url, "--rate", "20", "--threads", "2", "--json", "--not-production"],
      env,
    );
    for (
      let polls = 0;
      stderrJson(run.stderrText()).filter((l) => l.event === "redrive.message").length < 20;
      polls++
    ) {
      if (polls > 1000) throw new Error(`threads never both replayed: ${run.stderrText().slice(-500)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    run.child.kill("SIGTERM");
    const done = await run.done;
    expect(done.code).toBe(143);
    const summary = JSON.parse(done.stdout);
    expect(summary).toMatchObject({ failed: 0, stoppedBecause: "aborted", queues: [dlq.url] });
    expect(summary.replayed).toBeLessThan(200);
    const moved = (await counts(emu.sqs, to.url)).visible;
    expect(moved).toBe(summary.replayed);
    // Released at once, not left to a visibility timeout: nothing in flight, nothing lost.
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 200 - moved, inFlight: 0 });
  });

  it("SIGKILL mid-run on two threads: nothing lost (every message in the DLQ again or at the target, with its context)", async () => {
    const n = 300;
    const { dlq, to } = await filled("threads-kill", n);
    const first = start(
      [CLI, "--queue-url", dlq.url, "--to", to.url, "--visibility-timeout", "1", "--not-production"].concat([
        "--threads",
        "2",
        "--rate",
        "200",
      ]),
      env,
    );
    for (let polls = 0; (await counts(emu.sqs, to.url)).visible < 50; polls++) {
      if (polls > 1000) throw new Error(`first run never moved: ${first.stderrText().slice(-500)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill("SIGKILL");
    expect((await first.done).signal).toBe("SIGKILL");
    // What the dead threads held comes back when its visibility lapses (1 s); what they sent is at the target.
    await untilNoneInFlight(emu.sqs, dlq.url);
    const [back, delivered] = [await drain(emu.sqs, dlq.url), await drain(emu.sqs, to.url)];
    expect(back.length).toBeGreaterThan(0);
    const bodies = new Set([...back, ...delivered].map((m) => m.Body));
    expect(bodies.size).toBe(n);
    for (const m of delivered) expect(contextOf(m).redriveId).toEqual(expect.any(String));
  });
});
