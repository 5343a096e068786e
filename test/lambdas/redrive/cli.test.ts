/** The operator CLI as a child process (the built dist/cli/redrive.cjs) against the emulator, configured the standard AWS way. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACCOUNT, contextOf, counts, createQueue, drain, type Emulator, awsEnv, eventBridgeAttributes, REGION, seed, startEmulator, uniqueName, untilNoneInFlight } from "./support/fauxqs";
import { startFaultProxy } from "./support/fault-proxy";
import { buildBundles, CLI, runCli, start, stderrJson } from "./support/processes";

let emu: Emulator;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  buildBundles();
  emu = await startEmulator();
  env = awsEnv(emu.endpoint);
});
afterAll(() => emu.stop());

const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-placed`;

/** The messages (and problems) of the CLI's error lines, as text. */
function errorText(stderr: string): string {
  return stderrJson(stderr)
    .filter((l) => l.level === "error")
    .flatMap((l) => [l.message, ...(l.problems ?? [])])
    .join("\n");
}

describe("redrive CLI", () => {
  it("plain SQS DLQ with --to: replays all, --json prints only the summary on stdout, audit lines on stderr, exit 0", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("cli-to"));
    await seed(emu.sqs, dlq.url, Array.from({ length: 23 }, (_, i) => ({ body: `m${i}` })));
    const r = await runCli(["--queue-url", dlq.url, "--to", to.url, "--json", "--wait-seconds", "0", "--not-production"], env);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ received: 23, replayed: 23, failed: 0, dryRun: false });
    const audit = stderrJson(r.stderr).filter((l) => l.event === "redrive.message");
    expect(audit).toHaveLength(23);
    expect(audit[0]).toMatchObject({ outcome: "replayed", sourceQueueUrl: dlq.url, destination: to.url, redriveId: expect.any(String) });
    expect((await drain(emu.sqs, to.url)).map((m) => m.Body).sort()).toEqual(Array.from({ length: 23 }, (_, i) => `m${i}`).sort());
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("exits 1 when a replay failed (destination queue gone), leaving the message in the DLQ", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-fail-dlq"));
    await seed(emu.sqs, dlq.url, [{ body: "lost-target", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:no-such-queue` }) }]);
    const r = await runCli(["--queue-url", dlq.url, "--json", "--wait-seconds", "0", "--not-production"], env);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ failed: 1, replayed: 0 });
    expect(stderrJson(r.stderr).find((l) => l.outcome === "failed")?.error).toMatch(/no-such-queue/);
    expect((await counts(emu.sqs, dlq.url)).visible).toBe(1);
  });

  it("exits 0 when messages were deliberately left in place (dry run, filters)", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-dry-dlq"));
    const target = await createQueue(emu.sqs, uniqueName("cli-dry-target"));
    await seed(emu.sqs, dlq.url, [
      { body: "a", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "TIMEOUT" }) },
      { body: "b", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "NO_PERMISSIONS" }) },
    ]);
    const dry = await runCli(["--queue-url", dlq.url, "--dry-run", "--wait-seconds", "0", "--not-production"], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run/);
    expect(dry.stdout).toMatch(/would replay 2/);
    expect((await counts(emu.sqs, dlq.url)).visible).toBe(2);
    const filtered = await runCli(["--queue-url", dlq.url, "--error-code", "TIMEOUT", "--json", "--wait-seconds", "0", "--not-production"], env);
    expect(filtered.code).toBe(0);
    expect(JSON.parse(filtered.stdout)).toMatchObject({ replayed: 1, skipped: { "filtered-error-code": 1 } });
  });

  it.each([
    [["--queue-url"], /--queue-url/],
    [["--bogus"], /Unknown option '--bogus'/],
    [[], /--queue-url: required/],
    [["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/q", "--max-messages", "0"], /--max-messages: expected an integer from 1/],
    [["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/q", "--concurrency", "lots"], /--concurrency: expected an integer from 1 to 64, got "lots"/],
    [["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/q", "--rule-arn", "rule"], /--rule-arn: expected an ARN/],
    [["--queue-url", "not-a-url"], /--queue-url: expected an SQS queue URL/],
    [["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/q", "--to", "https://sqs.eu-west-1.amazonaws.com/111111111111/q"], /--to: expected a queue other than the DLQ/],
    [["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/q", "extra"], /Unexpected argument 'extra'/],
  ])("bad arguments %j exit 2 and name the flag", async (args, message) => {
    const r = await runCli(args, env);
    expect(r.code).toBe(2);
    expect(errorText(r.stderr)).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("--to that turns out to be the DLQ under another URL: exit 2 naming --to (found once the queues are described)", async () => {
    const { PassThrough } = await import("node:stream");
    const { main } = await import("../../../lambdas/redrive/cli");
    const { SqsPort } = await import("../../../lambdas/redrive/sqs-port");
    const describe = jest.spyOn(SqsPort.prototype, "describe").mockResolvedValue({ queueArn: "arn:aws:sqs:eu-west-1:999999999999:dlq", fifo: false, maxMessageSize: 262_144 });
    try {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let err = "";
      stderr.on("data", (d: Buffer) => (err += d.toString()));
      const code = await main({
        argv: ["--queue-url", "https://sqs.eu-west-1.amazonaws.com/999999999999/dlq", "--to", "https://eu-west-1.queue.amazonaws.com/999999999999/dlq", "--not-production"],
        env: { AWS_REGION: "eu-west-1" },
        stdout,
        stderr,
        stdin: new PassThrough(),
      });
      expect(code).toBe(2);
      expect(err).toMatch(/--to: expected a queue other than the DLQ being drained/);
    } finally {
      describe.mockRestore();
    }
  });

  it.each([
    [true, "draws a progress bar on stderr when it is a terminal"],
    [false, "draws no progress bar when stderr is not a terminal"],
  ])("isTTY=%s: %s; audit lines and the summary are written either way", async (isTTY) => {
    const { PassThrough } = await import("node:stream");
    const { main } = await import("../../../lambdas/redrive/cli");
    const dlq = await createQueue(emu.sqs, uniqueName("cli-tty-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("cli-tty-to"));
    await seed(emu.sqs, dlq.url, Array.from({ length: 12 }, (_, i) => ({ body: `t${i}` })));
    const saved = { ...process.env };
    Object.assign(process.env, awsEnv(emu.endpoint)); // credentials come from the standard chain, as for the operator
    try {
      const stdout = new PassThrough();
      const stderr = Object.assign(new PassThrough(), { isTTY, columns: 100 });
      let out = "";
      let err = "";
      stdout.on("data", (d: Buffer) => (out += d.toString()));
      stderr.on("data", (d: Buffer) => (err += d.toString()));
      const code = await main({
        argv: ["--queue-url", dlq.url, "--to", to.url, "--wait-seconds", "0", "--not-production"],
        env: awsEnv(emu.endpoint),
        stdout,
        stderr,
        stdin: new PassThrough(),
      });
      expect(code).toBe(0);
      const bar = /\r[^\n]*\d+\/~12 taken, \d+ replayed, 0 left, 0 failed, \d+ msg\/s\x1b\[K/;
      if (isTTY) expect(err).toMatch(bar);
      else expect(err).not.toMatch(/\r|\x1b\[K/);
      expect(err.split("\n").filter((l) => l.includes('"redrive.message"'))).toHaveLength(12);
      expect(out).toMatch(/replayed\s+12/);
    } finally {
      process.env = saved;
    }
  });

  it("--help prints the options and exits 0", async () => {
    const r = await runCli(["--help"], env);
    expect(r.code).toBe(0);
    for (const flag of ["--to", "--dry-run", "--max-messages", "--error-code", "--rule-arn", "--target-arn", "--max-redrives", "--concurrency", "--rate", "--json", "--yes"]) {
      expect(r.stdout).toContain(flag);
    }
  });

  describe("production environments", () => {
    let envDir: string;
    beforeAll(() => {
      envDir = mkdtempSync(join(tmpdir(), "redrive-env-"));
      writeFileSync(join(envDir, "prod.json"), JSON.stringify({ production: true, account: { id: ACCOUNT } }));
    });

    it("shows counts by error code and replays nothing unless confirmed (exit 3)", async () => {
      const dlq = await createQueue(emu.sqs, uniqueName("prod-dlq"));
      const target = await createQueue(emu.sqs, uniqueName("prod-target"));
      await seed(emu.sqs, dlq.url, [
        { body: "1", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "TIMEOUT" }) },
        { body: "2", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "TIMEOUT" }) },
        { body: "3", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "THROTTLING" }) },
      ]);
      const args = ["--queue-url", dlq.url, "--env-dir", envDir, "--json", "--wait-seconds", "0"];
      const refused = await runCli(args, env, "no\n");
      expect(refused.code).toBe(3);
      const lines = stderrJson(refused.stderr);
      expect(lines.find((l) => l.event === "redrive.environment")).toMatchObject({ production: true, environment: "prod", file: join(envDir, "prod.json") });
      expect(lines.find((l) => l.event === "redrive.confirm")).toMatchObject({ message: expect.stringContaining('production "prod"'), byErrorCode: { TIMEOUT: 2, THROTTLING: 1 }, wouldReplay: 3 });
      expect(refused.stdout).toBe("");
      expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 3, inFlight: 0 });

      const confirmed = await runCli(args, env, "yes\n");
      expect(confirmed.code).toBe(0);
      expect(JSON.parse(confirmed.stdout)).toMatchObject({ replayed: 3 });
    });

    it("--yes skips the question", async () => {
      const dlq = await createQueue(emu.sqs, uniqueName("prod-yes-dlq"));
      const to = await createQueue(emu.sqs, uniqueName("prod-yes-to"));
      await seed(emu.sqs, dlq.url, [{ body: "x" }]);
      const r = await runCli(["--queue-url", dlq.url, "--to", to.url, "--env-dir", envDir, "--yes", "--json", "--wait-seconds", "0"], env);
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/Type "yes"/);
      expect(JSON.parse(r.stdout)).toMatchObject({ replayed: 1 });
    });
  });

  it("killed mid-run (SIGKILL) between send and delete, then re-run: nothing lost, the duplicates share a redriveId", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("kill-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("kill-to"));
    const n = 400;
    await seed(emu.sqs, dlq.url, Array.from({ length: n }, (_, i) => ({ body: `k${i}` })));
    const args = ["--queue-url", dlq.url, "--to", to.url, "--visibility-timeout", "1", "--wait-seconds", "0", "--concurrency", "2", "--not-production"];
    // The first run goes through a proxy that stops answering deletes after five: some messages are
    // replayed and deleted, some sent and not yet deleted when the process dies, the rest untouched.
    const proxy = await startFaultProxy(emu.port, { hang: { actions: ["DeleteMessageBatch"], after: 5 } });
    try {
      const first = start([CLI, ...args], { ...env, AWS_ENDPOINT_URL_SQS: proxy.endpoint });
      // Both workers stuck in a delete, after sending their batch: 5 x 10 deleted, 20 more sent.
      for (let polls = 0; !(proxy.injected.hung >= 2 && (await counts(emu.sqs, to.url)).visible >= 70); polls++) {
        if (polls > 1000) throw new Error(`first run never stalled: ${first.stderrText().slice(-500)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      first.child.kill("SIGKILL");
      expect((await first.done).signal).toBe("SIGKILL");
    } finally {
      await proxy.close();
    }
    await untilNoneInFlight(emu.sqs, dlq.url);
    const left = (await counts(emu.sqs, dlq.url)).visible;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(n);

    const second = await runCli([...args, "--json"], env);
    expect(second.code).toBe(0);
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    const delivered = await drain(emu.sqs, to.url);
    const byBody = new Map<string, string[]>();
    for (const m of delivered) byBody.set(m.Body!, [...(byBody.get(m.Body!) ?? []), contextOf(m).redriveId]);
    expect(byBody.size).toBe(n);
    const duplicated = [...byBody.values()].filter((ids) => ids.length > 1);
    expect(duplicated.length).toBeGreaterThan(0);
    for (const ids of duplicated) expect(new Set(ids).size).toBe(1);
  });

});
