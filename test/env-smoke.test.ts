/**
 * The one test that reads env/: whatever environments the platform team keeps there load,
 * synthesize and pass the policy checks (as `npm run synth && npm run check` would). It asserts
 * nothing about which environments exist or what they contain; every other test builds its own
 * environments from test/fixtures/env.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkStacks, formatFinding } from "../policy/engine";
import type { TerraformJson } from "../policy/terraform-json";
import { loadEnvironments } from "../stacks/config/load";
import { pipelineMatrices } from "../stacks/pipeline";
import { synthEnvironments } from "./helpers/synth";

const ENV_DIR = "env";

describe("env/ as it is today", () => {
  const stacks: Record<string, TerraformJson> = Object.fromEntries(Object.entries(synthEnvironments(ENV_DIR)).map(([name, text]) => [name, JSON.parse(text)]));
  const files = readdirSync(ENV_DIR).filter((f) => f.endsWith(".json"));

  it("every env file loads and becomes a stack of its own name", () => {
    const names = loadEnvironments(ENV_DIR).map((e) => e.name);
    expect(names.map((n) => `${n}.json`).sort()).toEqual(files.sort());
    for (const name of names) expect(Object.keys(stacks)).toContain(name);
  });

  it("every stack passes the policy checks with the project's waivers", () => {
    const report = checkStacks(stacks);
    expect(report.findings.map(formatFinding)).toEqual([]);
    expect(report.waiverErrors).toEqual([]);
  });

  it("`cdktf synth` runs the same app through cdktf.json and writes exactly these stacks", () => {
    const out = mkdtempSync(join(tmpdir(), "cdktf-"));
    const run = spawnSync(join("node_modules", ".bin", "cdktf"), ["synth", "--output", out], { env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" }, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(readdirSync(join(out, "stacks")).sort()).toEqual(Object.keys(stacks).sort());
  });

  it("the pipeline's drift matrix holds exactly the environments of env/ that have a delivery section", () => {
    const envs = loadEnvironments(ENV_DIR);
    const drift = pipelineMatrices(envs).drift.include.map((e) => e.name).sort();
    expect(drift).toEqual(envs.filter((e) => e.config.delivery).map((e) => e.name).sort());
  });
});
