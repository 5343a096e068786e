#!/usr/bin/env node
// npm test: the type check (tsc --noEmit) and the lint and format check (biome ci) run beside the bundle and jest chain
// instead of before it, so their seconds overlap the tests' waits on child processes; their findings print at the end.
// Arguments after `--` go to jest. Exit code: the first failure's (type errors, lint findings, a failed bundle or a
// failed test), 0 when all pass.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

/** Runs a command; resolves to its exit code (output inherited, or collected when `quiet`). */
function run(command, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    if (quiet) {
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
    }
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function chain() {
  for (const [command, args] of [
    [process.execPath, [join(root, "scripts", "build.mjs"), "--lambdas-only"]],
    [bin("jest"), process.argv.slice(2)],
  ]) {
    const { code } = await run(command, args);
    if (code !== 0) return code;
  }
  return 0;
}

const [lint, types, tests] = await Promise.all([
  run(bin("biome"), ["ci", "."], { quiet: true }),
  // Incremental: a warm run re-checks only what changed (about 6 s of CPU instead of 14 on this machine), which
  // leaves the CPU to the tests; a fresh clone (CI) checks everything, as before. .build/ is not committed.
  run(
    bin("tsc"),
    [
      "--noEmit",
      "-p",
      "tsconfig.json",
      "--incremental",
      "--tsBuildInfoFile",
      join(root, ".build", "tsc-test.tsbuildinfo"),
    ],
    { quiet: true },
  ),
  chain(),
]);
if (lint.code !== 0) process.stderr.write(`\nbiome ci found problems:\n${lint.output}`);
else process.stdout.write("biome ci: no findings\n");
if (types.code !== 0) process.stderr.write(`\ntsc --noEmit found type errors:\n${types.output}`);
else process.stdout.write("tsc --noEmit: no type errors\n");
process.exitCode = lint.code !== 0 ? lint.code : types.code !== 0 ? types.code : tests;
