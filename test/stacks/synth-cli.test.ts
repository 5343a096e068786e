import { isAscii } from "node:buffer";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as check } from "../../policy/check";
import { FIXTURE_ENV_DIR, exampleConfig, newAccountTheReadmeWay, setPath, writeEnvDir } from "../helpers/env-fixtures";

const { NODE_FLAGS, WRAPPER } = require("../../scripts/bundle-runner.cjs");

function synth(envDir: string, outdir: string) {
  return spawnSync(process.execPath, [...NODE_FLAGS, "scripts/synth.mjs"], {
    env: { ...process.env, ENV_DIR: envDir, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
}

const stacksIn = (outdir: string) =>
  existsSync(join(outdir, "stacks")) ? readdirSync(join(outdir, "stacks")).sort() : [];
const envNames = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();
/** The stacks of an env folder whose files all have a delivery section: each environment and its bootstrap stack. */
const stacksOf = (dir: string) =>
  envNames(dir)
    .flatMap((n) => [n, `${n}-bootstrap`])
    .sort();
/** `npm run check` on the output, with the platform's waivers for the env folder synthesized (ENV_DIR, as npm run synth read it). */
const checkExit = (outdir: string, envDir: string) => {
  process.env.ENV_DIR = envDir;
  try {
    return check([outdir], { out: () => undefined, err: () => undefined });
  } finally {
    delete process.env.ENV_DIR;
  }
};

describe("npm run synth (scripts/synth.mjs)", () => {
  const envDir = mkdtempSync(join(tmpdir(), "env-"));
  const outdir = join(mkdtempSync(join(tmpdir(), "out-")), "cdktf.out");
  cpSync(FIXTURE_ENV_DIR, envDir, { recursive: true });

  it("adding an environment the README's way: one stack per env file (and its bootstrap), one report line per stack with the total time, check green", () => {
    writeFileSync(
      join(envDir, "sandbox.json"),
      JSON.stringify(newAccountTheReadmeWay("sandbox", "444444444444").config, null, 2),
    );
    const run = synth(envDir, outdir);
    expect(run.stderr).not.toMatch(/Error|Invalid environment config/);
    expect(run.status).toBe(0);
    expect(stacksIn(outdir)).toEqual(stacksOf(envDir));
    for (const stack of stacksOf(envDir)) expect(existsSync(join(outdir, "stacks", stack, "cdk.tf.json"))).toBe(true);
    expect(run.stdout).toMatch(/^dev +111111111111 +eu-west-1 +\d+ resources$/m);
    expect(run.stdout).toMatch(/^dev-bootstrap +111111111111 +eu-west-1 +\d+ resources$/m);
    expect(run.stdout).toMatch(/^sandbox +444444444444 +eu-central-1 +\d+ resources$/m);
    expect(run.stdout).toMatch(/^synthesized 8 stack\(s\), \d+ resources, into .*cdktf\.out\/stacks in \d+\.\d\d s$/m);
    expect(checkExit(outdir, envDir)).toBe(0);
  });

  it("runs an ASCII app bundle (one-byte text for V8, Node's CommonJS wrapper in the file) with a code cache keyed to exactly that bundle", () => {
    const bundle = readFileSync(".build/app.cjs");
    expect(isAscii(bundle)).toBe(true);
    expect(bundle.toString("latin1", 0, WRAPPER.head.length + 1)).toBe(`${WRAPPER.head}\n`);
    const key = createHash("sha1").update(bundle).update(process.version).digest("hex");
    expect(readFileSync(".build/app.cjs.v8-cache").toString("latin1", 0, 41)).toBe(`${key}\n`);
  });

  it("removing an environment removes its stack from the output; Terraform's working files of the others stay", () => {
    mkdirSync(join(outdir, "stacks", "dev", ".terraform"), { recursive: true });
    rmSync(join(envDir, "sandbox.json"));
    const run = synth(envDir, outdir);
    expect(run.status).toBe(0);
    expect(stacksIn(outdir)).toEqual(stacksOf(envDir));
    expect(stacksIn(outdir)).not.toContain("sandbox");
    expect(stacksIn(outdir)).not.toContain("sandbox-bootstrap");
    expect(existsSync(join(outdir, "stacks", "dev", ".terraform"))).toBe(true);
    expect(checkExit(outdir, envDir)).toBe(0);
  });

  it("a failed synth exits 1 naming file and field, and leaves no output (not even the previous one) for check to judge", () => {
    const bad = writeEnvDir({ dev: exampleConfig("dev"), prod: setPath(exampleConfig("prod"), "account.id", "33") });
    const run = synth(bad, outdir);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/prod\.json: account\.id: expected a 12-digit AWS account id, got "33"/);
    expect(run.stderr).toMatch(/No stack was written/);
    expect(existsSync(join(outdir, "stacks"))).toBe(false);
    expect(checkExit(outdir, envDir)).toBe(2);
  });
});
