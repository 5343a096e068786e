import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { awsContext } from "../shared/aws-context";
import { PropsValidator } from "../shared/validation";
import { EVENTS_PRINCIPAL } from "./queue-encryption";
import { object, string } from "../shared/props-shape";

/** Props of EventBusTargetRole. */
export interface EventBusTargetRoleProps {
  /** Role name (1-64 characters of letters, digits and +=,.@_-); required. */
  readonly name: string;
  /** ARN of the one rule allowed to assume the role; required. */
  readonly ruleArn: string;
  /** ARN of the one event bus the role may put events on; required. */
  readonly eventBusArn: string;
}

/** The structure of EventBusTargetRoleProps, checked before the value rules. */
const EVENT_BUS_TARGET_ROLE_SHAPE = object({ name: string, ruleArn: string, eventBusArn: string });

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
    const v = new PropsValidator(`EventBusTargetRole ${id}`);
    v.requireShape(props, EVENT_BUS_TARGET_ROLE_SHAPE);
    v.check(
      /^[\w+=,.@-]{1,64}$/.test(props.name),
      "name",
      `expected a role name of 1-64 letters, digits or +=,.@_-, got "${props.name}"`,
    );
    v.throwIfInvalid();

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
