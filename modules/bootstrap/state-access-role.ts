import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { arrayOf, object, optional, string } from "../shared/props-shape";
import { PropsValidator } from "../shared/validation";
import { type TerraformStateAccess, terraformStateStatements } from "./terraform-state-access";

/** Props of StateAccessRole. */
export interface StateAccessRoleProps {
  /** Role name (1-64 of letters, digits, +=,.@_-); required. */
  readonly name: string;
  /** IAM path. @default `/` */
  readonly path?: string;
  /** Roles (in the environment's account) allowed to assume this one: its deploy and plan roles; at least one; required. */
  readonly trustedRoleArns: readonly string[];
  /** The one state object (and its lock) the role may read and write; required. */
  readonly state: Omit<TerraformStateAccess, "stateRoleArn" | "readOnly">;
}

/** The structure of StateAccessRoleProps, checked before the value rules. */
const STATE_ACCESS_ROLE_SHAPE = object({
  name: string,
  path: optional(string),
  trustedRoleArns: arrayOf(string),
  state: object({ bucket: string, key: string, kmsKeyArn: optional(string) }),
});

/**
 * A role in the account that holds a shared state bucket, which an environment in another
 * account assumes (the S3 backend's `assume_role`) to read and write exactly its own state key
 * and lock: trusted by exactly the given role ARNs, allowed nothing else.
 */
export class StateAccessRole extends Construct {
  readonly role: IamRole;
  /** ARN, for `state.roleArn`. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: StateAccessRoleProps) {
    super(scope, id);
    const v = new PropsValidator(`StateAccessRole ${id}`);
    v.requireShape(props, STATE_ACCESS_ROLE_SHAPE);
    v.check(
      /^[\w+=,.@-]{1,64}$/.test(props.name),
      "name",
      `expected a role name of 1-64 letters, digits or +=,.@_-, got "${props.name}"`,
    );
    v.check(props.trustedRoleArns.length > 0, "trustedRoleArns", "expected at least one role allowed to assume it");
    for (const [i, arn] of props.trustedRoleArns.entries()) {
      v.check(
        /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn),
        `trustedRoleArns[${i}]`,
        `expected an IAM role ARN, got "${arn}"`,
      );
    }
    v.throwIfInvalid();
    this.role = new IamRole(this, "role", {
      name: props.name,
      path: props.path ?? "/",
      description: `Terraform state s3://${props.state.bucket}/${props.state.key} for ${props.trustedRoleArns.join(", ")}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EnvironmentRoles",
            Effect: "Allow",
            Principal: { AWS: [...props.trustedRoleArns] },
            Action: "sts:AssumeRole",
          },
        ],
      }),
    });
    this.roleArn = this.role.arn;
    new IamRolePolicy(this, "terraform-state", {
      role: this.role.id,
      name: "terraform-state",
      policy: JSON.stringify({ Version: "2012-10-17", Statement: terraformStateStatements(props.state) }),
    });
  }
}
