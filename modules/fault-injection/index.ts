/** The fault-injection module: AWS FIS Lambda experiments, the functions' readiness, and the game day's tag. */
export {
  FaultExperiment,
  FaultInjection,
  type FaultInjectionProps,
  type FunctionArchitecture,
} from "./fault-injection";
export type { FaultAction, FaultExperimentProps } from "./experiment-schema";
export { faultExperimentSchema } from "./experiment-schema";
export { faultInjectionPropsSchema } from "./fault-injection-schema";
export {
  type FaultInjectionReadiness,
  configurationLocation,
  faultInjectionEnvironment,
  faultInjectionStatements,
} from "./readiness";
export { EXPERIMENT_TAG } from "./experiment-template";
export { FAULT_INJECTION_DEFAULTS, FIS_EXTENSION, FIS_LAMBDA_ACTIONS, FIS_LIMITS } from "./defaults";
export { PropsError } from "../shared/validation";
