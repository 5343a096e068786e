/**
 * Runs rules over synthesized stacks, applies waivers, and formats the report the CLI prints and
 * the environment test asserts on.
 */
import type { Finding, Rule } from "./rule";
import { suggestion } from "../modules/shared/did-you-mean";
import { RULES } from "./rules";
import { StackView, type TerraformJson } from "./terraform-json";
import { MIN_WAIVER_REASON, type Waiver } from "./waiver";

/** A finding a waiver accepted. */
export interface WaivedFinding {
  readonly finding: Finding;
  readonly waiver: Waiver;
}

/** The outcome of checking a set of stacks. */
export interface PolicyReport {
  /** Stack names checked, sorted. */
  readonly stacks: readonly string[];
  /** Rules run. */
  readonly rules: readonly Rule[];
  /** Findings no waiver covers: each one fails the check. */
  readonly findings: readonly Finding[];
  /** Findings a waiver accepted: printed, do not fail the check. */
  readonly waived: readonly WaivedFinding[];
  /** Waivers that are themselves wrong (unknown rule, no reason, matching nothing): each one fails the check. */
  readonly waiverErrors: readonly string[];
  /** Waivers none of whose stacks was checked (another app's output, a subset of stacks): not applied, not an error. */
  readonly notApplicable: readonly Waiver[];
  /** Per rule id, how many things of the rule's kinds it judged over all stacks; 0 means the rule judged nothing. */
  readonly judged: Readonly<Record<string, number>>;
}

/** Options for checkStacks. */
export interface CheckOptions {
  /** Rules to run; default every rule in policy/rules. */
  readonly rules?: readonly Rule[];
  /** Waivers to apply; default none (the platform's `npm run check` passes policy/waivers.ts). */
  readonly waivers?: readonly Waiver[];
}

/**
 * How many things a rule judged in a stack: its own count when it judges only some resources of its
 * kinds (`Rule.judged`), else how many things of its kinds the stack has: resources by type,
 * `data.<type>` data sources, `provider.<name>` provider configurations, and `terraform.backend`
 * (every stack has state, local or remote, so it counts once per stack).
 */
export function judgedCount(rule: Rule, stack: StackView): number {
  if (rule.judged) return rule.judged(stack);
  let n = 0;
  for (const kind of rule.kinds) {
    if (kind === "terraform.backend") n += 1;
    else if (kind.startsWith("provider.")) n += stack.providers(kind.slice("provider.".length)).length;
    else if (kind.startsWith("data.")) n += stack.dataSources(kind.slice("data.".length)).length;
    else n += stack.resources(kind).length;
  }
  return n;
}

/** Runs one rule over one stack; a rule that throws becomes a finding (a check that cannot run must not pass). */
export function runRule(rule: Rule, stack: StackView): Finding[] {
  try {
    return rule
      .check(stack)
      .map((v) => ({ rule: rule.id, checkov: rule.checkov, stack: stack.name, address: v.address, reason: v.reason }));
  } catch (err) {
    return [
      {
        rule: rule.id,
        checkov: rule.checkov,
        stack: stack.name,
        address: "(rule)",
        reason: `the rule failed to run: ${(err as Error).message}`,
      },
    ];
  }
}

/** A finding with the construct path (inside its stack) of the resource it names, when the JSON carries one. */
function withPath(f: Finding, stack: StackView): Finding {
  const [first, ...rest] = f.address.split(".");
  const [type, name] = first === "data" ? rest : [first, rest[0]];
  const body = (first === "data" ? stack.json.data : stack.json.resource)?.[type]?.[name];
  const full: unknown = body?.["//"]?.metadata?.path;
  if (typeof full !== "string" || !full.includes("/")) return f;
  return { ...f, path: full.slice(full.indexOf("/") + 1) };
}

function waiverCovers(w: Waiver, f: Finding): boolean {
  return w.rule === f.rule && Array.isArray(w.stacks) && w.stacks.includes(f.stack) && w.path === (f.path ?? f.address);
}

function describeWaiver(w: Waiver): string {
  return `${w.rule} ${w.path}`;
}

/** Problems with the waivers themselves, independent of any finding. */
function validateWaivers(waivers: readonly Waiver[], rules: readonly Rule[]): string[] {
  const errors: string[] = [];
  const ruleIds = new Set(rules.map((r) => r.id));
  const seen = new Set<string>();
  for (const w of waivers) {
    const label = describeWaiver(w);
    if (!ruleIds.has(w.rule))
      errors.push(`waiver ${label}: unknown rule "${w.rule}" (${suggestion(String(w.rule), [...ruleIds])})`);
    if (
      !Array.isArray(w.stacks) ||
      w.stacks.length === 0 ||
      !w.stacks.every((s) => typeof s === "string" && s.length > 0)
    ) {
      errors.push(`waiver ${label}: stacks must name at least one stack, got ${JSON.stringify(w.stacks)}`);
    }
    if (typeof w.path !== "string" || w.path.length === 0 || w.path.startsWith("/")) {
      errors.push(
        `waiver ${label}: path must be a construct path inside the stack (api/routes/method-health-GET) or a provider/backend address, got ${JSON.stringify(w.path)}`,
      );
    }
    if (typeof w.reason !== "string" || w.reason.trim().length < MIN_WAIVER_REASON) {
      errors.push(
        `waiver ${label}: reason must explain the exception in at least ${MIN_WAIVER_REASON} characters, got "${w.reason ?? ""}"`,
      );
    }
    for (const stack of Array.isArray(w.stacks) ? w.stacks : []) {
      const key = `${w.rule} ${stack}/${w.path}`;
      if (seen.has(key)) errors.push(`waiver ${label}: declared twice for stack ${stack}`);
      seen.add(key);
    }
  }
  return errors;
}

