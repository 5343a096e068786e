import fc from "fast-check";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { Testing, TerraformStack } from "cdktn";
import { EventRouting } from "../../../modules/events/event-routing";
import { PropsError } from "../../../modules/shared/validation";
import { buildApp } from "../../../stacks/app";
import { ConfigError } from "../../../stacks/config/errors";
import { type LoadedEnvironment, loadEnvironments } from "../../../stacks/config/load";
import { configPath, moduleProblems, problemsFromPropsError } from "../../../stacks/config/module-checks";
import { eventRoutingProps } from "../../../stacks/config/event-routing-props";
import { configProblemsOf, exampleConfig, setPath, writeEnvDir } from "../../helpers/env-fixtures";

const letters = (n: number, c = "a") => c.repeat(n);

/** The staging fixture with one event-bus target, its rule and target names of the given lengths. */
function withNames(ruleName: string, targetName: string): Record<string, any> {
  const cfg = exampleConfig("staging");
  setPath(cfg, "events.rules.0.name", ruleName);
  setPath(cfg, "events.rules.0.targets.1.name", targetName);
  setPath(cfg, "events.rules.1.targets.0.name", `${targetName.slice(0, 28)}-fn`);
  return cfg;
}

/** Does the module itself, built in a stack as EnvironmentStack builds it, reject these props? */
function moduleRejects(env: LoadedEnvironment): string[] {
  const app = Testing.app();
  const stack = new TerraformStack(app, env.name);
  new AwsProvider(stack, "aws", { region: env.config.account.region, allowedAccountIds: [env.config.account.id] });
  try {
    new EventRouting(stack, "events", eventRoutingProps(env, "arn:aws:sns:eu-west-1:222222222222:alarms"));
    return [];
  } catch (err) {
    if (!(err instanceof PropsError)) throw err;
    return err.problems.map((p) => configPath("events", p.slice(0, p.indexOf(": "))));
  }
}

describe("config rejects what the modules would reject, in config terms", () => {
  it("a 31-character environment name plus a 32-character target name: the generated IAM role name, at the target's config path", () => {
    const name = letters(31, "s");
    const problems = configProblemsOf({ [name]: withNames("order-placed", letters(32, "t")) });
    expect(problems).toEqual([
      {
        file: `${name}.json`,
        path: "events.rules[0].targets[1].name",
        message: `expected a shorter name: the role "${name}-${letters(32, "t")}-put-events" exceeds IAM's 64 characters`,
      },
    ]);
  });

  it("synth stops with the file and the config path, not the module's props path", () => {
    const name = letters(31, "s");
    const dir = writeEnvDir({ [name]: withNames("order-placed", letters(32, "t")) });
    expect(() => buildApp({ envDir: dir })).toThrow(
      /\/s{31}\.json: events\.rules\[0\]\.targets\[1\]\.name: expected a shorter name/,
    );
    expect(() => buildApp({ envDir: dir })).toThrow(ConfigError);
  });

  it("parity: for any environment, rule and target name lengths, config accepts exactly what EventRouting accepts, at the same paths", () => {
    const length = (max: number) => fc.integer({ min: 1, max });
    fc.assert(
      fc.property(length(31), length(32), length(32), (envLength, ruleLength, targetLength) => {
        const name = letters(envLength, "e");
        const cfg = withNames(letters(ruleLength, "r"), letters(targetLength, "t"));
        let configPaths: string[] = [];
        let env: LoadedEnvironment | undefined;
        try {
          env = loadEnvironments(writeEnvDir({ [name]: cfg }))[0];
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          configPaths = err.problems.map((p) => p.path);
        }
        // Build the module from the same config even when config refused it (the module must refuse too).
        const probe = env ?? {
          name,
          file: `${name}.json`,
          config: loadEnvironments(writeEnvDir({ x: cfg }))[0].config,
        };
        expect(configPaths.sort()).toEqual(moduleRejects(probe).sort());
      }),
      {
        numRuns: 12,
        seed: 11,
        examples: [
          [31, 32, 32],
          [31, 1, 32],
          [1, 32, 32],
          [20, 32, 32],
        ],
      },
    );
  });

  it("the api section is judged by the API module's own schema as it loads, at api.<path>; moduleProblems adds no second pass", () => {
    const cfg = exampleConfig("staging");
    // A limit only the module had before (the example): the config now rejects it with the module's words.
    cfg.api.alarms = { serverErrors: 2_000_000 };
    expect(configProblemsOf({ staging: cfg })).toEqual([
      expect.objectContaining({
        path: "api.alarms.serverErrors",
        message: "expected a number <= 1000000, got 2000000",
      }),
    ]);
    const env = loadEnvironments(writeEnvDir({ staging: exampleConfig("staging") }))[0];
    const broken = {
      ...env,
      config: { ...env.config, api: { ...env.config.api!, throttle: { rateLimit: -5, burstLimit: 100 } } },
    };
    expect(moduleProblems(broken)).toEqual([]);
  });

  it("a PropsError from a nested construct still names the env file", () => {
    const env = { name: "dev", file: "env/dev.json" } as LoadedEnvironment;
    expect(problemsFromPropsError(env, new PropsError("TargetQueue orders", ["name: too long"]))).toEqual([
      { file: "env/dev.json", path: "", message: "TargetQueue orders: name: too long" },
    ]);
    expect(problemsFromPropsError(env, new PropsError("EventRouting events", ["rules[0].name: bad"]))).toEqual([
      { file: "env/dev.json", path: "events.rules[0].name", message: "bad" },
    ]);
  });
});
