import { targetKinds } from "../../modules/events/targets";
import { accountOfArn, regionOfArn } from "./primitives";
import type { ConfigProblem } from "./errors";
import type { LoadedEnvironment } from "./loaded-environment";

/**
 * Checks that need all environments at once. A value two environments must not share is reported
 * against both files, each naming the other, so the file just added or edited is always among them
 * whatever the file names' sort order.
 */
export function crossEnvironmentProblems(
  envs: readonly LoadedEnvironment[],
  unreadable: readonly AccountOnly[] = [],
): ConfigProblem[] {
  // A shared account first: it is the one wrong field that makes every other account check blame the right ones.
  const problems: ConfigProblem[] = sharedAccountProblems([
    ...envs.map((e) => ({ file: e.file, accountId: e.config.account.id })),
    ...unreadable,
  ]);
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
  // A target field each kind binds to one environment (an event-bus target's bus): modules/events/targets/.
  for (const kind of targetKinds()) {
    const bound = kind.environmentBound;
    if (!bound) continue;
    clash(
      envs,
      problems,
      (e) =>
        e.config.events.rules.flatMap((rule, i) =>
          rule.targets.flatMap((t, j): Array<[string, string]> => {
            const value = t.kind === kind.kind ? (t as unknown as Record<string, unknown>)[bound.field] : undefined;
            return typeof value === "string" ? [[`events.rules[${i}].targets[${j}].${bound.field}`, value]] : [];
          }),
        ),
      (v) => `${bound.what} ${v} is also a target of`,
      bound.expected,
    );
  }
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
  problems.push(...stateBucketAccountProblems(envs), ...stackNameProblems(envs), ...otherEnvironmentReferences(envs));
  return problems;
}

/** A file whose schema failed, still known by its account id (when that field is a 12-digit string). */
export interface AccountOnly {
  readonly file: string;
  readonly accountId: string;
}

/** Every account id two files share, on each of them, naming the others. */
function sharedAccountProblems(list: readonly AccountOnly[]): ConfigProblem[] {
  const byAccount = new Map<string, string[]>();
  for (const { file, accountId } of list) byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), file]);
  return list.flatMap(({ file, accountId }) => {
    const others = (byAccount.get(accountId) ?? []).filter((f) => f !== file);
    return others.length === 0
      ? []
      : [
          {
            file,
            path: "account.id",
            message: `account ${accountId} is also used by ${others.join(", ")}: expected each environment in its own AWS account (a copied file keeps the other's id; the checks of its roles and certificate below blame those fields until it is changed)`,
          },
        ];
  });
}

/**
 * Values a copied file keeps from the environment it was copied from: a consumer's environment
 * variable, or any string of an event target (ARN, URL), that names another environment's account,
 * custom domain or `.<name>.` host. Reported on both files, each naming the other.
 */
function otherEnvironmentReferences(envs: readonly LoadedEnvironment[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const env of envs) {
    for (const other of envs) {
      if (other === env) continue;
      // Two files in one account are reported as such (account.id); their ARNs naming it say nothing more.
      const marks = markersOf(other).filter((m) => m.text !== env.config.account.id);
      for (const [path, value] of referenceStrings(env)) {
        const hit = marks.find((m) => value.toLowerCase().includes(m.text));
        if (!hit) continue;
        const says = `${JSON.stringify(value)} names ${other.name}'s ${hit.what}`;
        problems.push({
          file: env.file,
          path,
          message: `${says} (${other.file}): expected this environment's own value (a copied file still points at the other environment)`,
        });
        problems.push({
          file: other.file,
          path: "",
          message: `${env.file} ${path} ${says}: ${env.name} would call into this environment`,
        });
      }
    }
  }
  return problems;
}

/** What identifies an environment inside another one's values. */
function markersOf(env: LoadedEnvironment): { text: string; what: string }[] {
  const domain = env.config.api?.distribution?.customDomain?.domainName;
  return [
    { text: env.config.account.id, what: `account ${env.config.account.id}` },
    ...(domain ? [{ text: domain.toLowerCase(), what: `domain ${domain}` }] : []),
    { text: `.${env.name}.`, what: `host (.${env.name}.)` },
  ];
}

/** The strings of an environment that point at other systems: consumer environment values, event target fields. */
function referenceStrings(env: LoadedEnvironment): Array<[path: string, value: string]> {
  const out: Array<[string, string]> = [];
  env.config.consumers.forEach((c, i) => {
    for (const [k, v] of Object.entries(c.environment ?? {})) out.push([`consumers[${i}].environment.${k}`, v]);
  });
  for (const [i, rule] of env.config.events.rules.entries())
    for (const [j, t] of rule.targets.entries()) collectStrings(t, `events.rules[${i}].targets[${j}]`, out);
  return out;
}

function collectStrings(value: unknown, at: string, out: Array<[string, string]>): void {
  if (typeof value === "string") out.push([at, value]);
  else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) collectStrings(v, `${at}[${i}]`, out);
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) if (k !== "name" && k !== "kind") collectStrings(v, `${at}.${k}`, out);
}

/** Problems of one environment that concern the account it is in: a certificate or plan role from another account. */
export function accountProblems(env: LoadedEnvironment): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const roleAccount = accountOfArn(env.config.account.deployRoleArn);
  if (roleAccount && roleAccount !== env.config.account.id) {
    problems.push({
      file: env.file,
      path: "account.deployRoleArn",
      message: `expected a role in account ${env.config.account.id}, got a role in account ${roleAccount}`,
    });
  }
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
