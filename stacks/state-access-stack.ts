import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktn";
import type { Construct } from "constructs";
import { StateAccessRole } from "../modules/bootstrap/state-access-role";
import { stateBucketAccount } from "./config/cross-environment";
import type { DeliveryConfig } from "./config/delivery";
import type { LoadedEnvironment } from "./config/loaded-environment";
import { type BootstrapStackOptions, roleNameAndPath } from "./bootstrap-stack";
import { defaultTags } from "./environment-stack";

/** The state-access stack's name for an environment. */
export const stateAccessStackName = (env: string) => `${env}-state-access`;

/**
 * For an environment whose state lives in another account (`state.roleArn`): the role there that
 * its deploy and plan roles assume to reach exactly its state key. Applied once, after the
 * environment's bootstrap stack, with the state account's administrator credentials.
 */
export class StateAccessStack extends TerraformStack {
  readonly stateRole: StateAccessRole;

  constructor(scope: Construct, env: LoadedEnvironment, options: BootstrapStackOptions = {}) {
    super(scope, stateAccessStackName(env.name));
    const { config } = env;
    const delivery = config.delivery as DeliveryConfig;
    new AwsProvider(this, "aws", {
      region: config.state.region,
      allowedAccountIds: [stateBucketAccount(env)],
      defaultTags: [{ tags: defaultTags(env) }],
    });
    if (options.localState) new LocalBackend(this, {});
    else {
      new S3Backend(this, {
        bucket: config.state.bucket,
        key: config.state.key.replace(/\.tfstate$/, ".state-access.tfstate"),
        region: config.state.region,
        encrypt: true,
        kmsKeyId: config.state.kmsKeyArn,
      }).addOverride("use_lockfile", true);
    }
    this.stateRole = new StateAccessRole(this, "state-role", {
      ...roleNameAndPath(config.state.roleArn as string),
      trustedRoleArns: [config.account.deployRoleArn, delivery.planRoleArn],
      state: { bucket: config.state.bucket, key: config.state.key, kmsKeyArn: config.state.kmsKeyArn },
    });
    new TerraformOutput(this, "state-roleArn", {
      value: this.stateRole.roleArn,
      description: "env file: state.roleArn",
    });
  }
}
