import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleConfig, setPath, writeEnvDir } from "../helpers/env-fixtures";

function synth(envDir: string) {
  const outdir = mkdtempSync(join(tmpdir(), "out-"));
  const run = spawnSync(process.execPath, ["scripts/synth.mjs"], {
    env: { ...process.env, ENV_DIR: envDir, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
  return { ...run, outdir };
}

describe("npm run synth (scripts/synth.mjs)", () => {
  it("writes cdktf.out/stacks/<env>/cdk.tf.json for every environment", () => {
    const run = synth("env");
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(readdirSync(join(run.outdir, "stacks")).sort()).toEqual(["dev", "prod", "staging"]);
    for (const env of ["dev", "prod", "staging"]) expect(existsSync(join(run.outdir, "stacks", env, "cdk.tf.json"))).toBe(true);
  });

  it("`cdktf synth` runs the same app through cdktf.json", () => {
    const outdir = mkdtempSync(join(tmpdir(), "cdktf-"));
    const run = spawnSync(join("node_modules", ".bin", "cdktf"), ["synth", "--output", outdir], {
      env: { ...process.env, CHECKPOINT_DISABLE: "1", CI: "1" },
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["dev", "prod", "staging"]);
  });

  it("bad config exits non-zero, names file and field, and writes no stack", () => {
    const dir = writeEnvDir({ dev: exampleConfig("dev"), prod: setPath(exampleConfig("prod"), "account.id", "33") });
    const run = synth(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/prod\.json: account\.id: expected a 12-digit AWS account id, got "33"/);
    expect(run.stderr).toMatch(/No stack was written/);
    expect(existsSync(join(run.outdir, "stacks"))).toBe(false);
  });
});
