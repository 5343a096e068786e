/**
 * The built consumer bundle (dist/lambdas/consumer/index.js, the handler template on the consumer
 * runtime) driven by an event-source-mapping-like loop over fauxqs, with idempotency records in
 * dynalite and the orders service as a local HTTP server; then the redrive bundle bringing a
 * dead-lettered record back to its source queue.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { CONSUMER_ENV } from "../../../lambdas/consumer/environment";
import {
  counts,
  createQueue,
  drain,
  type Emulator,
  peek,
  REGION,
  startEmulator,
  uniqueName,
} from "../redrive/support/fauxqs";
import { BUNDLE as REDRIVE_BUNDLE, buildBundles, jsonLines, ROOT } from "../redrive/support/processes";
import { createIdempotencyTable, type DynamoEmulator, startDynalite } from "./support/dynalite";
import { pollOnce, pollUntilEmpty, type SqsHandler, toEventRecord } from "./support/esm-loop";

const TABLE = "orders-consumer-idempotency";
const MAX_RECEIVE_COUNT = 3;

/** The orders service: records every POST, and fails orders on demand (orderId -> failures left). */
class OrdersService {
  readonly calls: { orderId: string; idempotencyKey: string; body: string }[] = [];
  readonly failuresLeft = new Map<string, number>();
  private server?: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const orderId = String(JSON.parse(body).orderId);
        this.calls.push({ orderId, idempotencyKey: String(req.headers["idempotency-key"]), body });
        const left = this.failuresLeft.get(orderId) ?? 0;
        if (left > 0) this.failuresLeft.set(orderId, left - 1);
        res.writeHead(left > 0 ? 503 : 201, { "content-type": "application/json" }).end(JSON.stringify({ orderId }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/orders`;
  }

  callsFor(orderId: string) {
    return this.calls.filter((c) => c.orderId === orderId);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server!.close(() => resolve()));
  }
}

let sqs: Emulator;
let dynamo: DynamoEmulator;
const orders = new OrdersService();
let handler: SqsHandler;
let queue: { url: string; arn: string };
let dlq: { url: string; arn: string };
/** The runtime's error lines (records that failed), kept off the test output. */
const errorLines: string[] = [];
let errorSpy: jest.SpyInstance;

beforeAll(async () => {
  errorSpy = jest.spyOn(console, "error").mockImplementation((line: string) => void errorLines.push(line));
  buildBundles();
  [sqs, dynamo] = await Promise.all([startEmulator(), startDynalite(), orders.start()]);
  await createIdempotencyTable(dynamo.client, TABLE);
  dlq = await createQueue(sqs.sqs, uniqueName("orders-dlq"), { MessageRetentionPeriod: "1209600" });
  queue = await createQueue(sqs.sqs, uniqueName("orders"), {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
  });
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    [CONSUMER_ENV.idempotencyTable]: TABLE,
    ORDERS_SERVICE_URL: orders.url,
  });
  // The bundle reads its environment when loaded, as in a Lambda container.
  handler = require(join(ROOT, "dist", "lambdas", "consumer", "index.js")).handler;
});

afterAll(async () => {
  errorSpy.mockRestore();
  await Promise.all([sqs?.stop(), dynamo?.stop(), orders.stop()]);
});

/**
 * The built redrive bundle's handler, in this process, as the environment's RedriveFunction would
 * run it: it serves the consumer DLQ (REDRIVE_SOURCE_QUEUE_URLS) and reaches SQS through
 * AWS_ENDPOINT_URL_SQS; its JSON log lines are captured.
 */
async function invokeRedriveBundle(
  event: Record<string, unknown>,
): Promise<{ result: any; logs: Record<string, any>[] }> {
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SQS: sqs.endpoint,
    REDRIVE_SOURCE_QUEUE_URLS: JSON.stringify([dlq.url]),
  });
  const { handler: redrive } = require(REDRIVE_BUNDLE);
  let out = "";
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await redrive(event, { getRemainingTimeInMillis: () => 60_000 }), logs: jsonLines(out) };
  } finally {
    process.stdout.write = write;
  }
}

/** What an async route would send: the order, its request id, and the caller's key, API key id and route when given. */
async function send(
  orderId: string,
  idempotencyKey?: string,
  from: { apiKeyId?: string; route?: string; quantity?: number } = {},
): Promise<string> {
  const attr = (name: string, value: string | undefined) =>
    value === undefined ? {} : { [name]: { DataType: "String", StringValue: value } };
  const out = await sqs.sqs.send(
    new SendMessageCommand({
      QueueUrl: queue.url,
      MessageBody: JSON.stringify({ orderId, quantity: from.quantity ?? 1 }),
      MessageAttributes: {
        ...attr("api-request-id", `req-${orderId}`),
        ...attr("Idempotency-Key", idempotencyKey),
        ...attr("api-key-id", from.apiKeyId),
        ...attr("api-route", from.route),
      },
    }),
  );
  return out.MessageId!;
}

/** The scoped key the runtime forwards: [API key id, route, client key]. */
const scoped = (key: string, apiKeyId = "", route = "") => JSON.stringify([apiKeyId, route, key]);

describe("consumer runtime (built bundle) behind an event-source-mapping loop", () => {
  it("reports only the failed record; it retries alone and the others are deleted once", async () => {
    const [a, b, c] = [await send("o-a", "key-a"), await send("o-b", "key-b"), await send("o-c", "key-c")];
    orders.failuresLeft.set("o-b", 1);
    const first = await pollOnce(sqs.sqs, queue, handler);
    expect([...first.received].sort()).toEqual([a, b, c].sort());
    expect(first.failed).toEqual([b]);
    expect([...first.deleted].sort()).toEqual([a, c].sort());
    const rest = await pollUntilEmpty(sqs.sqs, queue, handler);
    expect(rest.map((p) => p.received)).toEqual([[b]]);
    expect(rest[0].failed).toEqual([]);
    expect(["o-a", "o-b", "o-c"].map((o) => orders.callsFor(o).length)).toEqual([1, 2, 1]);
    expect(orders.callsFor("o-b").map((call) => call.idempotencyKey)).toEqual([scoped("key-b"), scoped("key-b")]);
    expect(await counts(sqs.sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("runs the business step once for a duplicate: the same Idempotency-Key twice, or the same message delivered twice", async () => {
    await send("o-dup", "key-dup");
    await send("o-dup", "key-dup");
    await pollUntilEmpty(sqs.sqs, queue, handler);
    expect(orders.callsFor("o-dup")).toHaveLength(1);
    expect(await counts(sqs.sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });

    // Without an Idempotency-Key the message id is the key: a second delivery of one message is answered from the table.
    const id = await send("o-redelivered");
    const [message] = await peek(sqs.sqs, queue.url);
    expect(message.MessageId).toBe(id);
    const event = { Records: [toEventRecord(message, queue.arn, REGION)] };
    const context = { getRemainingTimeInMillis: () => 30_000, functionName: "consumer", awsRequestId: "r" };
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(await handler(event, context)).toEqual({ batchItemFailures: [] });
    expect(orders.callsFor("o-redelivered").map((c) => c.idempotencyKey)).toEqual([id]);
    await pollUntilEmpty(sqs.sqs, queue, handler);
    expect(orders.callsFor("o-redelivered")).toHaveLength(1);
  });

  it("one client key from two callers, or on two routes, runs each request: the key is scoped by API key id and route", async () => {
    await send("o-caller-1", "order-42", { apiKeyId: "key-id-1", route: "POST /orders" });
    await send("o-caller-2", "order-42", { apiKeyId: "key-id-2", route: "POST /orders" });
    await send("o-refund", "order-42", { apiKeyId: "key-id-1", route: "POST /refunds" });
    await send("o-caller-1-again", "order-42", { apiKeyId: "key-id-1", route: "POST /orders" });
    await pollUntilEmpty(sqs.sqs, queue, handler);
    expect(orders.callsFor("o-caller-1").map((c) => c.idempotencyKey)).toEqual([
      scoped("order-42", "key-id-1", "POST /orders"),
    ]);
    expect(orders.callsFor("o-caller-2").map((c) => c.idempotencyKey)).toEqual([
      scoped("order-42", "key-id-2", "POST /orders"),
    ]);
    expect(orders.callsFor("o-refund")).toHaveLength(1);
    // The same caller, route and key again is the duplicate it always was (its body differs: see the next test).
    expect(orders.callsFor("o-caller-1-again")).toHaveLength(0);
    expect(await counts(sqs.sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("the same key with a different body is not a duplicate: the record fails with a clear error and reaches the DLQ", async () => {
    const before = (await counts(sqs.sqs, dlq.url)).visible;
    await send("o-qty", "key-qty", { apiKeyId: "k1", route: "POST /orders", quantity: 1 });
    await pollUntilEmpty(sqs.sqs, queue, handler);
    const id = await send("o-qty", "key-qty", { apiKeyId: "k1", route: "POST /orders", quantity: 1000 });
    const polls = await pollUntilEmpty(sqs.sqs, queue, handler);
    expect(polls.map((p) => p.failed)).toEqual(Array.from({ length: MAX_RECEIVE_COUNT }, () => [id]));
    expect(orders.callsFor("o-qty").map((c) => JSON.parse(c.body).quantity)).toEqual([1]);
    expect((await counts(sqs.sqs, dlq.url)).visible).toBe(before + 1);
    const failure = errorLines.map((l) => JSON.parse(l)).find((l) => l.messageId === id);
    expect(failure.error).toContain(
      'Idempotency-Key "key-qty" was used before on POST /orders by the same caller with a different body',
    );
    await drain(sqs.sqs, dlq.url); // leave the DLQ empty, as the next test expects
  });

  it("a poison record reaches the DLQ after maxReceiveCount; the redrive returns it to its queue with its context and it runs", async () => {
    const id = await send("o-poison");
    orders.failuresLeft.set("o-poison", Number.POSITIVE_INFINITY);
    const polls = await pollUntilEmpty(sqs.sqs, queue, handler);
    expect(polls.map((p) => p.failed)).toEqual(Array.from({ length: MAX_RECEIVE_COUNT }, () => [id]));
    expect(await counts(sqs.sqs, dlq.url)).toEqual({ visible: 1, inFlight: 0 });
    expect(orders.callsFor("o-poison")).toHaveLength(MAX_RECEIVE_COUNT);

    // The orders service is fixed; the operator redrives the consumer DLQ to its source queue (the plain-SQS path, `to`).
    orders.failuresLeft.delete("o-poison");
    const redrive = await invokeRedriveBundle({ queueUrl: dlq.url, to: queue.url, maxMessages: 1 });
    expect(redrive.result).toMatchObject({ received: 1, replayed: 1, failed: 0 });
    expect(redrive.logs.find((l) => l.event === "redrive.message")).toMatchObject({
      outcome: "replayed",
      destination: queue.url,
    });
    const [back] = await peek(sqs.sqs, queue.url);
    const context = JSON.parse(back.MessageAttributes!["redrive-context"].StringValue!);
    expect(context).toMatchObject({ sourceQueueArn: dlq.arn, originalMessageId: id, redriveCount: 1 });
    expect(back.MessageAttributes!["api-request-id"].StringValue).toBe("req-o-poison");

    await pollUntilEmpty(sqs.sqs, queue, handler);
    // It ran once more, under the same idempotency key as before (the original message id), and was deleted.
    expect(orders.callsFor("o-poison").map((c) => c.idempotencyKey)).toEqual(
      Array.from({ length: MAX_RECEIVE_COUNT + 1 }, () => id),
    );
    expect(await counts(sqs.sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
    expect(await counts(sqs.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });
});
