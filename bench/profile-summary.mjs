#!/usr/bin/env node
// Summarises a V8 CPU profile (node --cpu-prof): self time by function and by package, top entries.
//   node bench/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++)
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map();
const pkg = new Map();
for (const [id, us] of self) {
  const { callFrame: c } = byId.get(id);
  const name = `${c.functionName || "(anonymous)"} ${c.url.split("/").slice(-1)[0]}:${c.lineNumber + 1}`;
  fn.set(name, (fn.get(name) ?? 0) + us);
  const p =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(c.url)?.[1] ??
    (c.url ? (c.url.startsWith("node:") ? "node internals" : c.url.split("/").slice(-1)[0]) : c.functionName);
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const show = (m) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
    )
    .join("\n");
process.stdout.write(
  `total ${(total / 1000).toFixed(0)} ms sampled\n\nby function (self time):\n${show(fn)}\n\nby file:\n${show(pkg)}\n`,
);
