import { accountOfArn, regionOfArn } from "./primitives";
import type { ConfigProblem } from "./errors";
import type { LoadedEnvironment } from "./load";

/**
 * Checks that need all environments at once. A value two environments must not share is reported
 * against both files, each naming the other, so the file just added or edited is always among them
 * whatever the file names' sort order.
 */
export function crossEnvironmentProblems(envs: readonly LoadedEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  clash(
    envs,
    problems,
    (e) => [["account.id", e.config.account.id]],
    (v) => `account ${v} is also used by`,
    "expected each environment in its own AWS account",
  );
  clash(
    envs,
    problems,
    (e) => [["state.key", `s3://${e.config.state.bucket}/${e.config.state.key}`]],
    (v) => `state ${v} is also used by`,
    "expected a state key of its own",
  );
  clash(
    envs,
    problems,
    (e) => {
      const domain = e.config.api?.distribution?.customDomain?.domainName;
      return domain ? [["api.distribution.customDomain.domainName", domain.toLowerCase()]] : [];
    },
    (v) => `custom domain ${v} is also used by`,
    "expected a domain of this environment's own (a CloudFront alias belongs to one distribution)",
  );
  clash(
    envs,
    problems,
    (e) =>
      e.config.events.rules.flatMap((rule, i) =>
        rule.targets.flatMap(
          (t, j): Array<[string, string]> =>
            t.kind === "event-bus" ? [[`events.rules[${i}].targets[${j}].eventBusArn`, t.eventBusArn]] : [],
        ),
      ),
    (v) => `event bus ${v} is also a target of`,
    "expected this environment's own counterpart bus (a copied file still sends to the other environment's partner)",
  );
  clash(
    envs,
    problems,
    (e) => {
      const g = e.config.delivery?.github;
      return g?.environment ? [["delivery.github.environment", `${g.environment} of ${g.repository}`]] : [];
    },
    (v) => `GitHub environment ${v} is also used by`,
    "expected a GitHub environment of its own (a job in a shared one could assume every such environment's deploy role)",
  );
  problems.push(...stateBucketAccountProblems(envs), ...stackNameProblems(envs));
  return problems;
}

/** Problems of one environment that concern the account it is in: a certificate or plan role from another account. */
export function accountProblems(env: LoadedEnvironment): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const cert = env.config.api?.distribution?.customDomain?.certificateArn;
  if (cert) {
    const path = "api.distribution.customDomain.certificateArn";
    const account = accountOfArn(cert);
    if (account && account !== env.config.account.id) {
      problems.push({
        file: env.file,
        path,
        message: `expected a certificate in the environment's account ${env.config.account.id}, got one in account ${account} (CloudFront cannot use another account's certificate)`,
      });
    }
    const region = regionOfArn(cert);
    if (region && region !== "us-east-1")
      problems.push({
        file: env.file,
        path,
        message: `expected a certificate in us-east-1 (CloudFront only uses certificates there), got one in ${region}`,
      });
  }
  const stateRole = env.config.state.roleArn;
  if (stateRole && accountOfArn(stateRole) === env.config.account.id) {
    problems.push({
      file: env.file,
      path: "state.roleArn",
      message: `expected a role in the account holding the state bucket, got one in the environment's own account ${env.config.account.id}: for state in this account remove state.roleArn (the deploy and plan roles reach the bucket directly)`,
    });
  }
  const plan = env.config.delivery?.planRoleArn;
  const planAccount = plan ? accountOfArn(plan) : undefined;
  if (planAccount && planAccount !== env.config.account.id) {
    problems.push({
      file: env.file,
      path: "delivery.planRoleArn",
      message: `expected a role in account ${env.config.account.id} (the bootstrap stack creates it there), got a role in account ${planAccount}`,
    });
  }
  return problems;
}

/** The account a state bucket lives in: the state role's when state lives elsewhere, else the environment's own (its bootstrap creates it). */
export function stateBucketAccount(env: LoadedEnvironment): string {
  const role = env.config.state.roleArn;
  return (role && accountOfArn(role)) || env.config.account.id;
}

function stateBucketAccountProblems(envs: readonly LoadedEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const env of envs) {
    for (const other of envs) {
      if (other === env || other.config.state.bucket !== env.config.state.bucket) continue;
      if (stateBucketAccount(other) === stateBucketAccount(env)) continue;
      problems.push({
        file: env.file,
        path: "state.bucket",
        message:
          `bucket ${env.config.state.bucket} is also used by ${other.file}, which has it in account ${stateBucketAccount(other)}; here it would be in account ${stateBucketAccount(env)}: ` +
          "expected a bucket of this environment's own account, or state.roleArn naming a role in the account that holds the shared bucket",
      });
    }
  }
  return problems;
}

/** Reports every value (from `values`) that two or more environments share, on each of them, naming the others. */
function clash(
  envs: readonly LoadedEnvironment[],
  out: ConfigProblem[],
  values: (env: LoadedEnvironment) => Array<[path: string, value: string]>,
  what: (value: string) => string,
  expected: string,
): void {
  const users = new Map<string, Array<{ env: LoadedEnvironment; path: string }>>();
  for (const env of envs) {
    for (const [path, value] of values(env)) users.set(value, [...(users.get(value) ?? []), { env, path }]);
  }
  for (const [value, list] of users) {
    const files = [...new Set(list.map((u) => u.env.file))];
    if (files.length < 2) continue;
    for (const { env, path } of list) {
      const others = files.filter((f) => f !== env.file);
      out.push({ file: env.file, path, message: `${what(value)} ${others.join(", ")}: ${expected}` });
    }
  }
}

/** An environment named like another's bootstrap or state-access stack would collide with it. */
function stackNameProblems(envs: readonly LoadedEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const env of envs) {
    for (const other of envs) {
      for (const suffix of ["-bootstrap", "-state-access"]) {
        if (other.config.delivery && env.name === `${other.name}${suffix}`) {
          problems.push({
            file: env.file,
            path: "",
            message: `stack name "${env.name}" is the ${suffix.slice(1)} stack of ${other.file}: rename the file`,
          });
        }
      }
    }
  }
  return problems;
}
