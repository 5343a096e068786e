import { eventBusTarget } from "./event-bus";
import { lambdaTarget } from "./lambda";
import { kindRegistry } from "./registry";
import { sqsTarget } from "./sqs";
import { stepFunctionsTarget } from "./step-functions";
import type { TargetKind } from "./target-kind";

export type { EventBusTargetOptions } from "./event-bus";
export type { LambdaAsyncInvokeOptions, LambdaTargetOptions } from "./lambda";
export type { SqsTargetOptions, TargetQueueOptions } from "./sqs";
export type { StepFunctionsTargetOptions } from "./step-functions";

/**
 * The registry of target kinds: the one list EventRouting, its schema, the environment config and the redrive
 * module read. Adding a kind is its file beside these, one entry here and its name in
 * modules/shared/contract/target-kinds.ts (docs/events.md "Adding a target kind"). The order is the order of the
 * redrive's IAM statements.
 */
export const TARGET_KINDS = [sqsTarget, lambdaTarget, eventBusTarget, stepFunctionsTarget] as const;

/** One target of a rule: the props of any registered kind. */
export type EventTargetOptions = OptionsOf<(typeof TARGET_KINDS)[number]>;

type OptionsOf<K> = K extends TargetKind<infer O> ? O : never;

export const { targetKind, targetKinds, createdQueueStems } = kindRegistry(TARGET_KINDS);
