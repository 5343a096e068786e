import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironments } from "../../stacks/config/load";
import { main } from "../../scripts/environments";
import { affectedEnvironments, pipelineMatrices } from "../../stacks/pipeline";
import { FIXTURE_ENV_DIR, newAccountTheReadmeWay, setPath, exampleConfig, writeEnvDir } from "../helpers/env-fixtures";

const names = (m: { include: { name: string }[] }) => m.include.map((e) => e.name);
const fixtures = loadEnvironments(FIXTURE_ENV_DIR);

describe("pipeline matrices (scripts/environments.ts)", () => {
  it("follow the env folder: branch-gated in apply order, then GitHub-environment-gated; drift covers all", () => {
    const m = pipelineMatrices(fixtures);
    expect(names(m.apply)).toEqual(["dev", "staging"]);
    expect(names(m.gated)).toEqual(["prod"]);
    expect(names(m.drift)).toEqual(["dev", "staging", "prod"]);
    expect(m.gated.include[0]).toEqual({
      name: "prod",
      account: "333333333333",
      region: "eu-west-1",
      deployRoleArn: "arn:aws:iam::333333333333:role/platform-deploy",
      planRoleArn: "arn:aws:iam::333333333333:role/platform-plan",
      githubEnvironment: "prod",
    });
  });

  it("an environment added the README's way joins every matrix; removed, it leaves them", () => {
    const dir = mkdtempSync(join(tmpdir(), "env-"));
    cpSync(FIXTURE_ENV_DIR, dir, { recursive: true });
    writeFileSync(join(dir, "sandbox.json"), JSON.stringify(newAccountTheReadmeWay("sandbox", "444444444444").config));
    const added = pipelineMatrices(loadEnvironments(dir));
    expect(names(added.gated)).toEqual(["sandbox", "prod"]); // the copy keeps staging's applyOrder
    expect(names(added.drift)).toContain("sandbox");
    rmSync(join(dir, "sandbox.json"));
    expect(names(pipelineMatrices(loadEnvironments(dir)).drift)).toEqual(["dev", "staging", "prod"]);
  });

  it("apply order comes from delivery.applyOrder, then the name", () => {
    const dev = setPath(exampleConfig("dev"), "delivery.applyOrder", 50);
    expect(
      names(pipelineMatrices(loadEnvironments(writeEnvDir({ dev, staging: exampleConfig("staging") }))).apply),
    ).toEqual(["staging", "dev"]);
  });

  it("pull requests plan the environments whose env file changed, or all when shared code changed, none for docs or tests; never a gated one", () => {
    const plan = (changed: string[]) => names(pipelineMatrices(fixtures, changed).plan);
    expect(plan(["env/staging.json"])).toEqual(["staging"]);
    expect(plan(["env/staging.json", "env/prod.json"])).toEqual(["staging"]);
    expect(plan(["modules/events/event-routing.ts"])).toEqual(["dev", "staging"]);
    expect(plan(["package-lock.json"])).toEqual(["dev", "staging"]);
    expect(plan(["env/prod.json"])).toEqual([]);
    expect(
      plan(["README.md", "docs/env-reference.md", "test/stacks/events.test.ts", ".github/workflows/main.yml"]),
    ).toEqual([]);
    expect(plan(["env/removed.json"])).toEqual([]);
    expect(affectedEnvironments(fixtures).map((e) => e.name)).toEqual(fixtures.map((e) => e.name));
  });

  it("environments without a delivery section are in no matrix", () => {
    const dev = setPath(exampleConfig("dev"), "delivery", undefined);
    expect(names(pipelineMatrices(loadEnvironments(writeEnvDir({ dev, prod: exampleConfig("prod") }))).drift)).toEqual([
      "prod",
    ]);
  });

  it("the script prints $GITHUB_OUTPUT lines, filters by --changed, and fails naming the file on bad config", () => {
    const changed = join(mkdtempSync(join(tmpdir(), "changed-")), "changed.txt");
    writeFileSync(changed, "env/prod.json\n");
    const out: string[] = [];
    expect(
      main(
        ["--changed", changed, "--github-output"],
        FIXTURE_ENV_DIR,
        (t) => out.push(t),
        () => undefined,
      ),
    ).toBe(0);
    const lines = Object.fromEntries(
      out
        .join("")
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(Object.keys(lines)).toEqual([
      "plan",
      "plan-any",
      "apply",
      "apply-any",
      "gated",
      "gated-any",
      "drift",
      "drift-any",
    ]);
    expect(names(JSON.parse(lines.plan))).toEqual([]);
    expect(lines["plan-any"]).toBe("false");
    expect(lines["gated-any"]).toBe("true");
    // The notices name the gated environment the pull request changed and does not plan.
    const notices: string[] = [];
    expect(
      main(
        ["--changed", changed, "--notices"],
        FIXTURE_ENV_DIR,
        (t) => notices.push(t),
        () => undefined,
      ),
    ).toBe(0);
    expect(notices.join("")).toMatch(
      /^::notice title=prod not planned here::prod is applied behind the GitHub environment prod; its plan role trusts only the default branch/,
    );
    const err: string[] = [];
    const bad = writeEnvDir({ dev: setPath(exampleConfig("dev"), "delivery.planRoleArn", "x") });
    expect(
      main(
        [],
        bad,
        () => undefined,
        (t) => err.push(t),
      ),
    ).toBe(1);
    expect(err.join("")).toMatch(/dev\.json: delivery\.planRoleArn: expected an IAM role ARN/);
    expect(
      main(
        ["--changed", "/no/such/file"],
        FIXTURE_ENV_DIR,
        () => undefined,
        (t) => err.push(t),
      ),
    ).toBe(1);
    expect(err.join("")).toMatch(/--changed: cannot read \/no\/such\/file/);
  });
});
