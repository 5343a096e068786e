/**
 * The outbox module: a DynamoDB table whose stream becomes business events on the bus, through EventBridge Pipes.
 * @module @acme/resilient-edge/outbox
 */
export {
  Outbox,
  type OutboxExistingTable,
  type OutboxKeyAttribute,
  type OutboxNewTable,
  type OutboxProps,
} from "./outbox";
export { outboxPropsSchema } from "./outbox-schema";
export type { OutboxCondition, OutboxEventSpec, OutboxField } from "./outbox-event-schema";
export { PropsError } from "../shared/validation";
export type { OutboxTableRef } from "./state-table";
