import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../../shared/module-schema";
import { EventBusTargetRole } from "../event-bus-target-role";
import { EVENT_BUS_ARN, eventBusRoleName } from "../eventbridge-rules";
import { ALWAYS, isObject, patternOrReference, targetBaseFields } from "../schema-parts";
import type { EventTargetBase, InputTransformer, RetryPolicy } from "../types";
import { defineTargetKind } from "./target-kind";

/** Delivers to another event bus (usually in another account) through a role EventBridge assumes. */
export interface EventBusTargetOptions extends EventTargetBase {
  readonly kind: "event-bus";
  /** ARN of the receiving bus; its own resource policy must accept this account's events; required. */
  readonly eventBusArn: string;
}

const schema = z
  .strictObject({
    kind: z.literal("event-bus"),
    ...targetBaseFields,
    // Typed as for other targets, any value accepted here to be refused below with the reason.
    retryPolicy: z.custom<Partial<RetryPolicy>>().optional(),
    inputTransformer: z.custom<InputTransformer>().optional(),
    eventBusArn: patternOrReference(
      EVENT_BUS_ARN,
      "expected an event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/partner",
    ),
  })
  .superRefine((t, ctx) => {
    if (!isObject(t)) return;
    if (t.retryPolicy !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["retryPolicy"],
        message: "event-bus targets take no retry policy (EventBridge rejects one); remove it",
      });
    if (t.inputTransformer !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["inputTransformer"],
        message: "event-bus targets take no input transformer (EventBridge forwards the event as is); remove it",
      });
  }, ALWAYS);

/** Another event bus, through a role `<prefix>-<name>-put-events` that only the rule's events may use. */
export const eventBusTarget = defineTargetKind<EventBusTargetOptions>({
  kind: "event-bus",
  schema,
  takesRetryPolicy: false,
  queueStems: () => [],
  keyUse: () => ({ uses: false, eventBridgeQueueStems: [] }),
  nameProblems: (t, c) => {
    const role = eventBusRoleName(c.prefix, t.name);
    return role.length <= 64
      ? []
      : [{ path: `${c.at}.name`, message: `expected a shorter name: the role "${role}" exceeds IAM's 64 characters` }];
  },
  placeProblems: () => [],
  bind: (scope, c, t) => {
    const role = new EventBusTargetRole(scope, `${t.name}-role`, {
      name: eventBusRoleName(c.prefix, t.name),
      ruleArn: c.rule.arn,
      eventBusArn: t.eventBusArn,
    });
    return { targetArn: t.eventBusArn, roleArn: role.roleArn, resources: { role } };
  },
  replayTarget: {
    pattern: /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._/-]{1,256}$/,
    expected: "an event bus ARN for an event-bus target",
  },
  // Replayed by PutEvents; a bus in another account must also allow the redrive's role in its resource policy.
  redriveGrant: () => ({ action: { sid: "PutEventsOnBusTargets", actions: ["events:PutEvents"] } }),
  environmentBound: {
    field: "eventBusArn",
    what: "event bus",
    expected:
      "expected this environment's own counterpart bus (a copied file still sends to the other environment's partner)",
  },
});

// The options interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _EventBusSchemaMatchesProps = Assert<SchemaMatchesProps<z.input<typeof schema>, EventBusTargetOptions>>;
