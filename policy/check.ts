/**
 * Policy check over synthesized stacks.
 *
 *   npm run synth && npm run check      check cdktf.out/stacks/<stack>/cdk.tf.json
 *   npm run check -- <outdir>           check another synth output (default cdktf.out)
 *   npm run check -- --rules            list the rules
 *
 * Prints every finding (rule, stack, resource address, reason) and every waiver applied.
 * Exit code 0 when nothing fails, 1 on findings or bad waivers, 2 when there is nothing to check.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type CheckOptions, checkStacks, formatReport, passed } from "./engine";
import { RULES } from "./rules";
import type { TerraformJson } from "./terraform-json";

/** Reads `<outdir>/stacks/<name>/cdk.tf.json` for every stack cdktf wrote. */
export function readSynthOutput(outdir: string): Record<string, TerraformJson> {
  const dir = join(outdir, "stacks");
  const stacks: Record<string, TerraformJson> = {};
  if (!existsSync(dir)) return stacks;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, "cdk.tf.json");
    if (existsSync(file)) stacks[name] = JSON.parse(readFileSync(file, "utf8"));
  }
  return stacks;
}

/** The rule table: id, Checkov equivalent, meaning. */
export function formatRules(): string {
  return RULES.map((r) => `${r.id.padEnd(30)} ${(r.checkov ?? "-").padEnd(12)} ${r.meaning}`).join("\n");
}

/** Runs the CLI; returns the exit code. `options` (tests only) replaces the rules or waivers. */
export function main(argv: readonly string[], out: (text: string) => void = (t) => process.stdout.write(`${t}\n`), options: CheckOptions = {}): number {
  if (argv.includes("--rules")) {
    out(formatRules());
    return 0;
  }
  const outdir = argv.find((a) => !a.startsWith("-")) ?? "cdktf.out";
  const stacks = readSynthOutput(outdir);
  if (Object.keys(stacks).length === 0) {
    out(`policy: no ${join(outdir, "stacks", "*", "cdk.tf.json")} found; run \`npm run synth\` first`);
    return 2;
  }
  const report = checkStacks(stacks, options);
  out(formatReport(report));
  return passed(report) ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
