#!/usr/bin/env node
// Builds the installable package into dist/package (what `npm pack` packs), from:
//   package/package.json           the published manifest (name, version, exports, bin, peers, files)
//   CHANGELOG.md, package/README.md
//   modules/**, policy/**           compiled to JavaScript + .d.ts by tsconfig.package.json (every file present
//                                   at build time; policy/check.ts and policy/waivers.ts are the platform's own)
//   dist/lambdas/<name>/index.js    each Lambda bundle (scripts/build.mjs), with its deterministic zip beside it
// The build is skipped when dist/package is newer than all of its inputs.
//   node scripts/build-package.mjs              build (or reuse) dist/package
//   node scripts/build-package.mjs --pack DIR   then `npm pack` it into DIR; prints the tarball's path
//   ... --pack DIR --scope @org                 packs it as @org/resilient-edge (default: the manifest's @acme)
//   node scripts/build-package.mjs --force      ignore the cache
//   node scripts/build-package.mjs --no-check   emit without type-checking (the caller already ran tsc --noEmit)
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll } from "./build.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const self = fileURLToPath(import.meta.url);
const out = join(root, "dist", "package");
const staging = join(root, ".build", "package-tsc");
const stamp = join(root, ".build", "package-inputs.json");
const SOURCE_DIRS = ["modules", "policy", "lambdas/consumer"];
/** The redrive CLI's bundle (scripts/build.mjs), shipped for the bin's `redrive` command. */
const REDRIVE_CLI_BUNDLE = "dist/cli/redrive.cjs";

const COPIED = [
  ["package/package.json", "package.json"],
  ["package/README.md", "README.md"],
  ["CHANGELOG.md", "CHANGELOG.md"],
];

function tsFiles(dir) {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

function lambdaBundles() {
  const dir = join(root, "dist", "lambdas");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, "index.js")))
    .sort()
    .map((name) => `dist/lambdas/${name}/index.js`);
}

/** The project files of the last compiled program (sources outside node_modules), from tsc's build info. */
function programFiles() {
  const info = JSON.parse(readFileSync(join(staging, "tsconfig.package.tsbuildinfo"), "utf8"));
  return (info.fileNames ?? info.program?.fileNames ?? [])
    .map((f) => relative(root, resolve(staging, f)))
    .filter((f) => !f.startsWith("node_modules") && !f.startsWith("..") && f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .sort();
}

function inputsOf(sources) {
  return [
    ...new Set([
      ...sources,
      ...lambdaBundles(),
      REDRIVE_CLI_BUNDLE,
      ...COPIED.map(([from]) => from),
      "tsconfig.package.json",
      "tsconfig.json",
      "typedoc.json",
      relative(root, self),
    ]),
  ].sort();
}

function upToDate() {
  if (!existsSync(stamp) || !existsSync(join(out, "package.json"))) return false;
  const recorded = JSON.parse(readFileSync(stamp, "utf8"));
  const globbed = SOURCE_DIRS.flatMap(tsFiles).sort();
  // A new or removed source file changes the program; so does any input changed since the last build started.
  if (JSON.stringify(globbed) !== JSON.stringify(recorded.globbed)) return false;
  return inputsOf([...globbed, ...recorded.sources]).every(
    (f) => existsSync(join(root, f)) && statSync(join(root, f)).mtimeMs < recorded.startedAt,
  );
}

function compile() {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const args = [
    tsc,
    "-p",
    "tsconfig.package.json",
    "--outDir",
    staging,
    "--incremental",
    "--tsBuildInfoFile",
    join(staging, "tsconfig.package.tsbuildinfo"),
    // --no-check (npm test, whose first step already ran tsc --noEmit over the same sources): emit without
    // type-checking again; the output is the same, a third faster.
    ...(process.argv.includes("--no-check") ? ["--noCheck"] : []),
  ];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  if (run.status !== 0)
    throw new Error(`package build: tsc -p tsconfig.package.json failed:\n${run.stdout}${run.stderr}`);
}

/**
 * The API reference (typedoc.json, HTML: every module by its import path, every prop with its default), into the
 * package's docs/api/ so it ships with the code it documents: `npm run docs` writes the same into the checkout.
 */
function apiReference() {
  const typedoc = join(root, "node_modules", "typedoc", "bin", "typedoc");
  const run = spawnSync(process.execPath, [typedoc, "--out", join(out, "docs", "api"), "--logLevel", "Warn"], {
    cwd: root,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`package build: typedoc failed:\n${run.stdout}${run.stderr}`);
}

/** Every file the manifest points at (exports, types, bin, main) must exist in the built package. */
function missingTargets(manifest) {
  const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {})];
  const walk = (v) =>
    typeof v === "string" ? targets.push(v) : v && typeof v === "object" ? Object.values(v).forEach(walk) : undefined;
  walk(manifest.exports);
  walk(manifest.typesVersions);
  return [...new Set(targets)].filter((t) => t && !existsSync(join(out, t)));
}

