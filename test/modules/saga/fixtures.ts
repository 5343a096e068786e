/** The example order-fulfilment saga, built here (tests never read env/). */
import type { SagaStep } from "../../../modules/saga/saga-schema";

const fn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
export const HUMAN_QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/shop-fulfilment-needs-a-human";

export const ORDER_FULFILMENT: SagaStep[] = [
  {
    name: "Reserve stock",
    action: { kind: "lambda", functionArn: fn("reserve-stock") },
    compensation: { kind: "lambda", functionArn: fn("release-stock") },
    nonRetryableErrors: ["Stock.OutOfStock"],
  },
  {
    name: "Take payment",
    action: { kind: "lambda", functionArn: fn("take-payment") },
    compensation: { kind: "lambda", functionArn: fn("refund-payment") },
    nonRetryableErrors: ["Payment.Declined"],
  },
  {
    name: "Request shipment",
    action: { kind: "lambda", functionArn: fn("request-shipment"), waitForTaskToken: true },
    timeoutSeconds: 3600,
    heartbeatSeconds: 600,
  },
];
