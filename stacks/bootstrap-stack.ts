import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktn";
import type { Construct } from "constructs";
import { GithubActionsRole, type GithubSubject } from "../modules/bootstrap/github-actions-role";
import { GithubOidcProvider } from "../modules/bootstrap/github-oidc-provider";
import { StateBucket } from "../modules/bootstrap/state-bucket";
import { stateBucketAccount } from "./config/cross-environment";
import type { DeliveryConfig } from "./config/delivery";
import type { LoadedEnvironment } from "./config/loaded-environment";
import { defaultTags } from "./environment-stack";

/** How a bootstrap stack keeps its own state. */
export interface BootstrapStackOptions {
  /** true: local state (`terraform.<env>-bootstrap.tfstate` in the working directory), for the first apply before the bucket exists; default false (the S3 bucket it created). */
  readonly localState?: boolean;
}

/** A role's name and path from its ARN (`arn:aws:iam::1:role/ci/deploy` -> `/ci/`, `deploy`). */
export function roleNameAndPath(arn: string): { name: string; path: string } {
  const full = arn.slice(arn.indexOf(":role/") + ":role".length);
  const cut = full.lastIndexOf("/");
  return { path: full.slice(0, cut + 1), name: full.slice(cut + 1) };
}

/** The bootstrap stack's name for an environment. */
export const bootstrapStackName = (env: string) => `${env}-bootstrap`;

/**
 * What an account needs before its environment stack can be delivered, from the same env file,
 * applied once with the account's administrator credentials: the state bucket (when state lives in
 * the account), the GitHub Actions OIDC provider, the deploy role (trusted only by the configured
 * repository and branch or GitHub environment) and the read-only plan role (pull requests and the
 * drift check). Outputs are named for the env file fields they fill.
 */
export class BootstrapStack extends TerraformStack {
  readonly deployRole: GithubActionsRole;
  readonly planRole: GithubActionsRole;
  /** The state bucket, unless the environment's state lives in another account. */
  readonly stateBucket?: StateBucket;

  constructor(scope: Construct, env: LoadedEnvironment, options: BootstrapStackOptions = {}) {
    super(scope, bootstrapStackName(env.name));
    const { config } = env;
    const delivery = config.delivery as DeliveryConfig;
    // No assume_role: this stack creates the deploy role, so it runs with the account's own administrator credentials.
    new AwsProvider(this, "aws", {
      region: config.state.region,
      allowedAccountIds: [config.account.id],
      defaultTags: [{ tags: defaultTags(env) }],
    });
    const ownState = stateBucketAccount(env) === config.account.id;
    this.createBackend(env, ownState, options.localState === true);
    if (ownState) {
      this.stateBucket = new StateBucket(this, "state", {
        bucketName: config.state.bucket,
        accountId: config.account.id,
        kmsKeyArn: config.state.kmsKeyArn,
        noncurrentVersionDays: delivery.stateNoncurrentVersionDays,
      });
      new TerraformOutput(this, "state-bucket", {
        value: this.stateBucket.bucketName,
        description: "env file: state.bucket",
      });
    }
    const oidc = new GithubOidcProvider(this, "github-oidc");
    const stateRoleArn = ownState ? undefined : config.state.roleArn;
    this.deployRole = this.createDeployRole(env, delivery, oidc.arn, stateRoleArn);
    this.planRole = this.createPlanRole(env, delivery, oidc.arn, stateRoleArn);
    new TerraformOutput(this, "account-deployRoleArn", {
      value: this.deployRole.roleArn,
      description: "env file: account.deployRoleArn",
    });
    new TerraformOutput(this, "delivery-planRoleArn", {
      value: this.planRole.roleArn,
      description: "env file: delivery.planRoleArn",
    });
  }

  /** The stack's own state: beside the environment's (`<key>.bootstrap.tfstate`), or local for a first apply. */
  private createBackend(env: LoadedEnvironment, ownState: boolean, localState: boolean): void {
    const { config } = env;
    if (localState) {
      new LocalBackend(this, {});
      return;
    }
    new S3Backend(this, {
      bucket: config.state.bucket,
      key: config.state.key.replace(/\.tfstate$/, ".bootstrap.tfstate"),
      region: config.state.region,
      encrypt: true,
      kmsKeyId: config.state.kmsKeyArn,
      assumeRole:
        ownState || !config.state.roleArn
          ? undefined
          : { roleArn: config.state.roleArn, sessionName: `cdktf-state-${bootstrapStackName(env.name)}` },
    }).addOverride("use_lockfile", true);
  }

  /** The role the pipeline deploys with: trusted by the environment's GitHub environment (or branch) only. */
  private createDeployRole(
    env: LoadedEnvironment,
    delivery: DeliveryConfig,
    oidcProviderArn: string,
    stateRoleArn: string | undefined,
  ): GithubActionsRole {
    const { config } = env;
    const { repository } = delivery.github;
    const deploySubject: GithubSubject = delivery.github.environment
      ? { environment: delivery.github.environment }
      : { branch: delivery.github.branch as string };
    return new GithubActionsRole(this, "deploy-role", {
      ...roleNameAndPath(config.account.deployRoleArn),
      accountId: config.account.id,
      oidcProviderArn,
      repository,
      subjects: [deploySubject],
      managedPolicyArns: delivery.deployPolicyArns,
      state: { bucket: config.state.bucket, key: config.state.key, kmsKeyArn: config.state.kmsKeyArn, stateRoleArn },
      description: `Deploys ${env.name} from ${repository} (${"environment" in deploySubject ? `environment ${deploySubject.environment}` : `branch ${deploySubject.branch}`})`,
    });
  }

  /** The read-only role pull requests (and the drift check) plan with. */
  private createPlanRole(
    env: LoadedEnvironment,
    delivery: DeliveryConfig,
    oidcProviderArn: string,
    stateRoleArn: string | undefined,
  ): GithubActionsRole {
    const { config } = env;
    const { repository } = delivery.github;
    return new GithubActionsRole(this, "plan-role", {
      ...roleNameAndPath(delivery.planRoleArn),
      accountId: config.account.id,
      oidcProviderArn,
      repository,
      // A gated environment's (production's) plan role does not trust pull requests: any branch's workflow and npm
      // scripts could then read it and its state (API key values). Main plans it from the default branch instead.
      subjects: delivery.github.environment
        ? [{ branch: delivery.github.defaultBranch }]
        : [{ pullRequest: true }, { branch: delivery.github.defaultBranch }],
      // Read-only: plans read every resource; the only writes are the state lock.
      managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      state: {
        bucket: config.state.bucket,
        key: config.state.key,
        kmsKeyArn: config.state.kmsKeyArn,
        stateRoleArn,
        readOnly: true,
      },
      description: `Plans ${env.name} for pull requests and the drift check of ${repository}`,
    });
  }
}