async function assemble() {
  const startedAt = Date.now();
  compile();
  const sources = programFiles();
  rmSync(out, { recursive: true, force: true });
  for (const src of sources) {
    const base = src.slice(0, -".ts".length);
    for (const ext of [".js", ".d.ts"]) cpSync(join(staging, base + ext), join(out, base + ext));
  }
  for (const [from, to] of COPIED) cpSync(join(root, from), join(out, to));
  // The Lambda bundles and their zips: synth reads the zip, so an installed (possibly read-only) package is never written to.
  const require = createRequire(import.meta.url);
  const { writeBundleArchive } = require(join(out, "modules", "redrive", "bundle-archive.js"));
  for (const bundle of lambdaBundles()) {
    cpSync(join(root, bundle), join(out, bundle));
    writeBundleArchive(join(out, bundle), `${dirname(join(out, bundle))}.zip`);
  }
  // The redrive CLI, one file with everything inside: `resilient-edge redrive` (policy/redrive-command.ts) runs it.
  cpSync(join(root, REDRIVE_CLI_BUNDLE), join(out, REDRIVE_CLI_BUNDLE));
  apiReference();
  const manifest = JSON.parse(readFileSync(join(out, "package.json"), "utf8"));
  const missing = missingTargets(manifest);
  if (missing.length > 0)
    throw new Error(
      `package build: package/package.json points at files the build did not produce: ${missing.join(", ")}`,
    );
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, JSON.stringify({ startedAt, globbed: SOURCE_DIRS.flatMap(tsFiles).sort(), sources }));
  return manifest;
}

/** Builds dist/package unless it is up to date; returns { dir, name, version, cached }. */
export async function buildPackage({ force = false } = {}) {
  await buildAll({ app: false, lambdas: true });
  const cached = !force && upToDate();
  const manifest = cached ? JSON.parse(readFileSync(join(out, "package.json"), "utf8")) : await assemble();
  return { dir: out, name: manifest.name, version: manifest.version, cached };
}

/** An npm scope: `@` and a lower-case name (npm's rules for a scope). */
const SCOPE = /^@[a-z0-9][a-z0-9._-]{0,100}$/;

/**
 * The package as it is published under `scope` (default the manifest's own, `@acme`): a copy of dist/package whose
 * manifest names `<scope>/resilient-edge`. A scope is an organisation's own on every registry, so nobody else can
 * publish a package of that name (an unscoped name can be claimed on the public registry: dependency confusion).
 */
function scoped(scope) {
  if (scope === undefined) return out;
  if (!SCOPE.test(scope)) throw new Error(`--scope: expected an npm scope such as @acme, got ${JSON.stringify(scope)}`);
  const manifest = JSON.parse(readFileSync(join(out, "package.json"), "utf8"));
  const name = `${scope}/${manifest.name.split("/").pop()}`;
  if (name === manifest.name) return out;
  const copy = join(root, ".build", "package-scoped");
  rmSync(copy, { recursive: true, force: true });
  cpSync(out, copy, { recursive: true });
  writeFileSync(join(copy, "package.json"), `${JSON.stringify({ ...manifest, name }, null, 2)}\n`);
  return copy;
}

/** Packs dist/package (under `scope`, when given) with npm into `destination`; returns the tarball's path. */
export function packPackage(destination, scope) {
  mkdirSync(destination, { recursive: true });
  const dir = scoped(scope);
  const npm = spawnSync("npm", ["pack", dir, "--pack-destination", destination, "--json", "--ignore-scripts"], {
    encoding: "utf8",
  });
  if (npm.status !== 0) throw new Error(`npm pack failed:\n${npm.stderr}`);
  return join(destination, JSON.parse(npm.stdout)[0].filename);
}

if (process.argv[1] === self) {
  const args = process.argv.slice(2);
  const scopeGiven = args.indexOf("--scope");
  if (scopeGiven >= 0 && !SCOPE.test(args[scopeGiven + 1] ?? "")) {
    process.stderr.write(
      `build-package: --scope: expected an npm scope such as @acme (@ and lower-case letters, digits, '.', '_', '-'), got ${JSON.stringify(args[scopeGiven + 1] ?? null)}\n`,
    );
    process.exit(2);
  }
  const started = performance.now();
  const built = await buildPackage({ force: args.includes("--force") });
  const ms = Math.round(performance.now() - started);
  process.stderr.write(
    `package ${built.name}@${built.version} in ${relative(root, built.dir)}${built.cached ? " (cached)" : ""} in ${ms} ms\n`,
  );
  const at = args.indexOf("--pack");
  const scopeAt = args.indexOf("--scope");
  const scope = scopeAt >= 0 ? (args[scopeAt + 1] ?? "") : undefined;
  if (at >= 0) process.stdout.write(`${packPackage(resolve(args[at + 1] ?? "dist"), scope)}\n`);
}
