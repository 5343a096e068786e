/**
 * The fault-injection module: AWS FIS Lambda experiments on a stack's functions, and their readiness (the extension,
 * its configuration bucket and the read grant); `npm run gameday` runs one and accounts for every message.
 * @module @acme/resilient-edge/fault-injection
 */
export {
  FaultExperiment,
  FaultInjection,
  type FaultInjectionProps,
  type FunctionArchitecture,
} from "./fault-injection";
export type { FaultAction, FaultExperimentProps } from "./experiment-schema";
export { faultExperimentSchema } from "./experiment-schema";
export { faultInjectionPropsSchema } from "./fault-injection-schema";
export type { FaultInjectionReadiness } from "./readiness";
export { FIS_LIMITS } from "./defaults";
export { PropsError } from "../shared/validation";
