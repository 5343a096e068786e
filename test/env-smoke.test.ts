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
import { readSynthOutput } from "../policy/cli";
import { platformWaivers } from "../policy/waivers";

const ENV_DIR = "env";

describe("env/ as it is today", () => {
  // `cdktf synth` through cdktf.json (the same app npm run synth runs), once; its output is what is checked.
  const out = mkdtempSync(join(tmpdir(), "cdktf-"));
  const run = spawnSync(join("node_modules", ".bin", "cdktn"), ["synth", "--output", out], {
    env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" },
    encoding: "utf8",
  });
  const stacks: Record<string, TerraformJson> = readSynthOutput(out);
  const files = readdirSync(ENV_DIR).filter((f) => f.endsWith(".json"));

  it("`cdktf synth` succeeds", () => {
    expect(run.stderr).not.toMatch(/Invalid environment config/);
    expect(run.status).toBe(0);
  });

  it("every env file loads and becomes a stack of its own name", () => {
    const names = loadEnvironments(ENV_DIR).map((e) => e.name);
    expect(names.map((n) => `${n}.json`).sort()).toEqual(files.sort());
    for (const name of names) expect(Object.keys(stacks)).toContain(name);
  });

  it("every stack passes the policy checks with the project's waivers", () => {
    const report = checkStacks(stacks, { waivers: platformWaivers(ENV_DIR) });
    expect(report.findings.map(formatFinding)).toEqual([]);
    expect(report.waiverErrors).toEqual([]);
  });

  it("the output holds exactly the stacks of env/: each environment and, with a delivery section, its bootstrap", () => {
    const envs = loadEnvironments(ENV_DIR);
    const expected = envs.flatMap((e) => (e.config.delivery ? [e.name, `${e.name}-bootstrap`] : [e.name]));
    expect(
      readdirSync(join(out, "stacks"))
        .filter((n) => !n.endsWith("-state-access"))
        .sort(),
    ).toEqual(expected.sort());
  });

  it("the pipeline's drift matrix holds exactly the environments of env/ that have a delivery section", () => {
    const envs = loadEnvironments(ENV_DIR);
    const drift = pipelineMatrices(envs)
      .drift.include.map((e) => e.name)
      .sort();
    expect(drift).toEqual(
      envs
        .filter((e) => e.config.delivery)
        .map((e) => e.name)
        .sort(),
    );
  });
});
