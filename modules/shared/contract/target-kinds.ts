/**
 * The one vocabulary of EventBridge target kinds, shared by the events module (its plug-ins under
 * modules/events/targets/), the redrive module (its IAM grants), the environment config and the redrive
 * engine's decision (lambdas/redrive/engine/decide.ts routes a dead letter to the kind its TARGET_ARN names).
 * A new kind adds its name here; its plug-in's `kind` must be one of these (the registry's type checks it).
 */
export const TARGET_KIND_NAMES = ["sqs", "lambda", "event-bus", "step-functions"] as const;

/** The name of a target kind, as written in props, env files, dead-letter routes and the redrive's routes. */
export type TargetKindName = (typeof TARGET_KIND_NAMES)[number];
