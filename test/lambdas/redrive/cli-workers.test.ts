/**
 * The CLI's `--workers lambda:N` mode as a child process, its Lambda client pointed (the standard
 * way, AWS_ENDPOINT_URL_LAMBDA) at a local endpoint that runs the built handler, against the emulator.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import {
  counts,
  createQueue,
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
import { buildBundles, jsonLines, runCli, start } from "./support/processes";

let emu: Emulator;
beforeAll(async () => {
  buildBundles();
  emu = await startEmulator();
});
afterAll(() => emu.stop());

const RULE = `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders-placed`;

/** The local Lambda endpoint, serving DLQs `served` with the handler's environment plus `extra`. */
async function lambdaEndpoint(
  served: string[],
  extra: Record<string, string> = {},
): Promise<{ endpoint: string; stats: () => Promise<any>; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, "support", "lambda-server.mjs")], {
    env: awsEnv(emu.endpoint, {
      REDRIVE_SOURCE_QUEUE_URLS: JSON.stringify(served),
      LAMBDA_FUNCTION_NAME: "redrive-fn",
      ...extra,
    }),
    stdio: ["pipe", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve) => child.stdout!.once("data", (d: Buffer) => resolve(d.toString())));
  const { endpoint } = JSON.parse(line);
  return { endpoint, stats: async () => (await fetch(`${endpoint}/_stats`)).json(), stop: () => child.stdin!.end() };
}

async function dlqWith(n: number) {
  const target = await createQueue(emu.sqs, uniqueName("lw-target"));
  const dlq = await createQueue(emu.sqs, uniqueName("lw-dlq"));
  const attributes = eventBridgeAttributes({ ruleArn: RULE, targetArn: target.arn });
  await seed(
    emu.sqs,
    dlq.url,
    Array.from({ length: n }, (_, i) => ({ body: `lw${i}`, attributes })),
  );
  return { target, dlq };
}

