#!/usr/bin/env node
/**
 * The policy check as a tool for any cdktf app (the package's `resilient-edge` bin):
 *
 *   npx resilient-edge check [dir]                  check <dir>/stacks/<stack>/cdk.tf.json (default cdktf.out)
 *   npx resilient-edge check [dir] --json           the report as one JSON object on stdout
 *   npx resilient-edge check [dir] --waivers FILE   apply the app's own waivers (JSON, repeatable)
 *   npx resilient-edge check --rules                list the rules
 *
 * Exit code 0 when nothing fails, 1 on findings or bad waivers, 2 when there is no synth output to
 * check or the command line or a waiver file is wrong. No waiver applies unless passed: the
 * platform's own waivers (policy/waivers.ts) are not part of the package.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkStacks, formatReport, idleRules, type PolicyReport, passed } from "./engine";
import type { Rule } from "./rule";
import { RULES } from "./rules";
import type { TerraformJson } from "./terraform-json";
import type { Waiver } from "./waiver";
import { readWaiverFile, WaiverFileError } from "./waiver-file";
import { runRedriveCommand } from "./redrive-command";

/** Where the CLI writes: the report to `out`, usage problems to `err`. */
export interface CheckIo {
  out(text: string): void;
  err(text: string): void;
}

/** Writes to the process's stdout and stderr. */
export const PROCESS_IO: CheckIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

/** What a check run is given besides its arguments. */
export interface CheckContext {
  /** Waivers applied before any `--waivers` file; default none. */
  readonly waivers?: readonly Waiver[];
  /** Rules to run; default every rule. */
  readonly rules?: readonly Rule[];
  /** The command that synthesizes, named when there is no output (`cdktf synth`). */
  readonly synthHint?: string;
}

/** A synth output that cannot be read: every unreadable stack file, by path. */
export class SynthOutputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "SynthOutputError";
  }
}

/** Reads `<outdir>/stacks/<name>/cdk.tf.json` for every stack cdktf wrote; throws SynthOutputError naming each file that is not a JSON object. */
export function readSynthOutput(outdir: string): Record<string, TerraformJson> {
  const dir = join(outdir, "stacks");
  const stacks: Record<string, TerraformJson> = {};
  const problems: string[] = [];
  if (!existsSync(dir)) return stacks;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, "cdk.tf.json");
    if (!existsSync(file)) continue;
    try {
      const json: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (!json || typeof json !== "object" || Array.isArray(json))
        problems.push(`${file}: expected a JSON object (Terraform JSON)`);
      else stacks[name] = json as TerraformJson;
    } catch (err) {
      problems.push(`${file}: not valid JSON (${(err as Error).message})`);
    }
  }
  if (problems.length > 0) throw new SynthOutputError(problems);
  return stacks;
}

/** The rule table: id, Checkov equivalent, meaning. */
export function formatRules(rules: readonly Rule[] = RULES): string {
  return rules.map((r) => `${r.id.padEnd(30)} ${(r.checkov ?? "-").padEnd(12)} ${r.meaning}`).join("\n");
}

/** The report as data (what `--json` prints). */
export function reportJson(report: PolicyReport): Record<string, unknown> {
  return {
    passed: passed(report),
    stacks: report.stacks,
    rules: report.rules.map((r) => r.id),
    findings: report.findings,
    waived: report.waived.map(({ finding, waiver }) => ({ ...finding, waiverReason: waiver.reason })),
    waiverErrors: report.waiverErrors,
    notApplicableWaivers: report.notApplicable.map((w) => ({ rule: w.rule, stacks: w.stacks, path: w.path })),
    idleRules: idleRules(report).map((r) => r.id),
  };
}

interface CheckArgs {
  readonly dir: string;
  readonly json: boolean;
  readonly rules: boolean;
  readonly waiverFiles: readonly string[];
}

