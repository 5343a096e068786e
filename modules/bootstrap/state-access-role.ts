import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { type TerraformStateAccess, terraformStateStatements } from "./terraform-state-access";
import { BOOTSTRAP_DEFAULTS } from "./defaults";

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

/** StateAccessRoleProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const stateAccessRolePropsSchema = z
  .strictObject({
    name: z.string(),
    path: z.string().optional(),
    trustedRoleArns: z.array(z.string()),
    state: z.strictObject({ bucket: z.string(), key: z.string(), kmsKeyArn: z.string().optional() }),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
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
    parseProps(`StateAccessRole ${id}`, stateAccessRolePropsSchema, props);
    this.role = new IamRole(this, "role", {
      name: props.name,
      path: props.path ?? BOOTSTRAP_DEFAULTS.rolePath,
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

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _StateAccessRoleSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof stateAccessRolePropsSchema>, StateAccessRoleProps>
>;
