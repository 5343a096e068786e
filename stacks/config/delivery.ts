import { z } from "zod";
import { iamRoleArn } from "./primitives";

/** The GitHub repository and the ref or GitHub environment whose workflow runs may deploy the environment. */
const githubSchema = z
  .strictObject({
    repository: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9_.-]{1,100}$/, {
        message: "expected <owner>/<repository> as on GitHub, such as acme/resilient-edge",
      })
      .describe(
        "GitHub repository (`<owner>/<repository>`) whose workflows deploy this environment; the OIDC trust names it exactly",
      ),
    environment: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,255}$/, {
        message: "expected a GitHub environment name (letters, digits, '_', '.', '-')",
      })
      .optional()
      .describe(
        "GitHub environment the apply job runs in (give it required reviewers for production); the deploy role trusts only `repo:<repository>:environment:<environment>`. Exactly one of environment and branch",
      ),
    branch: z
      .string()
      .regex(/^[A-Za-z0-9_./-]{1,255}$/, { message: "expected a branch name such as main" })
      .optional()
      .describe(
        "branch whose pushes apply this environment; the deploy role trusts only `repo:<repository>:ref:refs/heads/<branch>`. Exactly one of environment and branch",
      ),
    defaultBranch: z
      .string()
      .regex(/^[A-Za-z0-9_./-]{1,255}$/, { message: "expected a branch name such as main" })
      .default("main")
      .describe("the repository's default branch: the scheduled drift check runs there and may use the plan role"),
  })
  .superRefine((g, ctx) => {
    if ((g.environment === undefined) === (g.branch === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["environment"],
        message:
          "expected exactly one of environment and branch: the deploy role trusts one GitHub environment or one branch, never a wildcard",
      });
    }
  });

/**
 * How the environment is delivered: GitHub Actions assume its roles through OIDC. The bootstrap
 * stack `<env>-bootstrap` creates those roles, the state bucket and the OIDC provider from this.
 */
export const deliverySchema = z.strictObject({
  github: githubSchema,
  planRoleArn: iamRoleArn.describe(
    "read-only role pull-request plans and the drift check assume (bootstrap output `delivery-planRoleArn`); must be in `account.id`",
  ),
  applyOrder: z
    .int()
    .min(0)
    .max(1000)
    .default(100)
    .describe(
      "position in the pipeline on main: environments apply one at a time in ascending order (then by name); those with a GitHub environment apply after all branch-gated ones",
    ),
  deployPolicyArns: z
    .array(iamPolicyArn())
    .min(1)
    .default(["arn:aws:iam::aws:policy/AdministratorAccess"])
    .describe(
      "managed policies of the deploy role; the default lets Terraform create every resource kind of the stacks, IAM roles included (the trust, not the policy, is what limits who may use it)",
    ),
  stateNoncurrentVersionDays: z
    .int()
    .min(1)
    .max(3650)
    .default(90)
    .describe("days the state bucket keeps a replaced or deleted state version before it expires"),
});

function iamPolicyArn() {
  return z.string().regex(/^arn:aws(-cn|-us-gov)?:iam::(aws|\d{12}):policy\/[\w+=,.@/-]{1,512}$/, {
    message: "expected an IAM managed policy ARN such as arn:aws:iam::aws:policy/ReadOnlyAccess",
  });
}

/** A validated `delivery` section. */
export type DeliveryConfig = z.infer<typeof deliverySchema>;
