export { GithubActionsRole, type GithubActionsRoleProps, type GithubSubject } from "./github-actions-role";
export { GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_URL, GithubOidcProvider } from "./github-oidc-provider";
export { StateAccessRole, type StateAccessRoleProps } from "./state-access-role";
export { StateBucket, type StateBucketProps } from "./state-bucket";
export type { TerraformStateAccess } from "./terraform-state-access";
