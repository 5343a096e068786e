/**
 * The saga module: workflows that undo themselves, on Step Functions.
 * @module @acme/resilient-edge/saga
 */
export { Saga, type SagaProps, type SagaRetry, type SagaStep, type SagaTask } from "./saga";
export type { SagaDynamoDbTask, SagaEventBridgeTask, SagaLambdaTask, SagaSqsTask } from "./saga-schema";
export { sagaPropsSchema } from "./saga-schema";
export { PropsError } from "../shared/validation";
