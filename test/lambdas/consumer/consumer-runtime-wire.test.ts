/**
 * The consumer runtime (lambdas/consumer/consumer.ts) over DynamoDB's wire protocol (dynalite) and
 * against a table that never answers: what it stores when a result cannot be stored, how it treats
 * a remaining time of 0, and how long it waits for an unresponsive table.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { createConsumer, type ConsumerMessage, type SqsRecord } from "../../../lambdas/consumer/consumer";
import { MAX_RESULT_BYTES } from "../../../lambdas/consumer/storable-result";
import { createIdempotencyTable, type DynamoEmulator, startDynalite } from "./support/dynalite";

let dynamo: DynamoEmulator;
let tables = 0;
const errorLines: string[] = [];
let errorSpy: jest.SpyInstance;
let warnSpy: jest.SpyInstance;

beforeAll(async () => {
  errorSpy = jest.spyOn(console, "error").mockImplementation((line: string) => void errorLines.push(line));
  warnSpy = jest.spyOn(console, "warn").mockImplementation(() => undefined);
  dynamo = await startDynalite();
});
afterAll(async () => {
  errorSpy.mockRestore();
  warnSpy.mockRestore();
  await dynamo?.stop();
});

/** The runtime's JSON log lines among what was written to console.error. */
function logged(event: string): Record<string, any>[] {
  return errorLines.flatMap((l) => {
    try {
      const line = JSON.parse(String(l));
      return line?.event === event ? [line] : [];
    } catch {
      return [];
    }
  });
}

async function newTable(): Promise<string> {
  const name = `runtime-${++tables}`;
  await createIdempotencyTable(dynamo.client, name);
  return name;
}

function record(id: string, key: string, body = '{"orderId":"o-1"}'): SqsRecord {
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: { ApproximateReceiveCount: "1" },
    messageAttributes: { "Idempotency-Key": { stringValue: key, dataType: "String" } },
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:orders",
    awsRegion: "us-east-1",
  };
}

const context = (remainingMs: number) => ({
  functionName: "consumer",
  awsRequestId: "r",
  getRemainingTimeInMillis: () => remainingMs,
});

describe("a result that cannot be stored", () => {
  const circular = () => {
    const o: Record<string, unknown> = { id: 1 };
    o.self = o;
    return o;
  };
  it.each([
    ["a 500 KB result", () => ({ blob: "x".repeat(500 * 1024) }), `over the ${MAX_RESULT_BYTES} bytes`],
    ["a circular result", circular, "not JSON-serializable"],
  ])(
    "%s: the step runs once, the record is done, a duplicate gets a marker, and the reason is logged",
    async (_n, result, reason) => {
      const tableName = await newTable();
      let runs = 0;
      const handler = createConsumer(
        async () => {
          runs++;
          return result();
        },
        { tableName, dynamoDbClient: dynamo.client },
      );
      const first = await handler({ Records: [record("m-1", "k-big")] }, context(30_000));
      const again = await handler({ Records: [record("m-2", "k-big"), record("m-1", "k-big")] }, context(30_000));
      expect([first, again]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
      expect(runs).toBe(1);
      const lines = logged("consumer.result-not-stored");
      expect(lines.at(-1)).toMatchObject({ level: "ERROR", messageId: "m-1" });
      expect(lines.at(-1)!.reason).toContain(reason);
      const items = await dynamo.client.send(new ScanCommand({ TableName: tableName }));
      expect(items.Items).toHaveLength(1);
      expect(items.Items![0].status.S).toBe("COMPLETED");
      expect(items.Items![0].data.M!.resultNotStored.S).toContain(reason);
    },
  );

  it("a result at the limit is stored as it is", async () => {
    const tableName = await newTable();
    const blob = "y".repeat(MAX_RESULT_BYTES - 20);
    const handler = createConsumer(async () => ({ blob }), { tableName, dynamoDbClient: dynamo.client });
    expect(await handler({ Records: [record("m-1", "k-limit")] }, context(30_000))).toEqual({ batchItemFailures: [] });
    const items = await dynamo.client.send(new ScanCommand({ TableName: tableName }));
    expect(items.Items![0].data.M!.blob.S).toBe(blob);
  });
});

describe("a remaining time of exactly 0", () => {
  it("stores the in-progress record with an expiry, so a later delivery is not blocked for the whole TTL", async () => {
    const tableName = await newTable();
    let release!: () => void;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const handler = createConsumer(
      async (m: ConsumerMessage) => {
        runs++;
        if (m.messageId === "m-stuck") await hanging; // an invocation at its very end, about to be killed
        return { ok: true };
      },
      { tableName, dynamoDbClient: dynamo.client },
    );
    const stuck = handler({ Records: [record("m-stuck", "k-zero")] }, context(0));
    while (runs === 0) await new Promise((r) => setTimeout(r, 5));
    const items = await dynamo.client.send(new ScanCommand({ TableName: tableName }));
    expect(items.Items![0].status.S).toBe("INPROGRESS");
    expect(Number(items.Items![0].in_progress_expiration?.N)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 20));
    // The next delivery (the first was killed) runs the step instead of failing as "already in progress".
    expect(await handler({ Records: [record("m-next", "k-zero")] }, context(30_000))).toEqual({
      batchItemFailures: [],
    });
    expect(runs).toBe(2);
    release();
    await stuck.catch(() => undefined);
  });
});

describe("an unresponsive table", () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let endpoint: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    // Accepts every connection and never answers, as a table behind a stalled network path.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    });
  });
  afterAll(async () => {
    process.env = saved;
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("fails the batch's records before the invocation's remaining time runs out (the default client has a deadline)", async () => {
    let runs = 0;
    const handler = createConsumer(
      async () => {
        runs++;
        return {};
      },
      { tableName: "orders-idempotency" },
    );
    const remainingMs = 900;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      // Every record failed: the handler throws (Powertools' FullBatchFailureError), and Lambda retries the whole batch.
      handler({ Records: [record("m-1", "k-1"), record("m-2", "k-2")] }, context(remainingMs)).then(
        (response) => response,
        (error: Error) => error.name,
      ),
      // Lambda would have killed the invocation well before this: a handler still waiting here hangs.
      new Promise((resolve) => (timer = setTimeout(() => resolve("still waiting"), remainingMs + 3_000))),
    ]);
    clearTimeout(timer);
    expect(outcome).toBe("FullBatchFailureError");
    expect(runs).toBe(0);
    expect(
      logged("consumer.record-failed")
        .slice(-2)
        .map((l) => l.messageId)
        .sort(),
    ).toEqual(["m-1", "m-2"]);
  });
});
