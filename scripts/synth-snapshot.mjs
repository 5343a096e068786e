#!/usr/bin/env node
// Proves a refactoring leaves the synthesized Terraform JSON byte-identical:
//   npm run synth:snapshot -- <dir>         writes <dir>/env and <dir>/fixtures (the app on env/ and on
//                                           test/fixtures/env, as `npm run synth` writes it) and <dir>/tests (every stack every test synthesizes);
// run it before and after the change, then `diff -r before after` must print nothing. Property tests draw
// random props, so their files differ between any two runs; they are left out (RANDOM below).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { NODE_FLAGS } = createRequire(import.meta.url)("./bundle-runner.cjs");
const out = process.argv[2];
if (!out) {
  process.stderr.write("usage: npm run synth:snapshot -- <output dir>\n");
  process.exit(2);
}
const dir = resolve(out);
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(dir, "tests"), { recursive: true });

const run = (cmd, args, env) =>
  spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;
for (const [name, envDir] of [
  ["env", join(root, "env")],
  ["fixtures", join(root, "test", "fixtures", "env")],
]) {
  const synthDir = join(dir, `${name}-out`);
  const status = run(process.execPath, [...NODE_FLAGS, join(root, "scripts", "synth.mjs")], {
    CDKTF_OUTDIR: synthDir,
    ENV_DIR: envDir,
  });
  if (status !== 0) process.exit(status);
  cpSync(join(synthDir, "stacks"), join(dir, name), { recursive: true });
  rmSync(synthDir, { recursive: true, force: true });
}
// A failing test still writes what it synthesized; the failure is reported after the files are in place.
const tests = run(join(root, "node_modules", ".bin", "jest"), ["--silent"], { SYNTH_SNAPSHOT_DIR: join(dir, "tests") });

const RANDOM = /random|property/i;
for (const file of readdirSync(join(dir, "tests"), { recursive: true })) {
  if (RANDOM.test(file)) rmSync(join(dir, "tests", file), { recursive: true, force: true });
}
process.stdout.write(`synthesized JSON written to ${dir}\n`);
if (tests !== 0) {
  process.stderr.write("some tests failed (above): the snapshot holds what they synthesized before failing\n");
  process.exit(tests);
}
