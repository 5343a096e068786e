import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../../shared/module-schema";
import { EventTargetRole } from "../event-target-role";
import { STATE_MACHINE_ARN, stateMachineRoleName } from "../eventbridge-rules";
import { patternOrReference, targetBaseFields } from "../schema-parts";
import type { EventTargetBase } from "../types";
import { defineTargetKind } from "./target-kind";
import { arnPlaceProblems } from "./util";

/**
 * Starts a Step Functions state machine (a saga) with the event as its input (StartExecution), through a role
 * EventBridge assumes; retry policy, DLQ, alarms and redrive as every target. A STANDARD machine: EventBridge starts
 * it asynchronously.
 */
export interface StepFunctionsTargetOptions extends EventTargetBase {
  readonly kind: "step-functions";
  /** ARN of the state machine (same account and region as the rule); required. */
  readonly stateMachineArn: string;
  /**
   * The state machine's customer KMS key, when it has one: StartExecution needs kms:GenerateDataKey and kms:Decrypt on
   * it (the role and the redrive get them under the machine's encryption context). @default none (an AWS owned key)
   */
  readonly kmsKeyArn?: string;
}

const schema = z.strictObject({
  kind: z.literal("step-functions"),
  ...targetBaseFields,
  stateMachineArn: patternOrReference(
    STATE_MACHINE_ARN,
    "expected a state machine ARN such as arn:aws:states:eu-west-1:123456789012:stateMachine:order-fulfilment",
  ),
  kmsKeyArn: patternOrReference(
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/,
    "expected a KMS key ARN (not an alias)",
  ).optional(),
});

/**
 * The encryption context Step Functions uses with a state machine's customer key (StartExecution encrypts the input
 * under it: callers need kms:GenerateDataKey and kms:Decrypt, as the AWS CDK's StateMachine grants them).
 */
export const STATES_CONTEXT_KEY = "aws:states:stateMachineArn";

/** A state machine, through a role `<prefix>-<name>-start` that only the rule's events may use. */
export const stepFunctionsTarget = defineTargetKind<StepFunctionsTargetOptions>({
  kind: "step-functions",
  schema,
  takesRetryPolicy: true,
  queueStems: () => [],
  keyUse: () => ({ uses: false, eventBridgeQueueStems: [] }),
  nameProblems: (t, c) => {
    const role = stateMachineRoleName(c.prefix, t.name);
    return role.length <= 64
      ? []
      : [{ path: `${c.at}.name`, message: `expected a shorter name: the role "${role}" exceeds IAM's 64 characters` }];
  },
  placeProblems: (t, c) => arnPlaceProblems(t.stateMachineArn, `${c.at}.stateMachineArn`, "a state machine", c.place),
  bind: (scope, c, t) => {
    const role = new EventTargetRole(scope, `${t.name}-role`, {
      name: stateMachineRoleName(c.prefix, t.name),
      ruleArn: c.rule.arn,
      purpose: `starts ${t.stateMachineArn} with the rule's events`,
      grant: {
        policyName: "start-execution",
        sid: "StartTheStateMachine",
        action: "states:StartExecution",
        resource: t.stateMachineArn,
      },
      ...(t.kmsKeyArn ? { key: { arn: t.kmsKeyArn, contextKey: STATES_CONTEXT_KEY } } : {}),
    });
    return {
      targetArn: t.stateMachineArn,
      roleArn: role.roleArn,
      resources: { role },
      ...(t.kmsKeyArn ? { targetKmsKeyArn: t.kmsKeyArn } : {}),
    };
  },
  replayTarget: {
    pattern: /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/,
    expected: "a state machine ARN for a step-functions target",
  },
  // Replayed by StartExecution with a name derived from the redrive id: a replay that already started is not run twice.
  redriveGrant: () => ({
    action: {
      sid: "StartExecutionOfMachineTargets",
      actions: ["states:StartExecution"],
      keyContext: STATES_CONTEXT_KEY,
    },
  }),
});

// The options interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _StepFunctionsSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof schema>, StepFunctionsTargetOptions>
>;
