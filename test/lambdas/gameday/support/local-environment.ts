/**
 * Test support: one environment's message path on this machine, for the game day to run against.
 * - The front door: an HTTP server doing what the async route does, with the module's own mapping templates rendered
 *   by velocityjs: the request becomes a SendMessage to the route's queue (fauxqs), the 202 names the message.
 * - The consumer: the consumer runtime (createConsumer) writing the outbox's state table (dynalite) through
 *   StateWriter, driven by event-source-mapping loops (esm-loop.ts) over the queue, whose DLQ takes a message after
 *   maxReceiveCount receives.
 * - A fault injector that behaves as the FIS Lambda actions do: for a window, a share of invocations fails before the
 *   code runs (invocation-error, preventExecution) or starts late (invocation-add-delay).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { createConsumer } from "../../../../lambdas/consumer/consumer";
import { StateWriter } from "../../../../lambdas/consumer/state-writer";
import { ACCEPTED_RESPONSE_TEMPLATE, sendMessageRequestTemplate } from "../../../../modules/api/sqs-send-templates";
import { renderTemplate } from "../../../modules/api/support/api-gateway-vtl";
import { decodeSendMessageForm } from "../../../modules/api/support/send-message-form";
import { pollOnce, type SqsHandler } from "../../consumer/support/esm-loop";
import { createQueue } from "../../redrive/support/fauxqs";
import { exampleConfig, writeEnvDir } from "../../../helpers/env-fixtures";

/** The staging fixture's outbox state table and the orders consumer's idempotency table. */
export const STATE = "staging-orders-state";
export const IDEMPOTENCY = "staging-orders-idempotency";

/** The async route `POST <path>` in front of `queueUrl`. */
export async function startFrontDoor(sqs: SQSClient, queueUrl: string, route: string) {
  const template = sendMessageRequestTemplate(route);
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const context = { requestId: `req-${++n}`, identity: { apiKeyId: "" } };
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const { MessageBody, MessageAttributes } = decodeSendMessageForm(
        renderTemplate(template, { body, headers, context }),
      );
      const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody, MessageAttributes }));
      const sqsResponse = JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: sent.MessageId } } });
      res.writeHead(202, { "content-type": "application/json" });
      res.end(renderTemplate(ACCEPTED_RESPONSE_TEMPLATE, { body: sqsResponse, context }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The outbox's state table (partition key orderId) and the consumer's idempotency table. */
export async function createTables(dynamo: DynamoDBClient, state: string, idempotency: string) {
  for (const [name, key] of [
    [state, "orderId"],
    [idempotency, "id"],
  ])
    await dynamo.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
}

/** The orders consumer a product team writes: each order becomes one item of the state table (once). */
export function ordersConsumer(dynamo: DynamoDBClient, state: string, idempotency: string): SqsHandler {
  const writer = new StateWriter({ client: dynamo, tableName: state });
  return createConsumer(
    async (message) => {
      const { orderId } = JSON.parse(message.body) as { orderId: string };
      await writer.create(message, { orderId, entity: "order", status: "placed" }, ["orderId"]);
      return { orderId };
    },
    { tableName: idempotency, dynamoDbClient: dynamo },
  ) as unknown as SqsHandler;
}

/** What FIS does to invocations while an experiment runs, seeded so a run is repeatable. */
export class FaultInjector {
  private until = 0;
  private longest = 0;
  private seed = 42;
  private readonly failures = new Map<string, number>();
  injected = 0;
  /** Orders failed maxReceiveCount (3) times: the queue moves them to its DLQ. */
  deadLettered = 0;
  /** Keep the window open (up to its longest) until this many orders were dead-lettered: the DLQ path runs every time. */
  untilDeadLettered = 0;

  constructor(
    private readonly fault: { kind: "error" | "delay"; percentage: number; delayMs?: number },
    /** Orders whose message the consumer deletes without processing: a planted loss. */
    private readonly drop: (orderId: string) => boolean = () => false,
  ) {}

  start(ms: number, longestMs = ms) {
    this.until = Date.now() + ms;
    this.longest = Date.now() + longestMs;
  }
  stop() {
    this.until = 0;
    this.longest = 0;
  }
  get active() {
    const now = Date.now();
    return now < this.until || (this.deadLettered < this.untilDeadLettered && now < this.longest);
  }

  private failed(records: readonly { body: string }[]) {
    for (const r of records) {
      const id = JSON.parse(r.body).orderId;
      const n = (this.failures.get(id) ?? 0) + 1;
      this.failures.set(id, n);
      if (n === 3) this.deadLettered++;
    }
  }

  private random() {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  wrap(handler: SqsHandler): SqsHandler {
    return async (event, context) => {
      if (this.active && this.random() * 100 < this.fault.percentage) {
        this.injected++;
        if (this.fault.kind === "error") {
          this.failed(event.Records as { body: string }[]);
          throw new Error("FIS: injected invocation error");
        }
        await new Promise((r) => setTimeout(r, this.fault.delayMs ?? 1000));
      }
      const records = (event.Records as { body: string }[]).filter((r) => !this.drop(JSON.parse(r.body).orderId));
      return handler({ Records: records }, context);
    };
  }
}

/**
 * Event-source-mapping pollers over the queue until stopped (batch size 1, so each message fails or not on its own).
 * They long-poll, as Lambda's pollers do: an idle poller waits in the emulator instead of asking again every few
 * milliseconds (which cost this file seconds of CPU); stopping aborts the waits.
 */
export function runPollers(sqs: SQSClient, queue: { url: string; arn: string }, handler: SqsHandler, pollers: number) {
  const stop = new AbortController();
  const receive = { waitSeconds: 1, abortSignal: stop.signal };
  const loop = async () => {
    while (!stop.signal.aborted) {
      const r = await pollOnce(sqs, queue, handler, 1, undefined, receive).catch(() => ({ received: [] }));
      if (r.received.length === 0 && !stop.signal.aborted) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const loops = Array.from({ length: pollers }, loop);
  return async () => {
    stop.abort();
    await Promise.all(loops);
  };
}

/**
 * A local copy of the staging environment whose API is named `api` (queues `<api>-orders-post` and its DLQ, three
 * receives before the DLQ), the injector wrapped round its consumer; `sqs` must be in the environment's region.
 */
export async function startLocalEnvironment(
  sqs: SQSClient,
  dynamo: DynamoDBClient,
  api: string,
  injector: FaultInjector,
) {
  const dlq = await createQueue(sqs, `${api}-orders-post-dlq`);
  const queue = await createQueue(sqs, `${api}-orders-post`, {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
  });
  const door = await startFrontDoor(sqs, queue.url, "POST /orders");
  const stopPollers = runPollers(sqs, queue, injector.wrap(ordersConsumer(dynamo, STATE, IDEMPOTENCY)), 4);
  const config = exampleConfig("staging");
  config.api.name = api;
  const stop = async () => {
    await stopPollers();
    await door.stop();
  };
  return { envDir: writeEnvDir({ staging: config }), door, queue, dlq, stop };
}