/** Parses `[dir] [--json] [--rules] [--waivers FILE]...`; returns every problem at once. */
export function parseCheckArgs(argv: readonly string[]): { args?: CheckArgs; problems: string[] } {
  const problems: string[] = [];
  const dirs: string[] = [];
  const waiverFiles: string[] = [];
  let json = false;
  let rules = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--rules") rules = true;
    else if (a === "--waivers" || a.startsWith("--waivers=")) {
      const value = a === "--waivers" ? argv[++i] : a.slice("--waivers=".length);
      if (value === undefined || value === "" || value.startsWith("--"))
        problems.push("--waivers: expected a waiver file (JSON) after the flag");
      else waiverFiles.push(value);
    } else if (a.startsWith("-")) problems.push(`${a}: unknown flag; expected --json, --rules or --waivers FILE`);
    else dirs.push(a);
  }
  if (dirs.length > 1) problems.push(`expected at most one synth output folder, got ${dirs.join(", ")}`);
  return problems.length > 0
    ? { problems }
    : { args: { dir: dirs[0] ?? "cdktf.out", json, rules, waiverFiles }, problems };
}

/** Runs one check from its arguments; returns the exit code (0 pass, 1 findings or bad waivers, 2 nothing to check or bad input). */
export function runCheck(argv: readonly string[], io: CheckIo, context: CheckContext = {}): number {
  const { args, problems } = parseCheckArgs(argv);
  if (!args) {
    for (const p of problems) io.err(`policy: ${p}`);
    return 2;
  }
  const rules = context.rules ?? RULES;
  if (args.rules) {
    io.out(
      args.json
        ? JSON.stringify(rules.map((r) => ({ id: r.id, checkov: r.checkov, meaning: r.meaning, kinds: r.kinds })))
        : formatRules(rules),
    );
    return 0;
  }
  let waivers = [...(context.waivers ?? [])];
  try {
    for (const file of args.waiverFiles) waivers = waivers.concat(readWaiverFile(file));
  } catch (err) {
    if (!(err instanceof WaiverFileError)) throw err;
    for (const p of err.problems) io.err(`policy: ${p}`);
    return 2;
  }
  let stacks: Record<string, TerraformJson>;
  try {
    stacks = readSynthOutput(args.dir);
  } catch (err) {
    if (!(err instanceof SynthOutputError)) throw err;
    for (const p of err.problems) io.err(`policy: ${p}`);
    return 2;
  }
  if (Object.keys(stacks).length === 0) {
    io.err(
      `policy: no ${join(args.dir, "stacks", "*", "cdk.tf.json")} found; run \`${context.synthHint ?? "cdktf synth"}\` first`,
    );
    return 2;
  }
  const report = checkStacks(stacks, { rules, waivers });
  io.out(args.json ? JSON.stringify(reportJson(report), null, 2) : formatReport(report));
  return passed(report) ? 0 : 1;
}

const USAGE = `usage: resilient-edge check [dir] [--json] [--waivers FILE]... [--rules]
       resilient-edge redrive --queue-url <dlq-url> [options]   (the redrive CLI: resilient-edge redrive --help)

Runs the resilient-edge policy rules over a cdktf synth output (<dir>/stacks/*/cdk.tf.json, default cdktf.out).
  --json           print the report as one JSON object
  --waivers FILE   apply the app's own waivers: a JSON array of {rule, stacks, path, reason} (repeatable)
  --rules          list the rules
Exit codes: 0 passed, 1 findings or bad waivers, 2 no (or unreadable) synth output or bad usage.`;

function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** The `resilient-edge` command; returns the exit code. */
export function main(argv: readonly string[], io: CheckIo = PROCESS_IO): number {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    io.out(USAGE);
    return 0;
  }
  if (command === "--version") {
    io.out(packageVersion());
    return 0;
  }
  if (command !== "check") {
    io.err(
      command === undefined
        ? USAGE
        : `resilient-edge: unknown command "${command}"; expected check or redrive\n\n${USAGE}`,
    );
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(USAGE);
    return 0;
  }
  return runCheck(rest, io);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === "redrive") void runRedriveCommand(argv.slice(1)).then((code) => process.exit(code));
  else process.exitCode = main(argv);
}
