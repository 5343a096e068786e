import { App, type TerraformStack } from "cdktn";
import { BootstrapStack, bootstrapStackName } from "./bootstrap-stack";
import { stateBucketAccount } from "./config/cross-environment";
import { StateAccessStack, stateAccessStackName } from "./state-access-stack";
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
  /** Bootstrap and state-access stacks with local state, for their first apply (BOOTSTRAP_LOCAL_STATE=1); default false. */
  readonly bootstrapLocalState?: boolean;
}

/**
 * Validates every environment first (throws ConfigError listing all problems, before any
 * construct exists), then builds one EnvironmentStack per env file, and for each with a
 * `delivery` section its BootstrapStack (plus a StateAccessStack when its state lives in another account).
 */
export function buildApp(options: BuildAppOptions = {}): {
  app: App;
  stacks: EnvironmentStack[];
  bootstrap: TerraformStack[];
  targets: StackTargets;
} {
  const environments = loadEnvironments(options.envDir ?? "env");
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const stacks: EnvironmentStack[] = [];
  const bootstrap: TerraformStack[] = [];
  const targets = new Map<string, { account: string; region: string }>();
  const problems: ConfigProblem[] = [];
  for (const env of environments) {
    const { account, state, delivery } = env.config;
    try {
      stacks.push(new EnvironmentStack(app, env));
      targets.set(env.name, { account: account.id, region: account.region });
      if (!delivery) continue;
      const local = { localState: options.bootstrapLocalState };
      bootstrap.push(new BootstrapStack(app, env, local));
      targets.set(bootstrapStackName(env.name), { account: account.id, region: state.region });
      if (stateBucketAccount(env) !== account.id) {
        bootstrap.push(new StateAccessStack(app, env, local));
        targets.set(stateAccessStackName(env.name), { account: stateBucketAccount(env), region: state.region });
      }
    } catch (err) {
      // A module rule config validation did not reach: still reported against the env file, with every other environment's.
      if (!(err instanceof PropsError)) throw err;
      problems.push(...problemsFromPropsError(env, err));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { app, stacks, bootstrap, targets };
}
