import { App } from "cdktf";
import { PropsError } from "../modules/shared/validation";
import { ConfigError, type ConfigProblem } from "./config/errors";
import { loadEnvironments } from "./config/load";
import { problemsFromPropsError } from "./config/module-checks";
import { EnvironmentStack } from "./environment-stack";
import type { StackTargets } from "./synth-output";

/** Options for building the app. */
export interface BuildAppOptions {
  /** Folder holding env/<name>.json files; default `env`. */
  readonly envDir?: string;
  /** Where stacks are written; default cdktf's (CDKTF_OUTDIR, else cdktf.out). */
  readonly outdir?: string;
}

/**
 * Validates every environment first (throws ConfigError listing all problems, before any
 * construct exists), then builds one EnvironmentStack per env file.
 */
export function buildApp(options: BuildAppOptions = {}): { app: App; stacks: EnvironmentStack[]; targets: StackTargets } {
  const environments = loadEnvironments(options.envDir ?? "env");
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const stacks: EnvironmentStack[] = [];
  const problems: ConfigProblem[] = [];
  for (const env of environments) {
    try {
      stacks.push(new EnvironmentStack(app, env));
    } catch (err) {
      // A module rule config validation did not reach: still reported against the env file, with every other environment's.
      if (!(err instanceof PropsError)) throw err;
      problems.push(...problemsFromPropsError(env, err));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const targets = new Map(environments.map((env) => [env.name, { account: env.config.account.id, region: env.config.account.region }]));
  return { app, stacks, targets };
}
