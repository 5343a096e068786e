/** The outbox's example events (the orders of the example environments), built here: tests never read env/. */
import type { OutboxEventSpec } from "../../../modules/shared/contract/outbox-spec";
import type { OutboxProps } from "../../../modules/outbox/outbox";
import { renderFilterPattern, renderInputTemplate } from "../../../modules/shared/contract/outbox-template";

export const BUS_ARN = "arn:aws:events:eu-west-1:123456789012:event-bus/shop";
export const TOPIC = "arn:aws:sns:eu-west-1:123456789012:team-alarms";

export const ORDER_PLACED: OutboxEventSpec = {
  detailType: "order.placed",
  source: "acme.orders",
  eventNames: ["INSERT"],
  when: [{ path: "NewImage.entity", anyOf: ["order"] }],
  fields: {
    orderId: { path: "NewImage.orderId", type: "S" },
    total: { path: "NewImage.total", type: "N" },
    express: { path: "NewImage.express", type: "BOOL" },
    skus: { path: "NewImage.skus", type: "SS" },
    city: { path: "NewImage.address.city", type: "S" },
  },
};

export const ORDER_CANCELLED: OutboxEventSpec = {
  detailType: "order.cancelled",
  source: "acme.orders",
  eventNames: ["MODIFY"],
  when: [
    { path: "NewImage.entity", anyOf: ["order"] },
    { path: "NewImage.status", anyOf: ["cancelled"] },
    { path: "OldImage.status", noneOf: ["cancelled"] },
  ],
  fields: {
    orderId: { path: "Keys.orderId", type: "S" },
    reason: { path: "NewImage.cancelReason", type: "S" },
  },
};

export function outboxProps(overrides: Partial<OutboxProps> = {}): OutboxProps {
  return {
    name: "shop-orders",
    table: { kind: "new", partitionKey: { name: "orderId" } },
    eventBusArn: BUS_ARN,
    alarmTopicArn: TOPIC,
    events: { placed: ORDER_PLACED, cancelled: ORDER_CANCELLED },
    ...overrides,
  };
}

/** DescribePipe's answer for a pipe the Outbox module made of `spec` (its filter and template as rendered). */
export function describedPipe(spec: OutboxEventSpec, ends: { arn: string; stream: string; bus: string }) {
  return {
    Arn: ends.arn,
    Source: ends.stream,
    Target: ends.bus,
    SourceParameters: { FilterCriteria: { Filters: [{ Pattern: JSON.stringify(renderFilterPattern(spec)) }] } },
    TargetParameters: {
      InputTemplate: renderInputTemplate(spec),
      EventBridgeEventBusParameters: { DetailType: spec.detailType, Source: spec.source },
    },
  };
}