/** Checks every stack (name -> synthesized JSON) against the rules and waivers. */
export function checkStacks(stacks: Readonly<Record<string, TerraformJson>>, options: CheckOptions = {}): PolicyReport {
  const rules = options.rules ?? RULES;
  const waivers = options.waivers ?? [];
  const names = Object.keys(stacks).sort();
  const all: Finding[] = [];
  const judged: Record<string, number> = Object.fromEntries(rules.map((r) => [r.id, 0]));
  for (const name of names) {
    const view = new StackView(name, stacks[name]);
    for (const rule of rules) {
      judged[rule.id] += judgedCount(rule, view);
      all.push(...runRule(rule, view).map((f) => withPath(f, view)));
    }
  }
  const findings: Finding[] = [];
  const waived: WaivedFinding[] = [];
  const used = new Set<Waiver>();
  for (const f of all) {
    const w = waivers.find((candidate) => waiverCovers(candidate, f));
    if (w) {
      waived.push({ finding: f, waiver: w });
      used.add(w);
    } else findings.push(f);
  }
  const waiverErrors = validateWaivers(waivers, rules);
  const notApplicable: Waiver[] = [];
  for (const w of waivers) {
    if (used.has(w)) continue;
    const checked = (Array.isArray(w.stacks) ? w.stacks : []).filter((s) => names.includes(s));
    if (checked.length === 0) notApplicable.push(w);
    else
      waiverErrors.push(
        `waiver ${describeWaiver(w)}: matches no finding in ${checked.join(", ")}; ${nearMiss(w, findings, checked)}`,
      );
  }
  return { stacks: names, rules, findings, waived, waiverErrors, notApplicable, judged };
}

/**
 * What to do with a waiver that matched nothing: when a finding of its rule in its stacks has a path a few edits away
 * (a misspelled construct path), name it; else remove the waiver.
 */
function nearMiss(w: Waiver, findings: readonly Finding[], stacks: readonly string[]): string {
  const paths = [
    ...new Set(findings.filter((f) => f.rule === w.rule && stacks.includes(f.stack)).map((f) => f.path ?? f.address)),
  ];
  const hint = paths.length > 0 ? suggestion(String(w.path), paths) : "";
  return hint.startsWith("did you mean") ? `remove it, or fix its path (${hint})` : "remove it";
}

/** True when nothing fails: no unwaived finding and no waiver error. */
export function passed(report: PolicyReport): boolean {
  return report.findings.length === 0 && report.waiverErrors.length === 0;
}

function ruleLabel(f: Finding): string {
  return f.checkov ? `${f.rule} (${f.checkov})` : f.rule;
}

/** A finding on one line: `sqs-encrypted (CKV_AWS_27) dev aws_sqs_queue.q_1A2B3C4D (events/q): reason`. */
export function formatFinding(f: Finding): string {
  return `${ruleLabel(f)} ${f.stack} ${f.address}${f.path ? ` (${f.path})` : ""}: ${f.reason}`;
}

/** Rules that judged nothing in any stack checked (they passed vacuously). */
export function idleRules(report: PolicyReport): Rule[] {
  return report.rules.filter((r) => (report.judged[r.id] ?? 0) === 0);
}

/** The report as the CLI prints it: findings, waivers applied, waiver errors, idle rules, summary. */
export function formatReport(report: PolicyReport): string {
  const lines: string[] = [];
  lines.push(
    `policy: ${report.rules.length} rules over ${report.stacks.length} stack(s): ${report.stacks.join(", ") || "(none)"}`,
  );
  for (const f of report.findings) lines.push(`FAIL   ${formatFinding(f)}`);
  for (const { finding, waiver } of report.waived)
    lines.push(`WAIVED ${formatFinding(finding)}\n       waiver reason: ${waiver.reason}`);
  for (const e of report.waiverErrors) lines.push(`ERROR  ${e}`);
  for (const w of report.notApplicable)
    lines.push(`SKIP   waiver ${describeWaiver(w)}: none of its stacks (${w.stacks.join(", ")}) was checked`);
  for (const r of idleRules(report))
    lines.push(`IDLE   ${r.id}: judged nothing, no ${r.kinds.join(" / ")} in any stack checked`);
  lines.push(
    `${passed(report) ? "passed" : "FAILED"}: ${report.findings.length} finding(s), ${report.waived.length} waived, ${report.waiverErrors.length} waiver error(s)`,
  );
  return lines.join("\n");
}
