import { App } from "cdktf";
import { loadEnvironments } from "./config/load";
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
  const stacks = environments.map((env) => new EnvironmentStack(app, env));
  const targets = new Map(environments.map((env) => [env.name, { account: env.config.account.id, region: env.config.account.region }]));
  return { app, stacks, targets };
}
