import { loadEnvironments } from "../../../stacks/config/load";
import {
  configProblemsOf,
  exampleConfig,
  newAccountTheReadmeWay,
  setPath,
  writeEnvDir,
} from "../../helpers/env-fixtures";

const staging = () => exampleConfig("staging");
const at = (problems: ReturnType<typeof configProblemsOf>) => problems.map((p) => `${p.file}: ${p.path}`).sort();

/** The README's first mistake: staging copied, only the account and the state key changed. */
function halfEditedCopy(): Record<string, any> {
  const copy = staging();
  copy.account.id = "444444444444";
  copy.account.deployRoleArn = "arn:aws:iam::444444444444:role/platform-deploy";
  copy.state.key = "edge/sandbox.tfstate";
  return copy;
}

describe("cross-environment checks (both files named, each naming the other)", () => {
  it("a half-edited copy of staging is rejected on everything it still shares with staging, on both files", () => {
    const problems = configProblemsOf({ staging: staging(), sandbox: halfEditedCopy() });
    expect(at(problems)).toEqual([
      "sandbox.json: api.distribution.customDomain.certificateArn",
      "sandbox.json: api.distribution.customDomain.domainName",
      "sandbox.json: consumers[0].environment.ORDERS_SERVICE_URL",
      "sandbox.json: delivery.planRoleArn",
      "sandbox.json: events.rules[0].targets[1].eventBusArn",
      // staging's state machine: its account named (both files), and its account and region not this file's.
      "sandbox.json: events.rules[0].targets[2].stateMachineArn",
      "sandbox.json: events.rules[0].targets[2].stateMachineArn",
      "sandbox.json: events.rules[1].targets[0].asyncInvoke.executionRoleArn",
      "sandbox.json: events.rules[1].targets[0].asyncInvoke.executionRoleArn",
      "sandbox.json: state.bucket",
      "staging.json: ",
      "staging.json: ",
      "staging.json: ",
      "staging.json: api.distribution.customDomain.domainName",
      "staging.json: events.rules[0].targets[1].eventBusArn",
      "staging.json: state.bucket",
    ]);
    const sandbox = (path: string) => problems.find((p) => p.file === "sandbox.json" && p.path === path)!.message;
    expect(sandbox("api.distribution.customDomain.domainName")).toMatch(
      /^custom domain api\.staging\.edge\.example\.com is also used by \S*staging\.json: /,
    );
    expect(sandbox("api.distribution.customDomain.certificateArn")).toMatch(
      /^expected a certificate in the environment's account 444444444444, got one in account 222222222222/,
    );
    expect(sandbox("events.rules[0].targets[1].eventBusArn")).toMatch(
      /^event bus arn:aws:events:eu-west-1:555555555555:event-bus\/partner-orders-staging is also a target of \S*staging\.json: /,
    );
    expect(sandbox("delivery.planRoleArn")).toMatch(
      /^expected a role in account 444444444444 \(the bootstrap stack creates it there\), got a role in account 222222222222$/,
    );
    expect(sandbox("state.bucket")).toMatch(
      /^bucket acme-platform-tfstate-222222222222 is also used by \S*staging\.json, which has it in account 222222222222; here it would be in account 444444444444/,
    );
    const theirs = problems.find(
      (p) => p.file === "staging.json" && p.path === "api.distribution.customDomain.domainName",
    )!.message;
    expect(theirs).toMatch(/also used by \S*sandbox\.json/);
  });

  it("the copy made the README's way passes", () => {
    expect(
      loadEnvironments(
        writeEnvDir({ staging: staging(), sandbox: newAccountTheReadmeWay("sandbox", "444444444444").config }),
      ).map((e) => e.name),
    ).toEqual(["sandbox", "staging"]);
  });

  it.each([["aaa"], ["zzz"]])(
    "a shared account is reported on both files whatever the sort order (new file %s)",
    (name) => {
      const copy = newAccountTheReadmeWay(name, "444444444444").config;
      setPath(copy, "account.id", "222222222222");
      setPath(copy, "account.deployRoleArn", "arn:aws:iam::222222222222:role/platform-deploy");
      setPath(copy, "delivery.planRoleArn", "arn:aws:iam::222222222222:role/platform-plan");
      setPath(
        copy,
        "events.rules.1.targets.0.asyncInvoke.executionRoleArn",
        "arn:aws:iam::222222222222:role/cancel-order",
      );
      setPath(
        copy,
        "api.distribution.customDomain.certificateArn",
        "arn:aws:acm:us-east-1:222222222222:certificate/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
      );
      setPath(
        copy,
        "events.rules.0.targets.2.stateMachineArn",
        `arn:aws:states:eu-central-1:222222222222:stateMachine:${name}-order-fulfilment`,
      );
      const problems = configProblemsOf({ staging: staging(), [name]: copy });
      expect(at(problems)).toEqual([`${name}.json: account.id`, "staging.json: account.id"].sort());
      expect(problems.find((p) => p.file === `${name}.json`)!.message).toMatch(
        /^account 222222222222 is also used by \S*staging\.json: expected each environment in its own AWS account/,
      );
      expect(problems.find((p) => p.file === "staging.json")!.message).toMatch(
        new RegExp(`also used by \\S*${name}\\.json`),
      );
    },
  );

  it("a shared state bucket and key is reported on both files", () => {
    const copy = newAccountTheReadmeWay("sandbox", "444444444444").config;
    copy.state = { ...staging().state, roleArn: "arn:aws:iam::222222222222:role/state-access" };
    const problems = configProblemsOf({ staging: staging(), sandbox: copy });
    expect(at(problems)).toEqual(["sandbox.json: state.key", "staging.json: state.key"]);
    expect(problems[0].message).toMatch(
      /^state s3:\/\/acme-platform-tfstate-222222222222\/edge\/staging\.tfstate is also used by \S*\.json: expected a state key of its own$/,
    );
  });

  it("a shared bucket is fine when both agree on the account holding it (state.roleArn into that account)", () => {
    const copy = newAccountTheReadmeWay("sandbox", "444444444444").config;
    copy.state = {
      ...staging().state,
      key: "edge/sandbox.tfstate",
      roleArn: "arn:aws:iam::222222222222:role/state-access",
    };
    expect(loadEnvironments(writeEnvDir({ staging: staging(), sandbox: copy }))).toHaveLength(2);
  });

  it("a shared GitHub environment is reported on both files", () => {
    const copy = newAccountTheReadmeWay("sandbox", "444444444444").config;
    setPath(copy, "delivery.github", { repository: "acme/resilient-edge", environment: "prod" });
    const problems = configProblemsOf({ prod: exampleConfig("prod"), sandbox: copy });
    expect(at(problems)).toEqual([
      "prod.json: delivery.github.environment",
      "sandbox.json: delivery.github.environment",
    ]);
    expect(problems[0].message).toMatch(
      /^GitHub environment prod of acme\/resilient-edge is also used by \S*\.json: expected a GitHub environment of its own/,
    );
  });

  it("an environment named like another's bootstrap stack is rejected", () => {
    const copy = newAccountTheReadmeWay("staging-bootstrap", "444444444444").config;
    expect(configProblemsOf({ staging: staging(), "staging-bootstrap": copy })).toEqual([
      expect.objectContaining({
        file: "staging-bootstrap.json",
        path: "",
        message: expect.stringMatching(/is the bootstrap stack of \S*staging\.json: rename the file/),
      }),
    ]);
  });

  it("a state role in the environment's own account is rejected (nothing would create it; the roles reach own-account state directly)", () => {
    const copy = setPath(
      newAccountTheReadmeWay("sandbox", "444444444444").config,
      "state.roleArn",
      "arn:aws:iam::444444444444:role/state",
    );
    expect(configProblemsOf({ sandbox: copy })).toEqual([
      expect.objectContaining({
        file: "sandbox.json",
        path: "state.roleArn",
        message: expect.stringMatching(
          /^expected a role in the account holding the state bucket, got one in the environment's own account 444444444444/,
        ),
      }),
    ]);
  });

  it("a CloudFront certificate outside us-east-1 is rejected naming the field", () => {
    const copy = newAccountTheReadmeWay("sandbox", "444444444444").config;
    setPath(
      copy,
      "api.distribution.customDomain.certificateArn",
      "arn:aws:acm:eu-west-1:444444444444:certificate/0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6",
    );
    expect(configProblemsOf({ sandbox: copy })).toEqual([
      expect.objectContaining({
        file: "sandbox.json",
        path: "api.distribution.customDomain.certificateArn",
        message: expect.stringMatching(/us-east-1/),
      }),
    ]);
  });

  it("a copy that keeps the other environment's service URL, account or domain in a consumer's environment is reported on both files", () => {
    const copy = newAccountTheReadmeWay("qa", "444444444444").config;
    setPath(copy, "consumers.0.environment", {
      ORDERS_SERVICE_URL: "https://orders.staging.internal.example.com/v1/orders",
      AUDIT_QUEUE: "https://sqs.eu-west-1.amazonaws.com/222222222222/audit",
      PORTAL: "https://API.STAGING.EDGE.EXAMPLE.COM/portal",
    });
    const problems = configProblemsOf({ staging: staging(), qa: copy });
    const mine = problems.filter((p) => p.file === "qa.json").map((p) => `${p.path}: ${p.message}`);
    expect(mine).toEqual([
      expect.stringMatching(
        /^consumers\[0\]\.environment\.ORDERS_SERVICE_URL: "https:\/\/orders\.staging\.internal\.example\.com\/v1\/orders" names staging's host \(\.staging\.\)/,
      ),
      expect.stringMatching(/^consumers\[0\]\.environment\.AUDIT_QUEUE: ".*" names staging's account 222222222222/),
      expect.stringMatching(
        /^consumers\[0\]\.environment\.PORTAL: ".*" names staging's domain api\.staging\.edge\.example\.com/,
      ),
    ]);
    const theirs = problems.filter((p) => p.file === "staging.json").map((p) => p.message);
    expect(theirs).toHaveLength(3);
    for (const m of theirs)
      expect(m).toMatch(
        /^\S*qa\.json consumers\[0\]\.environment\.\w+ ".*" names staging's .*: qa would call into this environment$/,
      );
  });

  it("account.id left at staging's: the shared account comes first, on both files, and every other problem of the file in the same run", () => {
    const copy = newAccountTheReadmeWay("qa", "444444444444").config;
    setPath(copy, "account.id", "222222222222");
    const problems = configProblemsOf({ staging: staging(), qa: copy });
    expect(at(problems.slice(0, 2)).sort()).toEqual(["qa.json: account.id", "staging.json: account.id"]);
    const rest = problems
      .slice(2)
      .filter((p) => p.file === "qa.json")
      .map((p) => p.path);
    expect(rest).toEqual(
      expect.arrayContaining([
        "account.deployRoleArn",
        "delivery.planRoleArn",
        "api.distribution.customDomain.certificateArn",
        "events.rules[1].targets[0].asyncInvoke.executionRoleArn",
      ]),
    );
    expect(problems.find((p) => p.path === "account.deployRoleArn")!.message).toBe(
      "expected a role in account 222222222222, got a role in account 444444444444",
    );
  });

  it("a file with a type error still gets its cross-field problems, and its shared account, in the same run", () => {
    const copy = newAccountTheReadmeWay("qa", "444444444444").config;
    setPath(copy, "account.id", "222222222222");
    setPath(copy, "api.throttle.rateLimit", "fast"); // a type error: the schema fails
    setPath(copy, "tags.owner", "me"); // a cross-field rule: reserved tag
    const problems = configProblemsOf({ staging: staging(), qa: copy });
    expect(at(problems.slice(0, 2)).sort()).toEqual(["qa.json: account.id", "staging.json: account.id"]);
    expect(at(problems.filter((p) => p.file === "qa.json" && p.path !== "account.id"))).toEqual([
      "qa.json: api.throttle.rateLimit",
      "qa.json: tags.owner",
    ]);
  });
});
