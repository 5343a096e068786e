import type { Construct } from "constructs";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { parseProps } from "../shared/parse-props";
import { EventTargetRole } from "./event-target-role";

/** Props of EventBusTargetRole. */
export interface EventBusTargetRoleProps {
  /** Role name (1-64 characters of letters, digits and +=,.@_-); required. */
  readonly name: string;
  /** ARN of the one rule allowed to assume the role; required. */
  readonly ruleArn: string;
  /** ARN of the one event bus the role may put events on; required. */
  readonly eventBusArn: string;
}

/** EventBusTargetRoleProps, parsed once at the construct's door (the role checks its name). */
export const eventBusTargetRolePropsSchema = z.strictObject({
  name: z.string(),
  ruleArn: z.string(),
  eventBusArn: z.string(),
});

/**
 * The role EventBridge assumes to deliver a rule's events to another event bus: trusted only by
 * EventBridge acting for that rule in this account, allowed only `events:PutEvents` on that bus.
 */
export class EventBusTargetRole extends EventTargetRole {
  constructor(scope: Construct, id: string, props: EventBusTargetRoleProps) {
    const p = parseProps(`EventBusTargetRole ${id}`, eventBusTargetRolePropsSchema, props);
    super(scope, id, {
      name: p.name,
      ruleArn: p.ruleArn,
      purpose: `delivers the rule's events to ${p.eventBusArn}`,
      grant: {
        policyName: "put-events",
        sid: "PutEventsOnTargetBus",
        action: "events:PutEvents",
        resource: p.eventBusArn,
      },
    });
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _EventBusTargetRoleSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof eventBusTargetRolePropsSchema>, EventBusTargetRoleProps>
>;
