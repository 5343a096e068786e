/** The operator CLI as a child process (the built dist/cli/redrive.cjs) against the emulator, configured the standard AWS way. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ACCOUNT, contextOf, counts, createQueue, drain, type Emulator, awsEnv, eventBridgeAttributes, REGION, seed, startEmulator, uniqueName, untilNoneInFlight } from "./support/fauxqs";
import { buildBundles, CLI, jsonLines, runCli, start } from "./support/processes";

let emu: Emulator;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  buildBundles();
  emu = await startEmulator();
  env = awsEnv(emu.endpoint);
});
afterAll(() => emu.stop());

const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-placed`;

describe("redrive CLI", () => {
  it("plain SQS DLQ with --to: replays all, --json prints only the summary on stdout, audit lines on stderr, exit 0", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("cli-to"));
    await seed(emu.sqs, dlq.url, Array.from({ length: 23 }, (_, i) => ({ body: `m${i}` })));
    const r = await runCli(["--queue-url", dlq.url, "--to", to.url, "--json", "--wait-seconds", "0"], env);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ received: 23, replayed: 23, failed: 0, dryRun: false });
    const audit = jsonLines(r.stderr).filter((l) => l.event === "redrive.message");
    expect(audit).toHaveLength(23);
    expect(audit[0]).toMatchObject({ outcome: "replayed", sourceQueueUrl: dlq.url, destination: to.url, redriveId: expect.any(String) });
    expect((await drain(emu.sqs, to.url)).map((m) => m.Body).sort()).toEqual(Array.from({ length: 23 }, (_, i) => `m${i}`).sort());
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("exits 1 when a replay failed (destination queue gone), leaving the message in the DLQ", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-fail-dlq"));
    await seed(emu.sqs, dlq.url, [{ body: "lost-target", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:no-such-queue` }) }]);
    const r = await runCli(["--queue-url", dlq.url, "--json", "--wait-seconds", "0"], env);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ failed: 1, replayed: 0 });
    expect(jsonLines(r.stderr).find((l) => l.outcome === "failed")?.error).toMatch(/no-such-queue/);
    expect((await counts(emu.sqs, dlq.url)).visible).toBe(1);
  });

  it("exits 0 when messages were deliberately left in place (dry run, filters)", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-dry-dlq"));
    const target = await createQueue(emu.sqs, uniqueName("cli-dry-target"));
    await seed(emu.sqs, dlq.url, [
      { body: "a", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "TIMEOUT" }) },
      { body: "b", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "NO_PERMISSIONS" }) },
    ]);
    const dry = await runCli(["--queue-url", dlq.url, "--dry-run", "--wait-seconds", "0"], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run/);
    expect(dry.stdout).toMatch(/would replay 2/);
    expect((await counts(emu.sqs, dlq.url)).visible).toBe(2);
    const filtered = await runCli(["--queue-url", dlq.url, "--error-code", "TIMEOUT", "--json", "--wait-seconds", "0"], env);
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
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
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
      expect(refused.stderr).toMatch(/production environment "prod"/);
      expect(refused.stderr).toMatch(/TIMEOUT\s+2/);
      expect(refused.stderr).toMatch(/THROTTLING\s+1/);
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

  it("killed mid-run (SIGKILL) then re-run: nothing lost, duplicates share a redriveId", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("kill-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("kill-to"));
    const n = 400;
    await seed(emu.sqs, dlq.url, Array.from({ length: n }, (_, i) => ({ body: `k${i}` })));
    const args = ["--queue-url", dlq.url, "--to", to.url, "--visibility-timeout", "1", "--wait-seconds", "0", "--concurrency", "2"];
    const first = start([CLI, ...args, "--rate", "500"], env);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if ((first.stderrText().match(/"outcome":"replayed"/g) ?? []).length >= 60) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    await untilNoneInFlight(emu.sqs, dlq.url);
    expect((await counts(emu.sqs, dlq.url)).visible).toBeGreaterThan(0);

    const second = await runCli([...args, "--json"], env);
    expect(second.code).toBe(0);
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    const delivered = await drain(emu.sqs, to.url);
    const byBody = new Map<string, Set<string>>();
    for (const m of delivered) byBody.set(m.Body!, (byBody.get(m.Body!) ?? new Set()).add(contextOf(m).redriveId));
    expect(byBody.size).toBe(n);
    for (const ids of byBody.values()) expect(ids.size).toBe(1);
  });
});
