import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktn/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { GITHUB_OIDC_AUDIENCE } from "./github-oidc-provider";
import {
  terraformStateAccessSchema,
  type TerraformStateAccess,
  terraformStateStatements,
} from "./terraform-state-access";
import { BOOTSTRAP_DEFAULTS } from "./defaults";

/** Who, in GitHub, may assume the role: one of these per allowed token subject. */
export type GithubSubject =
  | { readonly branch: string }
  | { readonly environment: string }
  | { readonly pullRequest: true };

/** Props of GithubActionsRole. */
export interface GithubActionsRoleProps {
  /** Role name (1-64 of letters, digits, +=,.@_-); required. */
  readonly name: string;
  /** IAM path (`/` or `/a/b/`). @default `/` */
  readonly path?: string;
  /** Account the role is in (the self-assume statement names it); required. */
  readonly accountId: string;
  /** ARN of the account's GitHub OIDC provider; required. */
  readonly oidcProviderArn: string;
  /** `<owner>/<repository>`, exactly (no wildcards); required. */
  readonly repository: string;
  /** The branches, GitHub environments or pull requests whose tokens the trust accepts; at least one, never a wildcard; required. */
  readonly subjects: readonly GithubSubject[];
  /** Managed policies attached to the role. @default none */
  readonly managedPolicyArns?: readonly string[];
  /** The Terraform state the role reads (and writes unless `readOnly`), granted inline. @default none */
  readonly state?: TerraformStateAccess;
  /** Maximum session length in seconds (3600-43200). @default 3600 */
  readonly maxSessionSeconds?: number;
  /** Role description. @default none */
  readonly description?: string;
}

const SUBJECTS = [
  z.strictObject({ branch: z.string() }),
  z.strictObject({ environment: z.string() }),
  z.strictObject({ pullRequest: z.literal(true) }),
] as const;

/** One subject: a branch, an environment or pull requests (one message when it is none of them). */
const subjectSchema = z.custom<GithubSubject>((v) => SUBJECTS.some((s) => s.safeParse(v).success), {
  message: 'expected {"branch": <name>}, {"environment": <name>} or {"pullRequest": true}',
});

/** GithubActionsRoleProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const githubActionsRolePropsSchema = z
  .strictObject({
    name: z.string(),
    path: z.string().optional(),
    accountId: z.string(),
    oidcProviderArn: z.string(),
    repository: z.string(),
    subjects: z.array(subjectSchema),
    managedPolicyArns: z.array(z.string()).optional(),
    state: terraformStateAccessSchema.optional(),
    maxSessionSeconds: z.number().optional(),
    description: z.string().optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(
      NAME.test(props.name),
      "name",
      `expected a role name of 1-64 letters, digits or +=,.@_-, got "${props.name}"`,
    );
    v.check(
      props.path === undefined || /^\/([\w+=,.@-]+\/)*$/.test(props.path),
      "path",
      `expected an IAM path such as / or /ci/, got "${props.path}"`,
    );
    v.check(/^\d{12}$/.test(props.accountId), "accountId", `expected a 12-digit account id, got "${props.accountId}"`);
    v.check(
      /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9_.-]{1,100}$/.test(props.repository),
      "repository",
      `expected <owner>/<repository> without wildcards, got "${props.repository}"`,
    );
    v.check(props.subjects.length > 0, "subjects", "expected at least one branch, environment or pull request subject");
    props.subjects.forEach((s, i) => {
      const value = "branch" in s ? s.branch : "environment" in s ? s.environment : "pull_request";
      v.check(
        NO_WILDCARD.test(value),
        `subjects[${i}]`,
        `expected a branch or environment name without wildcards, got "${value}"`,
      );
    });
    v.integerInRange(props.maxSessionSeconds, "maxSessionSeconds", 3600, 43200);
  });

const NAME = /^[\w+=,.@-]{1,64}$/;
const NO_WILDCARD = /^[A-Za-z0-9_./-]+$/;

/** The `sub` claim GitHub puts in a workflow's token for a subject of `repository`. */
function githubSubjectClaim(repository: string, s: GithubSubject): string {
  if ("branch" in s) return `repo:${repository}:ref:refs/heads/${s.branch}`;
  if ("environment" in s) return `repo:${repository}:environment:${s.environment}`;
  return `repo:${repository}:pull_request`;
}

/**
 * A role GitHub Actions workflows assume through OIDC (`aws-actions/configure-aws-credentials`
 * with `role-to-assume`). Its trust accepts only tokens for audience `sts.amazonaws.com` whose
 * `sub` equals one of the given subjects exactly (StringEquals, no wildcard), plus the role
 * itself (the AWS provider of a stack assumes the deploy role again from the role's session; the
 * role's inline policy allows exactly that, and the Terraform state access of `state`).
 */
export class GithubActionsRole extends Construct {
  readonly role: IamRole;
  /** The role's ARN. */
  readonly roleArn: string;
  /** The `sub` claims the trust accepts. */
  readonly subjectClaims: readonly string[];

  constructor(scope: Construct, id: string, props: GithubActionsRoleProps) {
    super(scope, id);
    validate(id, props);
    const path = props.path ?? BOOTSTRAP_DEFAULTS.rolePath;
    this.subjectClaims = props.subjects.map((s) => githubSubjectClaim(props.repository, s));
    const ownArn = `arn:aws:iam::${props.accountId}:role${path}${props.name}`;
    this.role = new IamRole(this, "role", {
      name: props.name,
      path,
      description: props.description,
      maxSessionDuration: props.maxSessionSeconds ?? BOOTSTRAP_DEFAULTS.maxSessionSeconds,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "GitHubActionsOidc",
            Effect: "Allow",
            Principal: { Federated: props.oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                "token.actions.githubusercontent.com:aud": GITHUB_OIDC_AUDIENCE,
                "token.actions.githubusercontent.com:sub": this.subjectClaims,
              },
            },
          },
          {
            Sid: "SelfAssumeForTheProvider",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
            Action: "sts:AssumeRole",
            Condition: { ArnEquals: { "aws:PrincipalArn": ownArn } },
          },
        ],
      }),
    });
    this.roleArn = this.role.arn;
    for (const [i, policyArn] of (props.managedPolicyArns ?? []).entries()) {
      new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn });
    }
    // The trust above names the account, so the role's own policy must also allow assuming itself.
    const selfAssume = { Sid: "AssumeSelfForTheProvider", Effect: "Allow", Action: "sts:AssumeRole", Resource: ownArn };
    new IamRolePolicy(this, "policy", {
      role: this.role.id,
      name: props.state ? "self-assume-and-terraform-state" : "self-assume",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [selfAssume, ...(props.state ? terraformStateStatements(props.state) : [])],
      }),
    });
  }
}

function validate(id: string, props: GithubActionsRoleProps): void {
  parseProps(`GithubActionsRole ${id}`, githubActionsRolePropsSchema, props);
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _GithubActionsRoleSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof githubActionsRolePropsSchema>, GithubActionsRoleProps>
>;
