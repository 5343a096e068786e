/**
 * Event delivery that never loses a message: EventBridge rules to SQS, Lambda and event-bus targets,
 * each with a delivery dead-letter queue, alarms and the routes the redrive drains (`EventRouting`).
 * @module @acme/resilient-edge/events
 */
export type * from "./types";
export type * from "./targets";
export type { EventArchiveOptions, EventBusOptions, EventRuleOptions } from "./event-routing-schema";
export { DeliveryDeadLetterQueue, type DeliveryDeadLetterQueueProps } from "./delivery-dead-letter-queue";
export { EventBusTargetRole, type EventBusTargetRoleProps } from "./event-bus-target-role";
export { EventTargetRole, type EventTargetRoleProps } from "./event-target-role";
export { EventRouting, type EventRoutingProps, type EventTargetResources } from "./event-routing";
export {
  deadLetterQueueSchema,
  eventArchiveSchema,
  eventBusSchema,
  eventRoutingPropsSchema,
  eventRuleSchema,
  eventRulesSchema,
  eventTargetSchema,
  inputTransformerSchema,
  lambdaAsyncInvokeSchema,
  queueEncryptionSchema,
  retryPolicySchema,
  targetQueueSchema,
} from "./event-routing-schema";
export { EventsKey, type EventsKeyProps } from "./events-key";
export { LambdaAsyncAlarms, type LambdaAsyncAlarmsProps } from "./lambda-async-alarms";
export { LambdaFailureDestination, type LambdaFailureDestinationProps } from "./lambda-failure-destination";
export { QueueAlarms, type QueueAlarmsProps } from "./queue-alarms";
export { RuleAlarms, type RuleAlarmsProps } from "./rule-alarms";
export { TargetQueue, type TargetQueueProps } from "./target-queue";
export type { DeadLetterRoute } from "../shared/dead-letter-route";
export { PropsError } from "../shared/validation";
