import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { S3Backend } from "cdktn";
import { main } from "../../policy/cli";
import type { TerraformJson } from "../../policy/terraform-json";
import { scratchJson } from "./scratch";

/** A cdktf-style output folder (`stacks/<name>/cdk.tf.json`). */
function synthOutput(stacks: Record<string, TerraformJson>): string {
  const outdir = mkdtempSync(join(tmpdir(), "cli-out-"));
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(outdir, "stacks", name), { recursive: true });
    writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  }
  return outdir;
}

function file(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "cli-waivers-")), name);
  writeFileSync(path, content);
  return path;
}

/** Runs `resilient-edge <argv>` in-process; stdout and stderr apart. */
function run(argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

// An app stack every rule passes, plus one unencrypted queue with cdktf's construct-path metadata.
const clean = scratchJson((s) => {
  new AwsProvider(s, "aws", {
    region: "eu-west-1",
    allowedAccountIds: ["111111111111"],
    defaultTags: [{ tags: { environment: "dev", owner: "orders", "managed-by": "cdktf" } }],
  });
  new S3Backend(s, { bucket: "state", key: "orders.tfstate", region: "eu-west-1", encrypt: true }).addOverride(
    "use_lockfile",
    true,
  );
  new SqsQueue(s, "encrypted", { name: "encrypted", sqsManagedSseEnabled: true });
});
const withPlainQueue: TerraformJson = {
  ...clean,
  resource: {
    ...clean.resource,
    aws_sqs_queue: {
      ...clean.resource?.aws_sqs_queue,
      plain_1A2B3C4D: { name: "plain", "//": { metadata: { path: "orders-api/jobs/plain" } } },
    },
  },
};
const REASON = "scratch queue of the test app; holds no data and is deleted after the run";

describe("resilient-edge check (the package bin)", () => {
  it("exits 0 on a clean app and prints the text report", () => {
    const { code, out } = run(["check", synthOutput({ "orders-api": clean })]);
    expect(code).toBe(0);
    expect(out).toMatch(/^policy: \d+ rules over 1 stack\(s\): orders-api\n/);
    expect(out).toMatch(/passed: 0 finding\(s\), 0 waived, 0 waiver error\(s\)$/);
  });

  it("exits 1 on a finding, naming stack, address and construct path", () => {
    const { code, out } = run(["check", synthOutput({ "orders-api": withPlainQueue })]);
    expect(code).toBe(1);
    expect(out).toContain(
      "FAIL   sqs-encrypted (CKV_AWS_27) orders-api aws_sqs_queue.plain_1A2B3C4D (jobs/plain): neither sqs_managed_sse_enabled = true",
    );
  });

  it("--json prints one JSON object with the findings, waivers and idle rules", () => {
    const { code, out } = run(["check", synthOutput({ "orders-api": withPlainQueue }), "--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({
      passed: false,
      stacks: ["orders-api"],
      waived: [],
      waiverErrors: [],
      notApplicableWaivers: [],
    });
    expect(report.findings).toEqual([
      {
        rule: "sqs-encrypted",
        checkov: "CKV_AWS_27",
        stack: "orders-api",
        address: "aws_sqs_queue.plain_1A2B3C4D",
        path: "jobs/plain",
        reason: "neither sqs_managed_sse_enabled = true nor kms_master_key_id is set",
      },
    ]);
    expect(report.rules).toContain("sqs-encrypted");
    expect(report.idleRules).toContain("lambda-xray");
  });

  it("applies the app's own waiver file, scoped to stack and construct path", () => {
    const waivers = file(
      "waivers.json",
      JSON.stringify([{ rule: "sqs-encrypted", stacks: ["orders-api"], path: "jobs/plain", reason: REASON }]),
    );
    const { code, out } = run([
      "check",
      synthOutput({ "orders-api": withPlainQueue, "orders-api-eu": withPlainQueue }),
      "--waivers",
      waivers,
    ]);
    expect(code).toBe(1);
    expect(out).toContain("WAIVED sqs-encrypted (CKV_AWS_27) orders-api aws_sqs_queue.plain_1A2B3C4D (jobs/plain)");
    expect(out).toContain("FAIL   sqs-encrypted (CKV_AWS_27) orders-api-eu aws_sqs_queue.plain_1A2B3C4D (jobs/plain)");
  });

  it("never applies the platform's waivers: the platform's public /health would fail here", () => {
    const health: TerraformJson = {
      ...clean,
      resource: {
        ...clean.resource,
        aws_api_gateway_method: {
          h: {
            authorization: "NONE",
            http_method: "GET",
            "//": { metadata: { path: "dev/api/routes/method-health-GET" } },
          },
        },
      },
    };
    const { code, out } = run(["check", synthOutput({ dev: health })]);
    expect(code).toBe(1);
    expect(out).toContain("FAIL   apigw-method-auth");
    expect(out).not.toContain("SKIP");
  });

  it("exits 2 naming the file and every bad field of a waiver file", () => {
    const bad = file(
      "waivers.json",
      JSON.stringify([{ rule: "sqs-encrypted", stack: "orders-api", path: "jobs/plain", reason: REASON }, "x"]),
    );
    const { code, out, err } = run(["check", synthOutput({ "orders-api": clean }), `--waivers=${bad}`]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err.split("\n")).toEqual([
      `policy: ${bad}: [0].stack: unknown field; expected only rule, stacks, path, reason`,
      `policy: ${bad}: [0].stacks: expected a non-empty list of stack names, got undefined`,
      `policy: ${bad}: [1]: expected an object {rule, stacks, path, reason}, got "x"`,
    ]);
    const missing = run(["check", "--waivers", join(tmpdir(), "no-such-waivers.json")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no-such-waivers\.json: cannot read the waiver file \(ENOENT\)/);
    const notJson = run(["check", "--waivers", file("w.json", "{")]);
    expect(notJson.code).toBe(2);
    expect(notJson.err).toMatch(/w\.json: not valid JSON/);
  });

  it("exits 2 on bad usage or when there is no synth output", () => {
    expect(run(["check", "--jsn"])).toMatchObject({
      code: 2,
      err: "policy: --jsn: unknown flag; expected --json, --rules or --waivers FILE",
    });
    expect(run(["check", "a", "b"])).toMatchObject({
      code: 2,
      err: "policy: expected at most one synth output folder, got a, b",
    });
    expect(run(["check", "--waivers"])).toMatchObject({
      code: 2,
      err: "policy: --waivers: expected a waiver file (JSON) after the flag",
    });
    expect(run(["lint"]).code).toBe(2);
    expect(run(["lint"]).err).toMatch(/^resilient-edge: unknown command "lint"; expected check/);
    expect(run([]).code).toBe(2);
    const empty = run(["check", mkdtempSync(join(tmpdir(), "empty-"))]);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/no .*stacks\/\*\/cdk\.tf\.json found; run `cdktf synth` first/);
  });

  it("exits 2 naming every stack file that is not Terraform JSON", () => {
    const outdir = synthOutput({ good: clean });
    mkdirSync(join(outdir, "stacks", "broken"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "broken", "cdk.tf.json"), "{ not json");
    mkdirSync(join(outdir, "stacks", "list"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "list", "cdk.tf.json"), "[]");
    const { code, out, err } = run(["check", outdir]);
    expect(code).toBe(2);
    expect(out).toBe("");
    const lines = err.split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^policy: .*stacks\/broken\/cdk\.tf\.json: not valid JSON \(/);
    expect(lines[1]).toMatch(/^policy: .*stacks\/list\/cdk\.tf\.json: expected a JSON object \(Terraform JSON\)$/);
  });

  it("--help and --version exit 0; check --rules lists the rules", () => {
    expect(run(["--help"])).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^usage: resilient-edge check \[dir\]/),
    });
    expect(run(["--version"])).toMatchObject({ code: 0, out: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(run(["check", "--rules"]).out).toMatch(/^sqs-encrypted\s+CKV_AWS_27/m);
    expect(JSON.parse(run(["check", "--rules", "--json"]).out)).toContainEqual(
      expect.objectContaining({ id: "sqs-encrypted", checkov: "CKV_AWS_27" }),
    );
  });
});
