/**
 * `--state-machine`: the CLI as a whole process redriving a state machine's unsuccessful executions against a local
 * Step Functions stand-in (AWS_ENDPOINT_URL_SFN): listed with their failed state and error, filtered, dry-run,
 * redriven from where they failed, the not-redrivable left and named, the production guard, audit lines and JSON.
 */
import { join } from "node:path";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { type FakeTargets, startFakeTargets } from "./support/fake-targets";
import { awsEnv, ACCOUNT, REGION } from "./support/fauxqs";
import { buildBundles, runCli, runMainHere, stderrJson } from "./support/processes";

const mainHere = (argv: string[], input = "") => runMainHere(argv, env(), input);

/** An env directory with no files: tests never read the project's env/. */
const noEnv = () => mkdtempSync(join(tmpdir(), "no-env-"));

const MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:order-fulfilment`;
const exec = (n: string) => `arn:aws:states:${REGION}:${ACCOUNT}:execution:order-fulfilment:${n}`;

let fake: FakeTargets;
beforeAll(async () => {
  buildBundles();
  fake = await startFakeTargets();
  fake.unsuccessful.set(exec("e1"), {
    stateMachineArn: MACHINE,
    status: "FAILED",
    error: "Payment.Declined",
    cause: "card",
    failedState: "Saga failed",
    redriveStatus: "REDRIVABLE",
  });
  fake.unsuccessful.set(exec("e2"), {
    stateMachineArn: MACHINE,
    status: "FAILED",
    error: "Lambda.ServiceException",
    cause: "503",
    failedState: "Take payment",
    redriveStatus: "REDRIVABLE",
  });
  fake.unsuccessful.set(exec("e3"), {
    stateMachineArn: MACHINE,
    status: "TIMED_OUT",
    failedState: "Request shipment",
    redriveStatus: "NOT_REDRIVABLE",
    redriveStatusReason: "Execution is older than 14 days",
  });
});
afterAll(() => fake.stop());

const env = () => awsEnv("http://127.0.0.1:9", { AWS_ENDPOINT_URL_SFN: fake.endpoint });

describe("redrive --state-machine", () => {
  it("a dry run lists every unsuccessful execution with its failed state and error, and redrives nothing", async () => {
    const r = await runCli(["--state-machine", MACHINE, "--dry-run", "--json", "--env-dir", noEnv()], env());
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      found: 3,
      wouldReplay: 2,
      skipped: { "not-redrivable": 1 },
      byErrorCode: { "Payment.Declined": 1, "Lambda.ServiceException": 1, "States.Timeout": 1 },
      byFailedState: { "Saga failed": 1, "Take payment": 1, "Request shipment": 1 },
    });
    const lines = stderrJson(r.stderr).filter((l) => l.event === "redrive.execution");
    expect(lines.find((l) => l.executionArn === exec("e3"))).toMatchObject({
      outcome: "skipped",
      reason: "not-redrivable",
      detail: "Execution is older than 14 days",
      failedState: "Request shipment",
    });
    expect(fake.redriven).toEqual([]);
  });

  it("redrives only the executions whose error is selected, from where they failed; exit 0", async () => {
    const r = await runCli(
      ["--state-machine", MACHINE, "--error-code", "lambda.serviceexception", "--not-production", "--json"],
      env(),
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ replayed: 1, skipped: { "filtered-error-code": 2 }, failed: 0 });
    expect(fake.redriven).toEqual([exec("e2")]);
  });

  it("an environment it cannot tell refuses (exit 3) unless --yes; flags of the DLQ mode are named, not ignored (exit 2)", async () => {
    const refused = await mainHere(["--state-machine", MACHINE, "--env-dir", noEnv()]);
    expect(refused.code).toBe(3);
    expect(stderrJson(refused.stderr).find((l) => l.level === "error")?.message).toMatch(
      /^refusing to redrive: cannot tell whether/,
    );
    const bad = await runCli(
      ["--state-machine", "arn:aws:states:eu-west-1:1:execution:x", "--queue-url", "https://x", "--rate", "0"],
      env(),
    );
    expect(bad.code).toBe(2);
    expect(stderrJson(bad.stderr).map((l) => l.message)).toEqual([
      "--queue-url: not used with --state-machine (it redrives executions, not a queue)",
      'ERROR: --state-machine: expected a state machine ARN, got "arn:aws:states:eu-west-1:1:execution:x"'.replace(
        "ERROR: ",
        "",
      ),
      '--rate: expected a whole number from 1 to 100000, got "0"',
    ]);
  });

  it("production asks after a dry-run preview, and redrives nothing without a yes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "env-"));
    writeFileSync(
      join(dir, "prod.json"),
      JSON.stringify({ production: true, account: { id: ACCOUNT, region: REGION } }),
    );
    const before = fake.redriven.length;
    const r = await mainHere(["--state-machine", MACHINE, "--env-dir", dir], "no\n");
    expect(r.code).toBe(3);
    expect(stderrJson(r.stderr).find((l) => l.event === "redrive.confirm")?.message).toMatch(
      /^Redrive 2 execution\(s\) in production "prod"\?/,
    );
    expect(fake.redriven.length).toBe(before);
  });
});
