import type { LoadedEnvironment } from "./config/loaded-environment";

/** One environment as a GitHub Actions matrix entry: what a plan or apply job needs to know. */
export interface PipelineEnvironment {
  /** Stack name, the env file's name; the job plans `cdktf.out/stacks/<name>`. */
  readonly name: string;
  readonly account: string;
  readonly region: string;
  /** Role the apply job assumes (account.deployRoleArn). */
  readonly deployRoleArn: string;
  /** Role pull-request plans and the drift check assume (delivery.planRoleArn). */
  readonly planRoleArn: string;
  /** GitHub environment of the apply job; empty when the environment is gated by branch. */
  readonly githubEnvironment: string;
}

/** The pipeline's matrices, each `{ include: [...] }` as `strategy.matrix` takes it. */
export interface PipelineMatrices {
  /**
   * Pull request: environments whose env file or shared code changed, except those behind a GitHub environment:
   * their plan role does not trust pull requests (any branch's workflow could read production); main plans them.
   */
  readonly plan: { include: PipelineEnvironment[] };
  /** Main, first: branch-gated environments, in apply order (run one at a time). */
  readonly apply: { include: PipelineEnvironment[] };
  /** Main, after `apply`: environments behind a GitHub environment (required reviewers), in apply order. */
  readonly gated: { include: PipelineEnvironment[] };
  /** Schedule: every environment, for the drift check. */
  readonly drift: { include: PipelineEnvironment[] };
}

/** Changed paths that cannot change what any stack deploys (docs, tests, benchmarks, guardrails, workflows). */
const NO_INFRASTRUCTURE = [
  /^docs\//,
  /\.md$/,
  /^test\//,
  /^bench\//,
  /^policy\//,
  /^\.github\//,
  /^scripts\/environments\.ts$/,
];

/**
 * Which environments a change needs planned: an env file changes only its own environment; any
 * other change to code the stacks are built from (stacks/, modules/, lambdas/, main.ts, package
 * files, ...) changes every environment. `changed` undefined means "everything".
 */
export function affectedEnvironments(
  envs: readonly LoadedEnvironment[],
  changed?: readonly string[],
): LoadedEnvironment[] {
  if (changed === undefined) return [...envs];
  const shared = changed.some((f) => !/^env\/[^/]+\.json$/.test(f) && !NO_INFRASTRUCTURE.some((p) => p.test(f)));
  if (shared) return [...envs];
  const files = new Set(changed);
  return envs.filter((e) => files.has(`env/${e.name}.json`));
}

/** The matrices of every job of the pipeline, from the environments of env/ (those with a `delivery` section). */
export function pipelineMatrices(envs: readonly LoadedEnvironment[], changed?: readonly string[]): PipelineMatrices {
  const delivered = envs.filter((e) => e.config.delivery);
  const ordered = [...delivered].sort(
    (a, b) =>
      (a.config.delivery?.applyOrder ?? 0) - (b.config.delivery?.applyOrder ?? 0) || a.name.localeCompare(b.name),
  );
  const entry = (e: LoadedEnvironment): PipelineEnvironment => ({
    name: e.name,
    account: e.config.account.id,
    region: e.config.account.region,
    deployRoleArn: e.config.account.deployRoleArn,
    planRoleArn: e.config.delivery?.planRoleArn ?? "",
    githubEnvironment: e.config.delivery?.github.environment ?? "",
  });
  const affected = new Set(affectedEnvironments(delivered, changed).map((e) => e.name));
  return {
    plan: { include: ordered.filter((e) => affected.has(e.name) && !isGated(e)).map(entry) },
    apply: { include: ordered.filter((e) => !isGated(e)).map(entry) },
    gated: { include: ordered.filter(isGated).map(entry) },
    drift: { include: ordered.map(entry) },
  };
}

/** Whether an environment is applied behind a GitHub environment (required reviewers): production. */
export function isGated(e: LoadedEnvironment): boolean {
  return Boolean(e.config.delivery?.github.environment);
}

/** GitHub notices for a pull request: the affected environments it does not plan, and why. */
export function pullRequestNotices(envs: readonly LoadedEnvironment[], changed?: readonly string[]): string[] {
  return affectedEnvironments(
    envs.filter((e) => e.config.delivery),
    changed,
  )
    .filter(isGated)
    .map(
      (e) =>
        `::notice title=${e.name} not planned here::${e.name} is applied behind the GitHub environment ${e.config.delivery?.github.environment}; its plan role trusts only the default branch, not pull requests (a branch's workflow could read it). The deploy workflow plans it on main before its reviewers approve the apply.`,
    );
}
