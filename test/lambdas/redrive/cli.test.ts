/** The operator CLI as a child process (the built dist/cli/redrive.cjs) against the emulator, configured the standard AWS way. */
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ACCOUNT,
  contextOf,
  counts,
  createQueue,
  drain,
  type Emulator,
  awsEnv,
  eventBridgeAttributes,
  REGION,
  seed,
  startEmulator,
  uniqueName,
  untilNoneInFlight,
} from "./support/fauxqs";
import { startFaultProxy } from "./support/fault-proxy";
import { buildBundles, CLI, ROOT, runCli, start, stderrJson } from "./support/processes";

let emu: Emulator;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  buildBundles();
  emu = await startEmulator();
  env = awsEnv(emu.endpoint);
});
afterAll(() => emu.stop());

const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-placed`;

/** Runs main() in this process (cheap: for argument errors), with the emulator's AWS environment. */
async function mainHere(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { PassThrough } = await import("node:stream");
  const { main } = await import("../../../lambdas/redrive/cli");
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = "";
    let err = "";
    stdout.on("data", (d: Buffer) => (out += d.toString()));
    stderr.on("data", (d: Buffer) => (err += d.toString()));
    // In this process the CLI may not read the project's env/ (tests never do): without --env-dir it gets an empty one.
    const args = argv.includes("--env-dir") ? argv : [...argv, "--env-dir", mkdtempSync(join(tmpdir(), "no-env-"))];
    const code = await main({ argv: args, env, stdout, stderr, stdin: new PassThrough() });
    return { code, stdout: out, stderr: err };
  } finally {
    process.env = saved;
  }
}

/** A scratch directory with env/<name>.json files. */
function envDirWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "redrive-env-"));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(content));
  return dir;
}

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
    await seed(
      emu.sqs,
      dlq.url,
      Array.from({ length: 23 }, (_, i) => ({ body: `m${i}` })),
    );
    const r = await runCli(
      ["--queue-url", dlq.url, "--to", to.url, "--json", "--wait-seconds", "0", "--not-production"],
      env,
    );
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ received: 23, replayed: 23, failed: 0, dryRun: false });
    const audit = stderrJson(r.stderr).filter((l) => l.event === "redrive.message");
    expect(audit).toHaveLength(23);
    expect(audit[0]).toMatchObject({
      outcome: "replayed",
      sourceQueueUrl: dlq.url,
      destination: to.url,
      redriveId: expect.any(String),
    });
    expect((await drain(emu.sqs, to.url)).map((m) => m.Body).sort()).toEqual(
      Array.from({ length: 23 }, (_, i) => `m${i}`).sort(),
    );
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("plain SQS DLQ without --to: back to the queue whose DLQ it is (ListDeadLetterSourceQueues), as SQS's own redrive", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-src-dlq"));
    const source = await createQueue(emu.sqs, uniqueName("cli-src"), {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    await seed(emu.sqs, dlq.url, [{ body: "a" }, { body: "b" }]);
    const r = await mainHere(["--queue-url", dlq.url, "--json", "--wait-seconds", "0", "--not-production"]);
    expect({ code: r.code, errors: errorText(r.stderr) }).toEqual({ code: 0, errors: "" });
    expect(JSON.parse(r.stdout)).toMatchObject({ received: 2, replayed: 2, skippedTotal: 0 });
    expect(stderrJson(r.stderr).find((l) => l.event === "redrive.source-queue")).toMatchObject({ to: source.url });
    expect((await drain(emu.sqs, source.url)).map((m) => m.Body).sort()).toEqual(["a", "b"]);
  });

  it("plain SQS DLQ of several queues without --to: refuses (exit 2), naming them, nothing replayed", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-two-dlq"));
    const policy = { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }) };
    const [one, two] = [
      await createQueue(emu.sqs, uniqueName("cli-one"), policy),
      await createQueue(emu.sqs, uniqueName("cli-two"), policy),
    ];
    await seed(emu.sqs, dlq.url, [{ body: "a" }]);
    const r = await mainHere(["--queue-url", dlq.url, "--json", "--wait-seconds", "0", "--not-production"]);
    expect(r.code).toBe(2);
    expect(errorText(r.stderr)).toContain(`--to: required: ${dlq.url} is the dead-letter queue of 2 queues (`);
    expect(errorText(r.stderr)).toContain(one.url);
    expect(errorText(r.stderr)).toContain(two.url);
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 1, inFlight: 0 });
  });

  it("without credentials, says which profile and region it tried (a whole process, no AWS reached)", async () => {
    const r = await runCli(
      ["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/x-dlq", "--not-production", "--json"],
      {
        PATH: process.env.PATH,
        HOME: mkdtempSync(join(tmpdir(), "no-aws-home-")),
        AWS_PROFILE: "ops",
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
    );
    expect(r.code).toBe(1);
    expect(stderrJson(r.stderr).find((l) => l.level === "error")).toMatchObject({
      hint: "no AWS credentials: tried profile ops and the AWS_* variables, region eu-west-1",
    });
  });

  it("exits 1 when a replay failed (destination queue gone), leaving the message in the DLQ", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-fail-dlq"));
    await seed(emu.sqs, dlq.url, [
      {
        body: "lost-target",
        attributes: eventBridgeAttributes({
          ruleArn: RULE,
          targetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:no-such-queue`,
        }),
      },
    ]);
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
      {
        body: "b",
        attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "NO_PERMISSIONS" }),
      },
    ]);
    const dry = await mainHere(["--queue-url", dlq.url, "--dry-run", "--wait-seconds", "0", "--not-production"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/dry run/);
    expect(dry.stdout).toMatch(/would replay 2/);
    expect((await counts(emu.sqs, dlq.url)).visible).toBe(2);
    const filtered = await mainHere([
      "--queue-url",
      dlq.url,
      "--error-code",
      "TIMEOUT",
      "--json",
      "--wait-seconds",
      "0",
      "--not-production",
    ]);
    expect(filtered.code).toBe(0);
    expect(JSON.parse(filtered.stdout)).toMatchObject({ replayed: 1, skipped: { "filtered-error-code": 1 } });
  });

  it.each([
    [["--queue-url"], /--queue-url/],
    [["--bogus"], /Unknown option '--bogus'/],
    [[], /--queue-url: required/],
    [
      ["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/q", "--max-messages", "0"],
      /--max-messages: expected an integer from 1/,
    ],
    [
      ["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/q", "--concurrency", "lots"],
      /--concurrency: expected an integer from 1 to 64, got "lots"/,
    ],
    [
      ["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/q", "--rule-arn", "rule"],
      /--rule-arn: expected an ARN/,
    ],
    [["--queue-url", "not-a-url"], /--queue-url: expected an SQS queue URL/],
    [
      [
        "--queue-url",
        "https://sqs.eu-west-1.amazonaws.com/111111111111/q",
        "--to",
        "https://sqs.eu-west-1.amazonaws.com/111111111111/q",
      ],
      /--to: expected a queue other than the DLQ/,
    ],
    [["--queue-url", "https://sqs.eu-west-1.amazonaws.com/111111111111/q", "extra"], /Unexpected argument 'extra'/],
  ])("bad arguments %j exit 2 and name the flag", async (args, message) => {
    // In this process: main() returns before any call; exit codes of the process itself are covered by the runs above and below.
    const r = await mainHere(args);
    expect(r.code).toBe(2);
    expect(errorText(r.stderr)).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("--to that turns out to be the DLQ under another URL: exit 2 naming --to (found once the queues are described)", async () => {
    const { PassThrough } = await import("node:stream");
    const { main } = await import("../../../lambdas/redrive/cli");
    const { SqsPort } = await import("../../../lambdas/redrive/ports/sqs-port");
    const describe = jest
      .spyOn(SqsPort.prototype, "describe")
      .mockResolvedValue({ queueArn: "arn:aws:sqs:eu-west-1:999999999999:dlq", fifo: false, maxMessageSize: 262_144 });
    try {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let err = "";
      stderr.on("data", (d: Buffer) => (err += d.toString()));
      const code = await main({
        argv: [
          "--queue-url",
          "https://sqs.eu-west-1.amazonaws.com/999999999999/dlq",
          "--to",
          "https://eu-west-1.queue.amazonaws.com/999999999999/dlq",
          "--not-production",
          "--env-dir",
          mkdtempSync(join(tmpdir(), "no-env-")),
        ],
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
  ])(
    "isTTY=%s: %s; the audit trail goes to a file on a terminal (named in the summary), to stderr otherwise",
    async (isTTY) => {
      const { PassThrough } = await import("node:stream");
      const { main } = await import("../../../lambdas/redrive/cli");
      const dlq = await createQueue(emu.sqs, uniqueName("cli-tty-dlq"));
      const to = await createQueue(emu.sqs, uniqueName("cli-tty-to"));
      await seed(
        emu.sqs,
        dlq.url,
        Array.from({ length: 12 }, (_, i) => ({ body: `t${i}` })),
      );
      const saved = { ...process.env };
      Object.assign(process.env, awsEnv(emu.endpoint)); // credentials come from the standard chain, as for the operator
      // On a terminal the trail is written in the working folder: a scratch one.
      const cwd = process.cwd();
      const here = mkdtempSync(join(tmpdir(), "audit-cwd-"));
      process.chdir(here);
      try {
        const stdout = new PassThrough();
        const stderr = Object.assign(new PassThrough(), { isTTY, columns: 100 });
        let out = "";
        let err = "";
        stdout.on("data", (d: Buffer) => (out += d.toString()));
        stderr.on("data", (d: Buffer) => (err += d.toString()));
        const code = await main({
          argv: [
            ...["--queue-url", dlq.url, "--to", to.url, "--wait-seconds", "0", "--not-production"],
            ...["--env-dir", mkdtempSync(join(tmpdir(), "no-env-"))],
          ],
          env: awsEnv(emu.endpoint),
          stdout,
          stderr,
          stdin: new PassThrough(),
        });
        expect(code).toBe(0);
        const bar =
          /\r[^\n]*\d+\/~12 taken, \d+ replayed, 0 left, 0 failed, \d+ msg\/s(, about [^\x1b]* to go)?\x1b\[K/;
        if (isTTY) expect(err).toMatch(bar);
        else expect(err).not.toMatch(/\r|\x1b\[K/);
        const onStderr = err.split("\n").filter((l) => l.includes('"redrive.message"'));
        expect(out).toMatch(/replayed\s+12/);
        const files = readdirSync(here);
        if (isTTY) {
          expect(onStderr).toHaveLength(0);
          expect(files).toEqual([expect.stringMatching(/^redrive-audit-.*\.jsonl$/)]);
          const lines = readFileSync(join(here, files[0]), "utf8").trim().split("\n");
          expect(lines.filter((l) => JSON.parse(l).event === "redrive.message")).toHaveLength(12);
          expect(out).toContain(`audit trail  ${join(realpathSync(here), files[0])} (${lines.length} lines)`);
        } else {
          expect(onStderr).toHaveLength(12);
          expect(files).toEqual([]);
        }
      } finally {
        process.chdir(cwd);
        process.env = saved;
      }
    },
  );

  it("on a real pseudo-terminal (script): a fitted progress line, the summary for people, the trail in a file", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-pty-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("cli-pty-to"));
    await seed(
      emu.sqs,
      dlq.url,
      Array.from({ length: 40 }, (_, i) => ({ body: `p${i}` })),
    );
    const here = mkdtempSync(join(tmpdir(), "pty-"));
    const command = [process.execPath, CLI, "--queue-url", dlq.url, "--to", to.url, "--not-production", "--rate", "80"]
      .map((a) => `'${a}'`)
      .join(" ");
    // stty sets the terminal's width: 60 columns, narrower than the whole line with its bar.
    const r = spawnSync("script", ["-qec", `stty cols 60; ${command}`, "/dev/null"], {
      cwd: here,
      env: { ...env, TERM: "dumb" },
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    const screen = r.stdout.replace(/\r\n/g, "\n");
    const progress = screen
      .split(/[\r\n]/)
      .filter((l) => l.includes(" taken, "))
      .map((l) => l.replace(/\x1b\[K/g, ""));
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) expect(line.length).toBeLessThan(60);
    expect(screen).not.toContain('"redrive.message"');
    const [file] = readdirSync(here);
    expect(screen).toContain(`audit trail  ${join(realpathSync(here), file)} (40 lines)`);
    expect(screen).toMatch(/replayed\s+40/);
  });

  it("--audit-file writes the trail to a new file (stderr keeps the rest), and never overwrites one", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-audit-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("cli-audit-to"));
    await seed(emu.sqs, dlq.url, [{ body: "a" }, { body: "b" }, { body: "c" }]);
    const file = join(mkdtempSync(join(tmpdir(), "audit-")), "run.jsonl");
    const args = ["--queue-url", dlq.url, "--to", to.url, "--json", "--wait-seconds", "0", "--not-production"];
    const r = await mainHere([...args, "--audit-file", file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ replayed: 3, auditFile: file, auditLines: 3 });
    expect(stderrJson(r.stderr).filter((l) => l.event === "redrive.message")).toEqual([]);
    expect(
      readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).outcome),
    ).toEqual(["replayed", "replayed", "replayed"]);
    await seed(emu.sqs, dlq.url, [{ body: "d" }]);
    const again = await mainHere([...args, "--audit-file", file]);
    expect(again.code).toBe(2);
    expect(errorText(again.stderr)).toMatch(/^--audit-file: cannot create .*run\.jsonl: .*EEXIST.*never overwritten/);
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 1, inFlight: 0 });
  });

  it("--quiet: no summary and no informational lines, only the audit trail (and --json still prints the summary)", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("cli-quiet-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("cli-quiet-to"));
    await seed(emu.sqs, dlq.url, [{ body: "a" }, { body: "b" }]);
    const args = ["--queue-url", dlq.url, "--to", to.url, "--wait-seconds", "0", "--not-production", "--quiet"];
    const quiet = await mainHere(args);
    expect({ code: quiet.code, stdout: quiet.stdout }).toEqual({ code: 0, stdout: "" });
    const lines = stderrJson(quiet.stderr);
    expect(lines.filter((l) => l.level === "info" && l.event !== "redrive.message")).toEqual([]);
    expect(lines.filter((l) => l.event === "redrive.message")).toHaveLength(2);
    await seed(emu.sqs, dlq.url, [{ body: "c" }]);
    const json = await mainHere([...args, "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ replayed: 1 });
  });

  it("--help prints the options and exits 0", async () => {
    const r = await mainHere(["--help"]);
    expect(r.code).toBe(0);
    for (const flag of [
      "--to",
      "--dry-run",
      "--max-messages",
      "--error-code",
      "--rule-arn",
      "--target-arn",
      "--max-redrives",
      "--concurrency",
      "--rate",
      "--json",
      "--yes",
    ]) {
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
        {
          body: "1",
          attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "TIMEOUT" }),
        },
        {
          body: "2",
          attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "TIMEOUT" }),
        },
        {
          body: "3",
          attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "THROTTLING" }),
        },
      ]);
      const args = ["--queue-url", dlq.url, "--env-dir", envDir, "--json", "--wait-seconds", "0"];
      const refused = await runCli(args, env, "no\n");
      expect(refused.code).toBe(3);
      const lines = stderrJson(refused.stderr);
      expect(lines.find((l) => l.event === "redrive.environment")).toMatchObject({
        production: true,
        environment: "prod",
        file: join(envDir, "prod.json"),
      });
      expect(lines.find((l) => l.event === "redrive.confirm")).toMatchObject({
        message: expect.stringContaining('production "prod"'),
        byErrorCode: { TIMEOUT: 2, THROTTLING: 1 },
        wouldReplay: 3,
      });
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
      const r = await runCli(
        ["--queue-url", dlq.url, "--to", to.url, "--env-dir", envDir, "--yes", "--json", "--wait-seconds", "0"],
        env,
      );
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/Type "yes"/);
      expect(JSON.parse(r.stdout)).toMatchObject({ replayed: 1 });
    });
  });

  describe("production guard fails closed", () => {
    it("reads env/ next to the CLI, never the working directory's, and says which file decided: production asks, and no answer replays nothing", async () => {
      // A copy of the bundle in a project of its own, run from a directory whose env/ would say "not production".
      const project = mkdtempSync(join(tmpdir(), "redrive-project-"));
      mkdirSync(join(project, "dist", "cli"), { recursive: true });
      const cli = join(project, "dist", "cli", "redrive.cjs");
      copyFileSync(CLI, cli);
      mkdirSync(join(project, "env"));
      writeFileSync(join(project, "env", "live.json"), JSON.stringify({ production: true, account: { id: ACCOUNT } }));
      const elsewhere = mkdtempSync(join(tmpdir(), "redrive-cwd-"));
      mkdirSync(join(elsewhere, "env"));
      writeFileSync(
        join(elsewhere, "env", "trap.json"),
        JSON.stringify({ production: false, account: { id: ACCOUNT } }),
      );
      const dlq = await createQueue(emu.sqs, uniqueName("guard-cwd-dlq"));
      const to = await createQueue(emu.sqs, uniqueName("guard-cwd-to"));
      await seed(emu.sqs, dlq.url, [{ body: "a" }, { body: "b" }]);

      const r = await runCli(["--queue-url", dlq.url, "--to", to.url, "--wait-seconds", "0"], env, "", {
        cwd: elsewhere,
        cli,
      });
      expect(r.code).toBe(3);
      const lines = stderrJson(r.stderr);
      expect(lines.find((l) => l.event === "redrive.environment")).toMatchObject({
        envDir: join(project, "env"),
        file: join(project, "env", "live.json"),
        environment: "live",
        production: true,
      });
      expect(lines.find((l) => l.event === "redrive.confirm")).toMatchObject({ wouldReplay: 2 });
      expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 2, inFlight: 0 });
      expect((await counts(emu.sqs, to.url)).visible).toBe(0);
    });

    it("on a terminal the confirmation is sentences (what the dry run found, the question), not a JSON line", async () => {
      const { PassThrough } = await import("node:stream");
      const { main } = await import("../../../lambdas/redrive/cli");
      const dir = envDirWith({ live: { production: true, account: { id: ACCOUNT } } });
      const dlq = await createQueue(emu.sqs, uniqueName("guard-tty-dlq"));
      const to = await createQueue(emu.sqs, uniqueName("guard-tty-to"));
      await seed(emu.sqs, dlq.url, [
        { body: "a", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: to.arn, errorCode: "TIMEOUT" }) },
        { body: "b", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: to.arn, errorCode: "TIMEOUT" }) },
      ]);
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
        let err = "";
        stderr.on("data", (d: Buffer) => (err += d.toString()));
        const stdin = new PassThrough();
        stdin.end("no\n");
        const argv = ["--queue-url", dlq.url, "--to", to.url, "--wait-seconds", "0", "--env-dir", dir];
        const code = await main({ argv, env, stdout: new PassThrough(), stderr, stdin });
        expect(code).toBe(3);
        expect(err).toContain(`${dlq.url} belongs to the production environment "live" (account ${ACCOUNT}).`);
        expect(err).toContain(
          "A dry run found 2 message(s) to replay (by error code: TIMEOUT 2), 0 that would be left in place and 0 that would fail.",
        );
        expect(err).toContain('Replay them now? Type "yes" to continue: ');
        expect(err).not.toContain('"redrive.confirm"');
        expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 2, inFlight: 0 });
      } finally {
        process.env = saved;
      }
    });

    it("when it cannot tell (account in no env file), it refuses and says why; --yes replays", async () => {
      const dir = envDirWith({ other: { production: false, account: { id: "999999999999" } } });
      const dlq = await createQueue(emu.sqs, uniqueName("guard-unknown-dlq"));
      const to = await createQueue(emu.sqs, uniqueName("guard-unknown-to"));
      await seed(emu.sqs, dlq.url, [{ body: "u" }]);
      const args = ["--queue-url", dlq.url, "--to", to.url, "--wait-seconds", "0", "--env-dir", dir, "--json"];
      const refused = await runCli(args, env);
      expect(refused.code).toBe(3);
      expect(stderrJson(refused.stderr).find((l) => l.event === "redrive.environment")).toMatchObject({
        production: null,
        envDir: dir,
      });
      expect(errorText(refused.stderr)).toMatch(
        new RegExp(`refusing to replay: cannot tell .* \\(account ${ACCOUNT} is in no ${dir}/\\*\\.json\\)`),
      );
      expect(stderrJson(refused.stderr).find((l) => l.level === "error")?.hint).toMatch(
        /--environment <name>.*--not-production.*--yes/,
      );
      expect(refused.stdout).toBe("");
      expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 1, inFlight: 0 });

      const told = await runCli([...args, "--yes"], env);
      expect(told.code).toBe(0);
      expect(JSON.parse(told.stdout)).toMatchObject({ replayed: 1 });
    });

    it("an env file that says production twice (true, then false) is not read as not-production: it refuses, naming the lines", async () => {
      const dir = mkdtempSync(join(tmpdir(), "redrive-env-"));
      writeFileSync(
        join(dir, "live.json"),
        `{\n  "production": true,\n  "account": { "id": "${ACCOUNT}" },\n  "production": false\n}\n`,
      );
      const dlq = await createQueue(emu.sqs, uniqueName("guard-dup-dlq"));
      const to = await createQueue(emu.sqs, uniqueName("guard-dup-to"));
      await seed(emu.sqs, dlq.url, [{ body: "d" }]);
      const r = await mainHere(["--queue-url", dlq.url, "--to", to.url, "--wait-seconds", "0", "--env-dir", dir]);
      expect(r.code).toBe(3);
      expect(errorText(r.stderr)).toMatch(
        /refusing to replay: cannot tell .*live\.json: production: line 4: duplicate key \(lines 2 and 4\)/,
      );
      expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 1, inFlight: 0 });
      expect((await counts(emu.sqs, to.url)).visible).toBe(0);
    });

    it.each([
      [
        "a mistyped --env-dir",
        ["--env-dir", join(tmpdir(), "no-such-env-dir")],
        /--env-dir: .*no-such-env-dir is not a directory/,
      ],
      [
        "--environment whose account is not the queue's",
        ["--environment", "other"],
        /--environment other: .*other\.json is account 999999999999, but the queue is in account 000000000000/,
      ],
      [
        "--not-production when an env file says production",
        ["--not-production"],
        /--not-production: but .*live\.json marks account 000000000000 as production/,
      ],
      ["--environment with --not-production", ["--environment", "live", "--not-production"], /expected one of them/],
      ["--environment with no such file", ["--environment", "nope"], /--environment: no environment file .*nope\.json/],
    ])("%s is an error (exit 2), nothing replayed", async (_, extra, message) => {
      const dir = envDirWith({
        other: { production: false, account: { id: "999999999999" } },
        live: { production: true, account: { id: ACCOUNT } },
      });
      const r = await mainHere(["--queue-url", `http://127.0.0.1:1/${ACCOUNT}/q`, "--env-dir", dir, ...extra]);
      expect(r.code).toBe(2);
      expect(errorText(r.stderr)).toMatch(message);
    });
  });

  describe("stderr is JSON, line by line", () => {
    const node20 = (process.env.PATH ?? "")
      .split(":")
      .filter((d) => !d.includes("node_modules"))
      .map((d) => join(d, "node"))
      .find((f) => existsSync(f));
    const node22 = join(ROOT, "node_modules", "node", "bin", "node");

    /** Runs the CLI with `node` behind `2>&1 >/dev/null | jq -c .`, AWS_REGION="" and the SDK's Node-version warning not silenced. */
    async function throughJq(node: string) {
      const dlq = await createQueue(emu.sqs, uniqueName("json-dlq"));
      const to = await createQueue(emu.sqs, uniqueName("json-to"));
      await seed(emu.sqs, dlq.url, [
        { body: "j1" },
        { body: "j2", attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: to.arn }) },
      ]);
      const noisy: NodeJS.ProcessEnv = { ...env, AWS_REGION: "", AWS_DEFAULT_REGION: REGION, NODE: node };
      delete noisy.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      const script = `"$NODE" ${JSON.stringify(CLI)} --queue-url ${dlq.url} --not-production --wait-seconds 0 2>&1 >/dev/null | jq -c .`;
      return {
        version: execFileSync(node, ["--version"]).toString().trim(),
        piped: await start(["-c", script], noisy, undefined, { node: "/bin/sh" }).done,
      };
    }

    it("with the machine's node and with Node 22 (the npm scripts'), `2>&1 >/dev/null | jq` parses every line, SDK warnings included; AWS_REGION=\"\" counts as unset", async () => {
      expect(node20 && existsSync(node20) && existsSync(node22)).toBeTruthy();
      const runs = await Promise.all([throughJq(node20!), throughJq(node22)]);
      expect(runs.map((r) => r.version.split(".")[0])).toEqual([expect.stringMatching(/^v\d+$/), "v22"]);
      for (const { version, piped } of runs) {
        expect(piped.code).toBe(0);
        const lines = stderrJson(piped.stdout);
        expect(
          lines
            .filter((l) => l.event === "redrive.message")
            .map((l) => l.outcome)
            .sort(),
        ).toEqual(["replayed", "skipped"]);
        const sdkWarning = lines.some(
          (l) => l.event === "redrive.warning" && /NodeVersionSupportWarning/.test(l.message),
        );
        expect(sdkWarning).toBe(version.startsWith("v20."));
      }
    });
  });

  describe("filters say what they matched", () => {
    it("--error-code compares case-insensitively; the text summary counts by error code, rule and target", async () => {
      const dlq = await createQueue(emu.sqs, uniqueName("codes-dlq"));
      const target = await createQueue(emu.sqs, uniqueName("codes-target"));
      const other = `arn:aws:events:${REGION}:${ACCOUNT}:rule/other`;
      await seed(emu.sqs, dlq.url, [
        {
          body: "1",
          attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "THROTTLING" }),
        },
        {
          body: "2",
          attributes: eventBridgeAttributes({ ruleArn: other, targetArn: target.arn, errorCode: "THROTTLING" }),
        },
        {
          body: "3",
          attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "TIMEOUT" }),
        },
      ]);
      const r = await mainHere([
        "--queue-url",
        dlq.url,
        "--error-code",
        "throttling",
        "--dry-run",
        "--wait-seconds",
        "0",
        "--not-production",
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/would replay 2/);
      expect(r.stdout).toMatch(/left in DLQ\s+1 \(filtered-error-code 1\)/);
      expect(r.stdout).toMatch(/received by error code:\n\s+THROTTLING\s+2\n\s+TIMEOUT\s+1\n/);
      expect(r.stdout).toMatch(new RegExp(`received by rule:\\n\\s+${RULE}\\s+2\\n\\s+${other}\\s+1\\n`));
      expect(r.stdout).toMatch(new RegExp(`received by target:\\n\\s+${target.arn}\\s+3\\n`));
    });

    it("an unknown --error-code is an error listing the known codes, unless --allow-unknown-error-code", async () => {
      const r = await mainHere(["--queue-url", `http://127.0.0.1:1/${ACCOUNT}/q`, "--error-code", "THROTTLED"]);
      expect(r.code).toBe(2);
      const text = errorText(r.stderr);
      expect(text).toMatch(
        /--error-code: unknown error code\(s\) "THROTTLED": expected one of CONNECTION_FAILURE, .*THROTTLING, TIMEOUT, .*UNKNOWN, RetriesExhausted, EventAgeExceeded, RetryAttemptsExhausted, RecordAgeExceeded \(any case\), or allow unknown codes explicitly \(--allow-unknown-error-code\)/,
      );
      const allowed = await mainHere([
        "--queue-url",
        `http://127.0.0.1:1/${ACCOUNT}/q`,
        "--error-code",
        "THROTTLED",
        "--allow-unknown-error-code",
        "--bogus",
      ]);
      expect(errorText(allowed.stderr)).not.toMatch(/unknown error code/);
    });

    it("production, but nothing would be replayed: no question, nothing replayed, exit 0", async () => {
      const dir = envDirWith({ live: { production: true, account: { id: ACCOUNT } } });
      const dlq = await createQueue(emu.sqs, uniqueName("nothing-dlq"));
      const target = await createQueue(emu.sqs, uniqueName("nothing-target"));
      await seed(emu.sqs, dlq.url, [
        {
          body: "t",
          attributes: eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn, errorCode: "TIMEOUT" }),
        },
      ]);
      const r = await mainHere([
        "--queue-url",
        dlq.url,
        "--error-code",
        "NO_PERMISSIONS",
        "--env-dir",
        dir,
        "--json",
        "--wait-seconds",
        "0",
      ]);
      expect(r.code).toBe(0);
      const lines = stderrJson(r.stderr);
      expect(lines.some((l) => l.event === "redrive.confirm")).toBe(false);
      expect(lines.find((l) => l.event === "redrive.nothing-to-replay")).toMatchObject({
        wouldReplay: 0,
        leftInPlace: 1,
        byErrorCode: { TIMEOUT: 1 },
      });
      expect(JSON.parse(r.stdout)).toMatchObject({ wouldReplay: 0, skipped: { "filtered-error-code": 1 } });
      expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 1, inFlight: 0 });
      expect((await counts(emu.sqs, target.url)).visible).toBe(0);
    });
  });

  it("--list: an environment's dead-letter queues with depth and oldest sampled age, from SQS (no Terraform); peeking changes nothing", async () => {
    const name = `lst${process.pid}`;
    const dir = envDirWith({ [name]: { production: false, account: { id: ACCOUNT, region: REGION } } });
    const delivery = await createQueue(emu.sqs, `${name}-orders-delivery-dlq`);
    const dead = await createQueue(emu.sqs, `${name}-orders-dead`);
    await createQueue(emu.sqs, `${name}-orders`, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dead.arn, maxReceiveCount: 5 }),
    });
    const plain = await createQueue(emu.sqs, `${name}-plain`);
    const failures = await createQueue(emu.sqs, `${name}-cancel-order-async-failures`);
    const pipes = await createQueue(emu.sqs, `${name}-orders-pipe-dlq`);
    await seed(emu.sqs, delivery.url, [{ body: "1" }, { body: "2" }, { body: "3" }]);
    await seed(emu.sqs, plain.url, [{ body: "p" }]);
    const r = await runCli(["--list", "--environment", name, "--env-dir", dir, "--json"], env);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout);
    expect(listed).toMatchObject({ environment: name, account: ACCOUNT });
    expect(listed.queues).toEqual([
      {
        name: `${name}-cancel-order-async-failures`,
        url: failures.url,
        arn: failures.arn,
        visible: 0,
        inFlight: 0,
        oldestSampledAgeSeconds: null,
        kind: "lambda-on-failure",
        sources: [],
      },
      {
        name: `${name}-orders-dead`,
        url: dead.url,
        arn: dead.arn,
        visible: 0,
        inFlight: 0,
        oldestSampledAgeSeconds: null,
        kind: "queue",
        sources: [`${name}-orders`],
      },
      {
        name: `${name}-orders-delivery-dlq`,
        url: delivery.url,
        arn: delivery.arn,
        visible: 3,
        inFlight: 0,
        oldestSampledAgeSeconds: expect.any(Number),
        kind: "eventbridge-target",
        sources: [],
      },
      {
        name: `${name}-orders-pipe-dlq`,
        url: pipes.url,
        arn: pipes.arn,
        visible: 0,
        inFlight: 0,
        oldestSampledAgeSeconds: null,
        kind: "outbox-pipe",
        sources: [],
      },
    ]);
    expect(listed.queues[2].oldestSampledAgeSeconds).toBeLessThan(60);
    const text = await mainHere(["--list", "--environment", name, "--env-dir", dir]);
    // (fauxqs counts a message a peek returned in flight until its next receive: the split of the 3 varies.)
    expect(text.stdout).toMatch(
      new RegExp(`${name}-orders-delivery-dlq\\s+\\d\\s+\\d\\s+\\d+s\\s+${delivery.url.replace(/[.]/g, "\\.")}`),
    );
    expect((await mainHere(["--list", "--env-dir", dir])).code).toBe(2);
    // The peeks hid nothing: all three can still be received.
    expect((await drain(emu.sqs, delivery.url)).map((m) => m.Body).sort()).toEqual(["1", "2", "3"]);
  });

  it("a --to queue that does not exist is named in the error (exit 2)", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("missing-to-dlq"));
    const missing = `${emu.endpoint}/${ACCOUNT}/${uniqueName("no-such-to")}`;
    const r = await mainHere(["--queue-url", dlq.url, "--to", missing, "--not-production"]);
    expect(r.code).toBe(2);
    expect(errorText(r.stderr)).toMatch(new RegExp(`--to: queue ${missing.replace(/[.]/g, "\\.")} does not exist`));
  });

  describe("signals", () => {
    async function startRun(tag: string, via: "cli" | "wrapper") {
      const dlq = await createQueue(emu.sqs, uniqueName(`${tag}-dlq`));
      const to = await createQueue(emu.sqs, uniqueName(`${tag}-to`));
      await seed(
        emu.sqs,
        dlq.url,
        Array.from({ length: 30 }, (_, i) => ({ body: `s${i}` })),
      );
      // 2 messages/s: after the first receive of 10, the next waits 5 s for its slot.
      const args = [
        "--queue-url",
        dlq.url,
        "--to",
        to.url,
        "--rate",
        "2",
        "--concurrency",
        "1",
        "--wait-seconds",
        "0",
        "--json",
        "--not-production",
      ];
      const run = start([via === "cli" ? CLI : join(ROOT, "scripts", "redrive.mjs"), ...args], env);
      for (let polls = 0; !run.stderrText().includes('"redrive.message"'); polls++) {
        if (polls > 500) throw new Error(`no message replayed: ${run.stderrText()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return { dlq, run };
    }

    it("SIGTERM to the CLI, SIGHUP to the npm wrapper (forwarded): each stops taking, finishes in flight, releases, prints the summary, exits 128+signal", async () => {
      const cases = [
        { via: "cli", sig: "SIGTERM", code: 143 },
        { via: "wrapper", sig: "SIGHUP", code: 129 },
      ] as const;
      await Promise.all(
        cases.map(async ({ via, sig, code }) => {
          const { dlq, run } = await startRun(`sig-${via}`, via);
          run.child.kill(sig);
          const done = await run.done;
          expect({ via, code: done.code }).toEqual({ via, code });
          expect(JSON.parse(done.stdout)).toMatchObject({
            received: 10,
            replayed: 10,
            failed: 0,
            stoppedBecause: "aborted",
          });
          expect(stderrJson(done.stderr).find((l) => l.signal === sig)?.message).toMatch(/stopping/);
          expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 20, inFlight: 0 });
        }),
      );
    });
  });

  it("killed mid-run (SIGKILL) between send and delete, then re-run: nothing lost, the duplicates share a redriveId", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("kill-dlq"));
    const to = await createQueue(emu.sqs, uniqueName("kill-to"));
    const n = 400;
    await seed(
      emu.sqs,
      dlq.url,
      Array.from({ length: n }, (_, i) => ({ body: `k${i}` })),
    );
    const args = [
      "--queue-url",
      dlq.url,
      "--to",
      to.url,
      "--visibility-timeout",
      "1",
      "--wait-seconds",
      "0",
      "--concurrency",
      "2",
      "--not-production",
    ];
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
