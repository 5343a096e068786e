/**
 * An operations dashboard per stack (`OperationsDashboard`): alarms, the API, consumers, outbox pipes, sagas, event
 * rules, DLQs with their redrive commands and the redrive's runs, checked at synth against AWS's metric catalogue.
 * @module @acme/resilient-edge/dashboard
 */
export { OperationsDashboard, type OperationsDashboardProps } from "./operations-dashboard";
export type {
  DashboardApi,
  DashboardConsumer,
  DashboardDeadLetterQueue,
  DashboardRule,
  DashboardStateMachine,
} from "./dashboard-schema";
export { OperationsDashboardSchema } from "./dashboard-schema";
export { DASHBOARD_LIMITS } from "./defaults";
export { PropsError } from "../shared/validation";
