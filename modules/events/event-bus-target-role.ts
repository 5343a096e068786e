import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { awsContext } from "../shared/aws-context";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { EVENTS_PRINCIPAL } from "./queue-encryption";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";

/** Props of EventBusTargetRole. */
export interface EventBusTargetRoleProps {
  /** Role name (1-64 characters of letters, digits and +=,.@_-); required. */
  readonly name: string;
  /** ARN of the one rule allowed to assume the role; required. */
  readonly ruleArn: string;
  /** ARN of the one event bus the role may put events on; required. */
  readonly eventBusArn: string;
}

/** EventBusTargetRoleProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const eventBusTargetRolePropsSchema = z
  .strictObject({ name: z.string(), ruleArn: z.string(), eventBusArn: z.string() })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(
      /^[\w+=,.@-]{1,64}$/.test(props.name),
      "name",
      `expected a role name of 1-64 letters, digits or +=,.@_-, got "${props.name}"`,
    );
  });

/**
 * The role EventBridge assumes to deliver a rule's events to another event bus: trusted only by
 * EventBridge acting for that rule in this account, allowed only `events:PutEvents` on that bus.
 */
export class EventBusTargetRole extends Construct {
  readonly role: IamRole;
  /** ARN of the role, for the target's `role_arn`. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: EventBusTargetRoleProps) {
    super(scope, id);
    parseProps(`EventBusTargetRole ${id}`, eventBusTargetRolePropsSchema, props);

    const aws = awsContext(this);
    this.role = new IamRole(this, "role", {
      name: props.name,
      description: `EventBridge delivers the rule's events to ${props.eventBusArn}`,
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
    new IamRolePolicy(this, "put-events", {
      name: "put-events",
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "PutEventsOnTargetBus", Effect: "Allow", Action: "events:PutEvents", Resource: props.eventBusArn },
        ],
      }),
    });
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _EventBusTargetRoleSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof eventBusTargetRolePropsSchema>, EventBusTargetRoleProps>
>;
