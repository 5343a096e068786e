import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { S3Backend } from "cdktn";
import { main } from "../../policy/check";
import type { CheckContext } from "../../policy/cli";
import { RULES } from "../../policy/rules";
import type { TerraformJson } from "../../policy/terraform-json";
import { platformWaivers } from "../../policy/waivers";
import { FIXTURE_ENV_DIR } from "../helpers/env-fixtures";
import { scratchJson } from "./scratch";

/** Writes a cdktf-style output folder (`stacks/<name>/cdk.tf.json`); returns it. */
function synthOutput(stacks: Record<string, TerraformJson>): string {
  const outdir = mkdtempSync(join(tmpdir(), "policy-out-"));
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(outdir, "stacks", name), { recursive: true });
    writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  }
  return outdir;
}

/** Runs the platform check in-process (stdout and stderr together), by default without the project's waivers. */
function run(argv: string[], context: CheckContext = { waivers: [] }): { code: number; text: string } {
  const lines: string[] = [];
  const code = main(argv, { out: (t) => lines.push(t), err: (t) => lines.push(t) }, context);
  return { code, text: lines.join("\n") };
}

// A stack every rule passes, and the same stack with an unencrypted queue: exactly one finding.
const dev = scratchJson((s) => {
  new AwsProvider(s, "aws", {
    region: "eu-west-1",
    allowedAccountIds: ["111111111111"],
    defaultTags: [{ tags: { environment: "dev", owner: "platform", "managed-by": "cdktf" } }],
  });
  new S3Backend(s, { bucket: "state", key: "dev.tfstate", region: "eu-west-1", encrypt: true }).addOverride(
    "use_lockfile",
    true,
  );
  new SqsQueue(s, "encrypted", { name: "encrypted", sqsManagedSseEnabled: true });
});
const bad: TerraformJson = {
  ...dev,
  resource: { ...dev.resource, aws_sqs_queue: { ...dev.resource?.aws_sqs_queue, plain: { name: "plain" } } },
};

describe("policy/check.ts (npm run check)", () => {
  it("exits 0 and says so when every stack passes", () => {
    const { code, text } = run([synthOutput({ dev })]);
    expect(code).toBe(0);
    expect(text).toMatch(/^policy: \d+ rules over 1 stack\(s\): dev\n/);
    expect(text).toMatch(/passed: 0 finding\(s\), 0 waived, 0 waiver error\(s\)$/);
  });

  it("exits 1 and prints rule, stack, address and reason for each finding", () => {
    const { code, text } = run([synthOutput({ dev, prod: bad })]);
    expect(code).toBe(1);
    expect(text).toContain(
      "FAIL   sqs-encrypted (CKV_AWS_27) prod aws_sqs_queue.plain: neither sqs_managed_sse_enabled = true nor kms_master_key_id is set",
    );
    expect(text).toMatch(/FAILED: 1 finding\(s\), 0 waived, 0 waiver error\(s\)$/);
  });

  it("exits 2 when there is no synth output to check", () => {
    const { code, text } = run([mkdtempSync(join(tmpdir(), "empty-"))]);
    expect(code).toBe(2);
    expect(text).toMatch(/no .*stacks\/\*\/cdk\.tf\.json found; run `npm run synth` first/);
  });

  it("--rules lists every rule with its Checkov id and meaning", () => {
    const { code, text } = run(["--rules"]);
    expect(code).toBe(0);
    expect(text.split("\n")).toHaveLength(RULES.length);
    expect(text).toMatch(/^sqs-encrypted\s+CKV_AWS_27\s+every SQS queue is encrypted/m);
  });

  it("the platform's waivers name the platform's stacks, so another app's output passes without them", () => {
    // An app with a stack the platform does not have: policy/waivers.ts must neither apply nor fail.
    const { code, text } = run([synthOutput({ "orders-api": dev })], { waivers: platformWaivers(FIXTURE_ENV_DIR) });
    expect(code).toBe(0);
    expect(text).toContain("SKIP   waiver apigw-method-auth api/routes/method-health-GET: none of its stacks");
    expect(text).not.toContain("ERROR");
  });

  it("runs as a CLI through tsx (npm run check) and sets the exit code", () => {
    const outdir = synthOutput({ prod: bad });
    const cli = spawnSync(join("node_modules", ".bin", "tsx"), ["policy/check.ts", outdir], { encoding: "utf8" });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain("FAIL   sqs-encrypted (CKV_AWS_27) prod aws_sqs_queue.plain");
  });
});
