/**
 * Queue consumers: an SQS event source mapping to a Lambda function that reports partial batch
 * failures, with an idempotency table and alarms (`QueueConsumer`), and the constructs it is built from.
 * @module @acme/resilient-edge/consumer
 */
export { ConsumerAlarms, type ConsumerAlarmsProps } from "./consumer-alarms";
export { IdempotencyTable, type IdempotencyTableProps } from "./idempotency-table";
export { QueueConsumer, type ConsumedQueue, type QueueConsumerProps } from "./queue-consumer";
export type { StateTableAccess } from "./queue-consumer-schema";
export { QUEUE_CONSUMER_LIMITS } from "./consumer-rules";
export { QueueConsumerSchema } from "./queue-consumer-schema";
export { PropsError } from "../shared/validation";
