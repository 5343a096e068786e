/**
 * Account bootstrap: the Terraform state bucket, GitHub Actions OIDC provider and the deploy, plan and
 * state-access roles an account needs before its environment stack can be delivered (`<env>-bootstrap`).
 * @module @acme/resilient-edge/bootstrap
 */
export { GithubActionsRole, type GithubActionsRoleProps, type GithubSubject } from "./github-actions-role";
export { GithubOidcProvider } from "./github-oidc-provider";
export { StateAccessRole, type StateAccessRoleProps } from "./state-access-role";
export { StateBucket, type StateBucketProps } from "./state-bucket";
export type { TerraformStateAccess } from "./terraform-state-access";
export { PropsError } from "../shared/validation";
