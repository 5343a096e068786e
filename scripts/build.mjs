#!/usr/bin/env node
// Bundles the cdktn app and every Lambda with esbuild. A bundle is rebuilt only when one of its
// inputs (as recorded in esbuild's metafile) is newer than it, or when this script changed.
//   node scripts/build.mjs                 app + lambdas
//   node scripts/build.mjs --lambdas-only  lambdas (what the tests need)
//   node scripts/build.mjs --force         ignore the cache
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const self = fileURLToPath(import.meta.url);
const asciiHelper = join(root, "scripts/ascii-bundle.cjs");
const runnerHelper = join(root, "scripts/bundle-runner.cjs");
const { toAscii } = createRequire(import.meta.url)(asciiHelper);
const { WRAPPER } = createRequire(import.meta.url)(runnerHelper);

/**
 * cdktn and zod, each as one file for the tests (jest.config.js maps the package names to these): jest loads a
 * package module by module into every test file's own registry, and these two are 142 and 95 modules; loading both
 * took about 0.19 s of CPU in each test file, 0.11 s as two files. constructs stays outside, one copy shared with the
 * provider classes.
 */
const TEST_DEPS = [
  { name: "test-dep:cdktn", entry: "cdktn", outfile: ".build/test-deps/cdktn.cjs", external: ["constructs"] },
  { name: "test-dep:zod", entry: "zod", outfile: ".build/test-deps/zod.cjs" },
].map((t) => ({ ...t, target: "node20" }));

/**
 * What gets built: the app for synth, one bundle per lambdas/<name>/handler.ts, and the operator CLIs (with the
 * lambdas unless `clis: false`: synth needs none of them, and checking the game-day CLI's thousand inputs was a
 * sixth of a synth's build check; `npm run redrive` and `npm run gameday` build their own).
 */
export function targets({ app = true, lambdas = true, clis = lambdas, testDeps = false } = {}) {
  const out = [];
  if (testDeps) out.push(...TEST_DEPS);
  if (app) {
    // cdktn and constructs are bundled too (one copy each, so cdktn's instanceof checks hold): resolving
    // their few hundred files at start-up cost about 160 ms. cdktn zips assets in-process (fflate), so the bundle
    // needs no patch of its own (cdktf 0.21 zipped by re-running its own file as a child process).
    // ASCII only (scripts/ascii-bundle.cjs): V8 then reads it as one-byte text. Run by scripts/bundle-runner.cjs,
    // which compiles it as written: Node's CommonJS wrapper is in the file.
    out.push({
      name: "app",
      entry: "main.ts",
      outfile: ".build/app.cjs",
      target: "node22",
      ascii: true,
      wrapped: true,
    });
  }
  if (lambdas) {
    const dir = join(root, "lambdas");
    for (const name of existsSync(dir) ? readdirSync(dir).sort() : []) {
      if (existsSync(join(dir, name, "handler.ts"))) {
        // Lambda runs nodejs22.x; the bundle is the whole deployment package (index.js).
        out.push({
          name: `lambda:${name}`,
          entry: `lambdas/${name}/handler.ts`,
          outfile: `dist/lambdas/${name}/index.js`,
          target: "node22",
        });
      }
      if (clis && existsSync(join(dir, name, "cli.ts"))) {
        // Operators run the CLI with the project's Node (20 or later).
        out.push({
          name: `cli:${name}`,
          entry: `lambdas/${name}/cli.ts`,
          outfile: `dist/cli/${name}.cjs`,
          target: "node20",
        });
      }
    }
  }
  return out;
}

/** statSync of files below the root, each path asked once per build: the Lambdas share most of their inputs. */
function statMemo() {
  const seen = new Map();
  return (input) => {
    if (!seen.has(input)) seen.set(input, statSync(join(root, input), { throwIfNoEntry: false }));
    return seen.get(input);
  };
}

function upToDate(t, statOf) {
  const out = join(root, t.outfile);
  const meta = `${out}.meta.json`;
  if (!existsSync(out) || !existsSync(meta)) return false;
  const builtAt = statSync(out).mtimeMs;
  // This script shapes every output; the helpers whose text it writes into the app shape the app's.
  const shapers = [self, ...(t.ascii ? [asciiHelper] : []), ...(t.wrapped ? [runnerHelper] : [])];
  if (shapers.some((file) => statSync(file).mtimeMs > builtAt)) return false;
  const inputs = Object.keys(JSON.parse(readFileSync(meta, "utf8")).inputs);
  for (const input of inputs) {
    const stat = statOf(input);
    if (!stat || stat.mtimeMs > builtAt) return false;
  }
  return true;
}

async function buildOne(t, force, statOf, logLevel = "warning") {
  if (!force && upToDate(t, statOf)) return { name: t.name, cached: true };
  mkdirSync(dirname(join(root, t.outfile)), { recursive: true });
  // Loaded only when something must be rebuilt: a cached synth never pays for esbuild's start.
  const { build } = await import("esbuild");
  const result = await build({
    absWorkingDir: root,
    entryPoints: [t.entry],
    outfile: t.outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: t.target,
    metafile: true,
    sourcemap: false,
    legalComments: "none",
    logLevel,
    external: t.external ?? [],
    plugins: t.plugins ?? [],
    ...(t.wrapped ? { banner: { js: WRAPPER.head }, footer: { js: WRAPPER.tail } } : {}),
  });
  if (t.ascii) {
    const built = join(root, t.outfile);
    writeFileSync(built, toAscii(readFileSync(built, "utf8")));
  }
  // The input names only (what upToDate stats): esbuild's full metafile (imports, byte counts) is ten times the size,
  // and synth reads this file on every run.
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((name) => [name, {}]));
  writeFileSync(join(root, `${t.outfile}.meta.json`), JSON.stringify({ inputs }));
  return { name: t.name, cached: false };
}

/** Builds the selected targets in parallel; returns what was rebuilt and what came from the cache. */
export async function buildAll(options = {}) {
  const force = options.force ?? false;
  const statOf = statMemo();
  return Promise.all(targets(options).map((t) => buildOne(t, force, statOf, options.logLevel)));
}

if (process.argv[1] === self) {
  const args = new Set(process.argv.slice(2));
  const started = performance.now();
  const results = await buildAll({ app: !args.has("--lambdas-only"), lambdas: true, force: args.has("--force") });
  const ms = Math.round(performance.now() - started);
  process.stderr.write(
    `built ${results.map((r) => `${r.name}${r.cached ? " (cached)" : ""}`).join(", ")} in ${ms} ms\n`,
  );
}
