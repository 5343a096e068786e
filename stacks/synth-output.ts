import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { App } from "cdktn";

/** One synthesized stack, as `npm run synth` reports it. */
export interface SynthesizedStack {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly resources: number;
}

/** What a stack is deployed to, by stack name (the synth report's account and region columns). */
export type StackTargets = ReadonlyMap<string, { readonly account: string; readonly region: string }>;

/**
 * Terraform's working files in a stack folder (`terraform init` output, the provider lock file):
 * kept for a stack that is synthesized again, so a re-synth does not force a re-init.
 */
const TERRAFORM_WORKING_FILES = [".terraform", ".terraform.lock.hcl"];

/**
 * Synthesizes the app `build` makes into `outdir` so that `outdir` afterwards holds exactly the
 * stacks of this run: the app is written into a sibling folder, which then replaces `outdir` in
 * one rename (stacks of removed environments disappear with the old folder). When building or
 * synthesizing throws, the previous output is removed as well (no `stacks/` that `npm run check`
 * could take for current output) and the error is rethrown.
 */
export function synthesizeExactly(
  outdir: string,
  build: (stagingDir: string) => { app: App; targets: StackTargets },
): SynthesizedStack[] {
  const final = resolve(outdir);
  const staging = join(dirname(final), `.${basename(final)}.next-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(dirname(final), { recursive: true });
  let targets: StackTargets;
  try {
    const built = build(staging);
    targets = built.targets;
    built.app.synth();
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    clearSynthOutput(final);
    throw err;
  }
  const stacks = stackNames(staging).map((name) => describeStack(staging, name, targets));
  for (const name of stackNames(final)) carryWorkingFiles(join(final, "stacks", name), join(staging, "stacks", name));
  replaceFolder(final, staging);
  return stacks;
}

/** Removes what a synth wrote into `outdir` (its stacks and manifest), so nothing stale can be checked or deployed. */
export function clearSynthOutput(outdir: string): void {
  rmSync(join(outdir, "stacks"), { recursive: true, force: true });
  rmSync(join(outdir, "manifest.json"), { force: true });
}

/** The synth report: one line per stack (name, account, region, resource count), then the total. */
export function formatSynthReport(stacks: readonly SynthesizedStack[], outdir: string, seconds: number): string {
  const width = Math.max(5, ...stacks.map((s) => s.name.length));
  const lines = stacks.map(
    (s) =>
      `${s.name.padEnd(width)}  ${s.account}  ${s.region.padEnd(14)}  ${String(s.resources).padStart(4)} resources`,
  );
  const total = stacks.reduce((n, s) => n + s.resources, 0);
  lines.push(
    `synthesized ${stacks.length} stack(s), ${total} resources, into ${outdir}/stacks in ${seconds.toFixed(2)} s`,
  );
  return lines.join("\n");
}

function stackNames(outdir: string): string[] {
  const dir = join(outdir, "stacks");
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => existsSync(join(dir, n, "cdk.tf.json")))
        .sort()
    : [];
}

function describeStack(outdir: string, name: string, targets: StackTargets): SynthesizedStack {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
  const resources = Object.values<Record<string, unknown>>(json.resource ?? {}).reduce(
    (n, byName) => n + Object.keys(byName).length,
    0,
  );
  const target = targets.get(name);
  return { name, account: target?.account ?? "-", region: target?.region ?? "-", resources };
}

function carryWorkingFiles(from: string, to: string): void {
  if (!existsSync(to)) return;
  for (const f of TERRAFORM_WORKING_FILES) {
    if (existsSync(join(from, f)) && !existsSync(join(to, f))) renameSync(join(from, f), join(to, f));
  }
}

function replaceFolder(final: string, next: string): void {
  const old = join(dirname(final), `.${basename(final)}.old-${process.pid}`);
  rmSync(old, { recursive: true, force: true });
  if (existsSync(final)) renameSync(final, old);
  renameSync(next, final);
  rmSync(old, { recursive: true, force: true });
}
