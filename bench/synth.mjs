#!/usr/bin/env node
// Synth benchmark: our fast path against the stock cdktn template path, same app, same machine, one run.
//   node bench/synth.mjs [--runs N] [--stock-runs N]
// Measures wall time (median of N runs) and peak RSS (from /usr/bin/time when present) of:
//   1. npm run synth, cold    (esbuild bundle rebuilt, then run)
//   2. npm run synth, warm    (bundle cache hit: the everyday case)
//   3. tsx main.ts            (no bundle, on-the-fly transpile)
//   4. cdktn synth --app "npx ts-node main.ts"   (the stock template's path)
// and prints a markdown table plus the stock/fast ratio. Then the ratio that counts, paired: the stock path and the
// warm `npm run synth` (and `node scripts/synth.mjs`, the same without npm's own start) run in turn, stock, ours,
// stock, ours..., and each pair gives a ratio. The stock path alone took from 11.3 s to 16.4 s on one day here: rows
// measured minutes apart can put the ratio anywhere between 12x and 16x; a pair's two runs see the same machine.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { NODE_FLAGS } = createRequire(import.meta.url)("../scripts/bundle-runner.cjs");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench/synth.mjs: ${name} expects a whole number >= 1, got ${args[i + 1]}\n`);
    process.exit(2);
  }
  return n;
};
const runs = opt("--runs", 5);
const stockRuns = opt("--stock-runs", 5);
const haveTime = existsSync("/usr/bin/time");
const env = { ...process.env, CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "true" };

function once(cmd, argv, outdir, before) {
  before?.();
  const concrete = argv.map((a) => (a === "__OUT__" ? outdir : a));
  const full = haveTime ? ["/usr/bin/time", ["-f", "__RSS_KB=%M", cmd, ...concrete]] : [cmd, concrete];
  const t0 = performance.now();
  const r = spawnSync(full[0], full[1], { cwd: root, env: { ...env, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    process.stderr.write(`${cmd} ${argv.join(" ")} failed (exit ${r.status}):\n${r.stderr}\n${r.stdout}\n`);
    process.exit(1);
  }
  const rss = Number(/__RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? NaN);
  if (!existsSync(join(outdir, "stacks"))) {
    process.stderr.write(`${cmd} wrote no stacks into ${outdir}\n`);
    process.exit(1);
  }
  return { ms, rss };
}

function measure(label, n, cmd, argv, before) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
    samples.push(once(cmd, argv, outdir, before));
    rmSync(outdir, { recursive: true, force: true });
  }
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  const rss = Math.max(...samples.map((s) => s.rss));
  process.stderr.write(`${label}: median ${(median / 1000).toFixed(2)} s over ${n} runs\n`);
  return { label, n, median, min: ms[0], max: ms[ms.length - 1], rss };
}

// The app bundle, its build record and its code cache; the rest of .build (the tests' caches) stays.
const dropBundle = () => {
  for (const f of ["app.cjs", "app.cjs.meta.json", "app.cjs.v8-cache"])
    rmSync(join(root, ".build", f), { force: true });
};
// Warm the lambda bundles first so every row does the same synth work.
spawnSync(process.execPath, ["scripts/build.mjs", "--lambdas-only"], { cwd: root, env, stdio: "ignore" });

const STOCK = ["cdktn", "synth", "--app", "npx ts-node main.ts", "--output", "__OUT__"];
const rows = [
  measure("`npm run synth`, cold (bundle rebuilt)", runs, "npm", ["run", "--silent", "synth"], dropBundle),
  measure("`npm run synth`, warm (bundle cached)", runs, "npm", ["run", "--silent", "synth"]),
  measure("`tsx main.ts`", runs, "npx", ["tsx", "main.ts"]),
  measure("`cdktn synth` through our cdktf.json (fast app + cdktn CLI start-up)", stockRuns, "npx", [
    "cdktn",
    "synth",
    "--output",
    "__OUT__",
  ]),
  measure("`cdktn synth` with app `npx ts-node main.ts` (stock template)", stockRuns, "npx", STOCK),
];

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const stock = rows[rows.length - 1].median;
process.stdout.write(`Machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "?"}, Node ${process.version}\n\n`);
process.stdout.write(`| how | runs | median wall | min - max | peak RSS | stock / this |\n|---|---|---|---|---|---|\n`);
for (const r of rows) {
  const rss = Number.isFinite(r.rss) ? `${Math.round(r.rss / 1024)} MB` : "n/a";
  process.stdout.write(
    `| ${r.label} | ${r.n} | ${fmt(r.median)} | ${fmt(r.min)} - ${fmt(r.max)} | ${rss} | ${(stock / r.median).toFixed(1)}x |\n`,
  );
}

/** Runs once into a fresh output folder; the wall time in ms. */
function wall(cmd, argv) {
  const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
  try {
    return once(cmd, argv, outdir).ms;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pairs = { stock: [], npm: [], node: [] };
for (let i = 0; i < stockRuns; i++) {
  pairs.stock.push(wall("npx", STOCK));
  pairs.npm.push(wall("npm", ["run", "--silent", "synth"]));
  pairs.node.push(wall(process.execPath, [...NODE_FLAGS, "scripts/synth.mjs"]));
}
process.stdout.write(`\nPaired (${stockRuns} rounds of stock, then ours, in turn; median of each round's ratio):\n\n`);
process.stdout.write("| ours, warm | ours, median | stock, median | stock / ours (range) |\n|---|---|---|---|\n");
for (const [key, label] of [
  ["npm", "`npm run synth`"],
  ["node", `\`node ${NODE_FLAGS.join(" ")} scripts/synth.mjs\` (the same, without npm's start)`],
]) {
  const ratios = pairs.stock.map((s, i) => s / pairs[key][i]);
  const range = `${Math.min(...ratios).toFixed(1)}x - ${Math.max(...ratios).toFixed(1)}x`;
  process.stdout.write(
    `| ${label} | ${fmt(median(pairs[key]))} | ${fmt(median(pairs.stock))} | **${median(ratios).toFixed(1)}x** (${range}) |\n`,
  );
}
