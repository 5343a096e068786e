/**
 * The API front door: a REST API behind CloudFront with usage-plan tiers, throttles, caching,
 * request validation, access logs and alarms (`RestApiFrontDoor`), and the constructs it is built from.
 * @module @acme/resilient-edge/api
 */
export type * from "./api-definition";
export { ApiAlarms, type ApiAlarmsProps } from "./api-alarms";
export { ApiAuthorizers, type ApiAuthorizersProps } from "./api-authorizers";
export { ApiCors, type ApiCorsProps } from "./api-cors";
export { ApiExecutionLogGroup, type ApiExecutionLogGroupProps } from "./api-execution-log-group";
export { AsyncRouteQueue, type AsyncRouteQueueProps } from "./async-route-queue";
export { ApiDistribution, type ApiDistributionProps, type EdgeCachedRoute } from "./api-distribution";
export { ApiGatewayAccountLogging, type ApiGatewayAccountLoggingProps } from "./api-gateway-account-logging";
export { ApiRoutes, type ApiRoutesProps, type AsyncRoute } from "./api-routes";
export { ApiStage, type ApiStageProps, type MethodStageSettings } from "./api-stage";
export { DistributionAccessLogs, type DistributionAccessLogsProps } from "./distribution-access-logs";
export { RequestValidation, type RequestValidationProps, type ValidationNeeds } from "./request-validation";
export { RestApiFrontDoor, type RestApiFrontDoorProps } from "./rest-api-front-door";
export { SqsSendIntegration, type SqsSendIntegrationProps, type SqsSendTarget } from "./sqs-send-integration";
export { UsagePlanTiers, type UsagePlanTiersProps } from "./usage-plan-tiers";
export { apiCachingSchema, apiDefinitionSchema, restApiFrontDoorPropsSchema } from "./front-door-schema";
export { PropsError } from "../shared/validation";
