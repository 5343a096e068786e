import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { z } from "zod";
import { awsContext } from "../shared/aws-context";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { parseProps } from "../shared/parse-props";
import { valueChecks } from "../shared/zod-problems";
import { EVENTS_PRINCIPAL } from "./queue-encryption";

/** Props of EventTargetRole. */
export interface EventTargetRoleProps {
  /** Role name (1-64 characters of letters, digits and +=,.@_-); required. */
  readonly name: string;
  /** ARN of the one rule allowed to assume the role; required. */
  readonly ruleArn: string;
  /** What the role is for, in its description (`delivers the rule's events to <target>`); required. */
  readonly purpose: string;
  /** The one call the role may make on the one target; required. */
  readonly grant: {
    /** Name of the role's inline policy; required. */
    readonly policyName: string;
    /** Sid of its statement; required. */
    readonly sid: string;
    /** The action (e.g. `events:PutEvents`, `states:StartExecution`); required. */
    readonly action: string;
    /** The target's ARN; required. */
    readonly resource: string;
  };
  /** A customer key the call needs (a state machine's: StartExecution encrypts the input with it), used only under the target's encryption context. @default none */
  readonly key?: {
    /** ARN of the key; required. */
    readonly arn: string;
    /** The encryption context key naming the target (e.g. `aws:states:stateMachineArn`); required. */
    readonly contextKey: string;
  };
}

/** EventTargetRoleProps, parsed once at the construct's door (every problem at once). */
export const eventTargetRolePropsSchema = z
  .strictObject({
    name: z.string(),
    ruleArn: z.string(),
    purpose: z.string(),
    grant: z.strictObject({ policyName: z.string(), sid: z.string(), action: z.string(), resource: z.string() }),
    key: z.strictObject({ arn: z.string(), contextKey: z.string() }).optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(
      /^[\w+=,.@-]{1,64}$/.test(props.name),
      "name",
      `expected a role name of 1-64 letters, digits or +=,.@_-, got "${props.name}"`,
    );
  });

/**
 * A role EventBridge assumes to deliver a rule's events to a target that takes a role (another bus, a state
 * machine): trusted only by EventBridge acting for that rule in this account, allowed only the one call on that target.
 */
export class EventTargetRole extends Construct {
  readonly role: IamRole;
  /** ARN of the role, for the target's `role_arn`. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: EventTargetRoleProps) {
    super(scope, id);
    parseProps(`EventTargetRole ${id}`, eventTargetRolePropsSchema, props);
    const aws = awsContext(this);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: `EventBridge ${props.purpose}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EventBridgeForOneRule",
            Effect: "Allow",
            Principal: { Service: EVENTS_PRINCIPAL },
            Action: "sts:AssumeRole",
            Condition: {
              StringEquals: { "aws:SourceAccount": aws.accountId },
              ArnEquals: { "aws:SourceArn": props.ruleArn },
            },
          },
        ],
      }),
    });
    this.roleArn = this.role.arn;
    const g = props.grant;
    new IamRolePolicy(this, g.policyName, {
      name: g.policyName,
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: g.sid, Effect: "Allow", Action: g.action, Resource: g.resource }, ...keyStatement(props)],
      }),
    });
  }
}

/** The key's use, only for this target (its encryption context), when the call needs one. */
function keyStatement(props: EventTargetRoleProps): Record<string, unknown>[] {
  if (!props.key) return [];
  return [
    {
      Sid: "UseTheTargetKey",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: props.key.arn,
      Condition: { StringEquals: { [`kms:EncryptionContext:${props.key.contextKey}`]: props.grant.resource } },
    },
  ];
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _EventTargetRoleSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof eventTargetRolePropsSchema>, EventTargetRoleProps>
>;
