/**
 * The redrive Lambda function: replays dead-lettered messages to where they were going, with their
 * error context, from the bundle shipped in the package (`RedriveFunction`).
 * @module @acme/resilient-edge/redrive
 */
export {
  RedriveFunction,
  type RedriveDestination,
  type RedriveFunctionProps,
  type RedriveSchedule,
} from "./redrive-function";
export { REDRIVE_LIMITS, type RedriveLimit } from "../shared/contract/redrive-limits";
export { RedriveFunctionSchema } from "./redrive-schema";
export type { DeadLetterRoute } from "../shared/dead-letter-route";
export { PropsError } from "../shared/validation";
