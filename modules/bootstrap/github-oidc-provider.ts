import { IamOpenidConnectProvider } from "@cdktn/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";

/** GitHub Actions' OIDC issuer. */
export const GITHUB_OIDC_URL = "https://token.actions.githubusercontent.com";
/** The audience configure-aws-credentials requests tokens for. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/**
 * The account's IAM identity provider for GitHub Actions (`token.actions.githubusercontent.com`,
 * audience `sts.amazonaws.com`). An account has at most one per URL: if one exists already,
 * import it (`terraform import`) instead of creating a second. No thumbprint is pinned: IAM
 * verifies GitHub's certificate against its own trusted CAs.
 */
export class GithubOidcProvider extends Construct {
  readonly provider: IamOpenidConnectProvider;
  /** ARN, the `Federated` principal of the roles GitHub workflows assume. */
  readonly arn: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: GITHUB_OIDC_URL,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
    });
    this.arn = this.provider.arn;
  }
}