describe("redrive CLI --workers lambda:N", () => {
  it("invokes the function N times at once (RequestResponse, the operator's options as the event), merges the runs into one summary", async () => {
    const { target, dlq } = await dlqWith(300);
    const lambda = await lambdaEndpoint([dlq.url]);
    try {
      const env = awsEnv(emu.endpoint, { AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint });
      const r = await runCli(
        [
          "--queue-url",
          dlq.url,
          "--workers",
          "lambda:3",
          "--function-name",
          "redrive-fn",
          "--max-redrives",
          "2",
          "--json",
          "--yes",
        ],
        env,
      );
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        received: 300,
        replayed: 300,
        failed: 0,
        stoppedBecause: "drained",
        queues: [dlq.url],
        workers: 3,
        runs: 3,
      });
      const lines = jsonLines(r.stderr);
      const runs = lines.filter((l) => l.event === "redrive.worker");
      expect(runs.map((l) => l.worker).sort()).toEqual([1, 2, 3]);
      expect(runs.reduce((a, l) => a + l.summary.replayed, 0)).toBe(300);
      const stats = await lambda.stats();
      expect(stats.maxConcurrent).toBe(3);
      expect(stats.invocations.map((i: any) => i.invocationType)).toEqual([
        "RequestResponse",
        "RequestResponse",
        "RequestResponse",
      ]);
      expect(stats.invocations.map((i: any) => i.event)).toEqual(Array(3).fill({ queueUrl: dlq.url, maxRedrives: 2 }));
      expect(new Set((await drain(emu.sqs, target.url)).map((m) => m.Body)).size).toBe(300);
      expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    } finally {
      lambda.stop();
    }
  });

  it("follows a run the function's timeout stopped, divides --rate, reports the DLQ's depth while it goes", async () => {
    const { target, dlq } = await dlqWith(60);
    // Each run may take messages for 1 s (timeout 2 s, margin 1 s), at 20 messages/s: more than one run per worker.
    const lambda = await lambdaEndpoint([dlq.url], { LAMBDA_TIMEOUT_MS: "2000", REDRIVE_DEADLINE_MARGIN_MS: "1000" });
    try {
      const env = awsEnv(emu.endpoint, { AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint });
      const r = await runCli(
        [
          "--queue-url",
          dlq.url,
          "--workers",
          "lambda:2",
          "--function-name",
          "redrive-fn",
          "--rate",
          "40",
          "--json",
          "--yes",
        ],
        env,
      );
      expect(r.code).toBe(0);
      const summary = JSON.parse(r.stdout);
      // (The last runs may end at their deadline too: a --rate wait that would outlast it is not begun.)
      expect(summary).toMatchObject({ received: 60, replayed: 60, failed: 0 });
      expect(summary.runs).toBeGreaterThan(2);
      const stats = await lambda.stats();
      expect(stats.invocations.map((i: any) => i.event.rate)).toEqual(Array(summary.runs).fill(20));
      const lines = jsonLines(r.stderr);
      expect(
        lines.filter((l) => l.event === "redrive.worker" && l.summary.stoppedBecause === "deadline").length,
      ).toBeGreaterThan(0);
      expect(lines.find((l) => l.event === "redrive.progress")).toMatchObject({
        visible: expect.any(Number),
        inFlight: expect.any(Number),
        running: expect.any(Number),
      });
      expect(new Set((await drain(emu.sqs, target.url)).map((m) => m.Body)).size).toBe(60);
      expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
    } finally {
      lambda.stop();
    }
  });

  it("Ctrl-C starts no new run, waits for the running ones and merges what they did; nothing is lost", async () => {
    const { target, dlq } = await dlqWith(150);
    const lambda = await lambdaEndpoint([dlq.url], { LAMBDA_TIMEOUT_MS: "1500", REDRIVE_DEADLINE_MARGIN_MS: "1000" });
    try {
      const env = awsEnv(emu.endpoint, { AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint });
      const run = start(
        [
          join(__dirname, "..", "..", "..", "dist", "cli", "redrive.cjs"),
          "--queue-url",
          dlq.url,
          "--workers",
          "lambda:2",
          "--function-name",
          "redrive-fn",
          "--rate",
          "40",
          "--json",
          "--yes",
        ],
        env,
      );
      // Stop once the first run ended (the slots would go on after their deadline).
      let poll: NodeJS.Timeout | undefined;
      await Promise.race([
        run.done,
        new Promise<void>((resolve) => {
          poll = setInterval(() => run.stderrText().includes('"redrive.worker"') && resolve(), 20);
        }),
      ]);
      clearInterval(poll);
      run.child.kill("SIGINT");
      const r = await run.done;
      const summary = JSON.parse(r.stdout);
      expect(summary.stoppedBecause).toBe("aborted");
      expect(summary.replayed).toBeLessThan(150);
      expect(summary.runs).toBeLessThanOrEqual(4);
      const delivered = new Set((await drain(emu.sqs, target.url)).map((m) => m.Body));
      expect(delivered.size).toBe(summary.replayed);
      const left = await counts(emu.sqs, dlq.url);
      expect(left.visible + left.inFlight).toBe(150 - summary.replayed);
    } finally {
      lambda.stop();
    }
  });

  it("exits 1 with the function's error when a run fails (a DLQ the function does not serve)", async () => {
    const { dlq } = await dlqWith(1);
    const lambda = await lambdaEndpoint([`http://127.0.0.1:1/${ACCOUNT}/other`]);
    try {
      const r = await runCli(
        ["--queue-url", dlq.url, "--workers", "lambda:2", "--function-name", "redrive-fn", "--json", "--yes"],
        awsEnv(emu.endpoint, { AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint }),
      );
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout).error).toMatch(
        /worker 1 run 1: RedriveError: invalid redrive event:.*is not a DLQ this function serves/s,
      );
      expect((await counts(emu.sqs, dlq.url)).visible).toBe(1);
    } finally {
      lambda.stop();
    }
  });

  it("rejects bad worker flags, every problem at once, exit 2", async () => {
    const url = `http://127.0.0.1:1/${ACCOUNT}/q`;
    const problems = (r: { stderr: string }) =>
      jsonLines(r.stderr).find((l) => l.event === "redrive.error")?.problems as string[];
    const bad = await runCli(
      ["--queue-url", url, "--workers", "lambda:0", "--wait-seconds", "0"],
      awsEnv(emu.endpoint),
    );
    expect(bad.code).toBe(2);
    expect(problems(bad)).toEqual([
      '--workers: expected lambda:N with N from 1 to 1000, got "lambda:0"',
      "--function-name: required with --workers (the deployed redrive function's name or ARN)",
      "--wait-seconds: not an option of the function's event (its runs long-poll 1 s); leave it out with --workers",
    ]);
    const lone = await runCli(["--queue-url", url, "--function-name", "f", "--concurrency", "0"], awsEnv(emu.endpoint));
    expect(lone.code).toBe(2);
    expect(problems(lone)).toEqual([
      '--concurrency: expected an integer from 1 to 64, got "0"',
      "--function-name: only with --workers lambda:N",
    ]);
  });
});
