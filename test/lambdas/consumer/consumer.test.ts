/** Pure parts of the consumer runtime: the message a business step sees (its idempotency key) and the environment it reads. */
import type { SqsRecord } from "../../../lambdas/consumer/consumer";
import { toConsumerMessage } from "../../../lambdas/consumer/consumer";
import { readConsumerEnvironment } from "../../../lambdas/consumer/environment";

function record(attributes: Record<string, string>): SqsRecord {
  return {
    messageId: "m-2",
    receiptHandle: "rh",
    body: '{"orderId":"o-1"}',
    attributes: { ApproximateReceiveCount: "3" },
    messageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { stringValue: v, dataType: "String" }]),
    ),
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-west-1:111111111111:orders",
    awsRegion: "eu-west-1",
  };
}

describe("toConsumerMessage", () => {
  it("keys on the Idempotency-Key attribute (scoped by API key id and route) first, then the original message id of a redriven copy, then the message id", () => {
    const context = JSON.stringify({ originalMessageId: "m-1", redriveCount: 1 });
    const keyed = toConsumerMessage(record({ "Idempotency-Key": "k-1", "redrive-context": context }));
    expect(keyed.idempotencyKey).toBe('["","","k-1"]');
    expect(keyed.clientIdempotencyKey).toBe("k-1");
    const scoped = (apiKeyId: string, route: string, key: string) =>
      toConsumerMessage(record({ "Idempotency-Key": key, "api-key-id": apiKeyId, "api-route": route })).idempotencyKey;
    expect(scoped("ak-1", "POST /orders", "k-1")).toBe('["ak-1","POST /orders","k-1"]');
    // Distinct whatever the parts hold: no separator inside a part can make two scopes one.
    expect(scoped("a", "b", "c|d")).not.toBe(scoped("a", "b|c", "d"));
    expect(
      new Set([
        scoped("ak-1", "POST /orders", "k"),
        scoped("ak-2", "POST /orders", "k"),
        scoped("ak-1", "POST /refunds", "k"),
      ]).size,
    ).toBe(3);
    expect(toConsumerMessage(record({ "redrive-context": context })).idempotencyKey).toBe("m-1");
    expect(toConsumerMessage(record({ "redrive-context": "not json" })).idempotencyKey).toBe("m-2");
    expect(toConsumerMessage(record({})).idempotencyKey).toBe("m-2");
  });

  it("exposes the request data the async route attached and the receive count", () => {
    expect(
      toConsumerMessage(record({ "api-request-id": "r-1", "api-key-id": "key-1", "api-route": "POST /orders" })),
    ).toMatchObject({
      requestId: "r-1",
      apiKeyId: "key-1",
      route: "POST /orders",
      receiveCount: 3,
      body: '{"orderId":"o-1"}',
    });
  });
});

describe("readConsumerEnvironment", () => {
  it("reads the table and TTL the module sets", () => {
    expect(
      readConsumerEnvironment({
        CONSUMER_IDEMPOTENCY_TABLE: "prod-orders-idempotency",
        CONSUMER_IDEMPOTENCY_TTL_SECONDS: "3600",
      }),
    ).toEqual({ tableName: "prod-orders-idempotency", expiresAfterSeconds: 3600 });
  });

  it("names every bad variable at once", () => {
    expect(() => readConsumerEnvironment({ CONSUMER_IDEMPOTENCY_TTL_SECONDS: "soon" })).toThrow(
      'invalid consumer function environment:\n  CONSUMER_IDEMPOTENCY_TABLE: expected a DynamoDB table name, got null\n  CONSUMER_IDEMPOTENCY_TTL_SECONDS: expected a whole number of seconds >= 1, got "soon"',
    );
  });
});
