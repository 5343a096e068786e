#!/usr/bin/env node
// npm test: the type check (tsc --noEmit) and the lint and format check (biome ci) run beside the bundle and jest chain
// instead of before it, so their seconds overlap the tests' waits on child processes; their findings print at the end.
// Arguments after `--` go to jest. Exit code: the first failure's (type errors, lint findings, a failed bundle or a
// failed test), 0 when all pass.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

/**
 * The files of the work tree (tracked and untracked, ignored ones left out) whose names match `pattern`, hashed with
 * their contents; undefined when git cannot list them (the check then always runs).
 */
function treeHash(pattern) {
  try {
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter((f) => f && pattern.test(f) && existsSync(join(root, f)))
      .sort();
    const hash = createHash("sha256");
    for (const f of files)
      hash
        .update(f)
        .update("\0")
        .update(readFileSync(join(root, f)))
        .update("\0");
    return hash.digest("hex");
  } catch {
    return undefined;
  }
}

/**
 * A check that passed on exactly these inputs passes again without running: its verdict is cached by the hash of
 * what it reads (.build/, not committed; a fresh clone runs every check). A failing check is never cached.
 */
async function cachedCheck(name, inputs, command, args) {
  const marker = join(root, ".build", `${name}.passed`);
  const hash = treeHash(inputs);
  if (hash && existsSync(marker) && readFileSync(marker, "utf8") === hash) return { code: 0, output: "", cached: true };
  const result = await run(command, args, { quiet: true });
  if (result.code === 0 && hash) {
    mkdirSync(dirname(marker), { recursive: true });
    writeFileSync(marker, hash);
  }
  return result;
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

// Inputs: every file biome reads (the whole tree, its config included); every TypeScript source, tsconfig and the
// lockfile (which fixes the types under node_modules) for tsc.
const [lint, types, tests] = await Promise.all([
  cachedCheck("biome-ci", /./, bin("biome"), ["ci", "."]),
  // Incremental: a warm run re-checks only what changed (about 6 s of CPU instead of 14 on this machine), which
  // leaves the CPU to the tests; a fresh clone (CI) checks everything, as before. .build/ is not committed.
  cachedCheck("tsc", /(\.m?tsx?|tsconfig[^/]*\.json|package(-lock)?\.json)$/, bin("tsc"), [
    "--noEmit",
    "-p",
    "tsconfig.json",
    "--incremental",
    "--tsBuildInfoFile",
    join(root, ".build", "tsc-test.tsbuildinfo"),
  ]),
  chain(),
]);
if (lint.code !== 0) process.stderr.write(`\nbiome ci found problems:\n${lint.output}`);
else process.stdout.write(`biome ci: no findings${lint.cached ? " (nothing changed since it last passed)" : ""}\n`);
if (types.code !== 0) process.stderr.write(`\ntsc --noEmit found type errors:\n${types.output}`);
else
  process.stdout.write(
    `tsc --noEmit: no type errors${types.cached ? " (nothing changed since it last passed)" : ""}\n`,
  );
process.exitCode = lint.code !== 0 ? lint.code : types.code !== 0 ? types.code : tests;
