/**
 * The redrive of an outbox pipe's failures: the DLQ in fauxqs (real SQS wire protocol), DynamoDB Streams and Pipes
 * through the real ports with their SDK clients mocked (aws-sdk-client-mock: no emulator serves them), the bus a
 * memory port. The pipe's definition is what the Outbox module renders (contract across layers).
 */
import { DescribePipeCommand, PipesClient } from "@aws-sdk/client-pipes";
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { mockClient } from "aws-sdk-client-mock";
import { redrive } from "../../../lambdas/redrive/engine/engine";
import type { BusEntry } from "../../../lambdas/redrive/engine/model";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import { PipesPort } from "../../../lambdas/redrive/ports/pipes-port";
import type { BatchResult, EventBusPort } from "../../../lambdas/redrive/ports/port";
import { SqsPort } from "../../../lambdas/redrive/ports/sqs-port";
import { StreamsPort } from "../../../lambdas/redrive/ports/streams-port";
import { describedPipe, ORDER_PLACED } from "../../modules/outbox/fixtures";
import {
  CREDENTIALS,
  counts,
  createQueue,
  drain,
  type Emulator,
  REGION,
  seed,
  startEmulator,
  uniqueName,
  untilNoneInFlight,
} from "./support/fauxqs";

const PIPE = `arn:aws:pipes:${REGION}:123456789012:pipe/shop-orders-placed`;
const STREAM = `arn:aws:dynamodb:${REGION}:123456789012:table/shop-orders-state/stream/2026-12-01T00:00:00.000`;
const BUS = `arn:aws:events:${REGION}:123456789012:event-bus/shop`;
const SHARD = "shardId-00000001700000000000-aaaaaaaa";

let emu: Emulator;
const pipes = mockClient(PipesClient);
const streams = mockClient(DynamoDBStreamsClient);
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => {
  pipes.reset();
  streams.reset();
  pipes.on(DescribePipeCommand).resolves(describedPipe(ORDER_PLACED, { arn: PIPE, stream: STREAM, bus: BUS }));
});

const seq = (i: number) => String(10n ** 25n + BigInt(i) * 100n);

/** A shard of records in the SDK's shape: orders (INSERT), a customer and a MODIFY among them. */
function shard(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const entity = i % 5 === 3 ? "customer" : "order";
    return {
      eventID: `ev-${i}`,
      eventName: i % 5 === 4 ? "MODIFY" : "INSERT",
      eventSource: "aws:dynamodb",
      awsRegion: REGION,
      dynamodb: {
        ApproximateCreationDateTime: new Date("2026-12-06T10:00:00Z"),
        Keys: { orderId: { S: `o-${i}` } },
        NewImage: {
          orderId: { S: `o-${i}` },
          entity: { S: entity },
          total: { N: `${i}.50` },
          express: { BOOL: i % 2 === 0 },
          skus: { SS: ["a", `s-${i}`] },
          address: { M: { city: { S: `City "${i}"` } } },
          photo: { B: new Uint8Array([i, 1, 2]) },
        },
        SequenceNumber: seq(i),
        SizeBytes: 100,
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    };
  });
}

/** Serves a shard page by page (2 records a page) from an AT_SEQUENCE_NUMBER iterator; `fail` may throw first. */
function serve(records: ReturnType<typeof shard>, fail: () => Error | undefined = () => undefined) {
  streams.on(GetShardIteratorCommand).callsFake((input) => {
    const e = fail();
    if (e) throw e;
    return { ShardIterator: `it|${records.findIndex((r) => r.dynamodb.SequenceNumber === input.SequenceNumber)}` };
  });
  streams.on(GetRecordsCommand).callsFake((input) => {
    const e = fail();
    if (e) throw e;
    const at = Number(String(input.ShardIterator).split("|")[1]);
    const next = at + 2;
    return { Records: records.slice(at, next), ...(next < records.length ? { NextShardIterator: `it|${next}` } : {}) };
  });
}

function failureRecord(from: number, to: number, firstArrival = "2026-12-06T10:00:00Z") {
  return JSON.stringify({
    context: { partnerResourceArn: PIPE, condition: "RetryAttemptsExhausted" },
    version: "1.0",
    timestamp: "2026-12-06T10:05:00Z",
    DDBStreamBatchInfo: {
      shardId: SHARD,
      startSequenceNumber: seq(from),
      endSequenceNumber: seq(to),
      approximateArrivalOfFirstRecord: firstArrival,
      approximateArrivalOfLastRecord: firstArrival,
      batchSize: to - from + 1,
      streamArn: STREAM,
    },
  });
}

/** A bus that keeps what it accepted, failing entries or whole calls as `fault` says. */
function memoryBus(fault: () => "throttle" | "call" | undefined = () => undefined) {
  const put: { busArn: string; entry: BusEntry }[] = [];
  const port: EventBusPort = {
    async putEvents(busArn, entries): Promise<BatchResult> {
      if (fault() === "call") throw Object.assign(new Error("socket hang up"), { name: "TimeoutError" });
      const ok: string[] = [];
      const failed = [];
      for (const e of entries) {
        if (fault() === "throttle")
          failed.push({ id: e.id, code: "ThrottlingException", message: "slow down", senderFault: false });
        else {
          ok.push(e.id);
          put.push({ busArn, entry: e.entry });
        }
      }
      return { ok, failed };
    },
  };
  return { port, put };
}

async function run(dlqUrl: string, buses: EventBusPort, retry = { attempts: 6, baseDelayMs: 2 }) {
  const port = new SqsPort({ client: { endpoint: emu.endpoint, region: REGION, credentials: CREDENTIALS } });
  const streamsPort = new StreamsPort({ client: { credentials: CREDENTIALS } });
  const pipesPort = new PipesPort({ client: { credentials: CREDENTIALS } });
  try {
    return await redrive(validateOptions({ queueUrl: dlqUrl, waitTimeSeconds: 0, visibilityTimeout: 30 }), {
      port,
      buses,
      pipes: pipesPort,
      streams: streamsPort,
      retry,
    });
  } finally {
    port.destroy();
  }
}

describe("redrive of an outbox pipe's failures", () => {
  it("reads each range back, applies the pipe's filter and template, puts each record's event once, deletes the records", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("outbox-dlq"));
    serve(shard(10));
    // Bisection can leave overlapping failures: 0..4 and 2..7 (order 2 in both).
    await seed(emu.sqs, dlq.url, [{ body: failureRecord(0, 4) }, { body: failureRecord(2, 7) }]);
    const bus = memoryBus();
    const summary = await run(dlq.url, bus.port);
    expect(summary).toMatchObject({ received: 2, replayed: 2, failed: 0, notDeleted: 0 });
    // Records 0..7: 3 is a customer, 4 a MODIFY: 6 orders placed, each put once.
    expect(bus.put.map((p) => JSON.parse(p.entry.detail).outbox.eventId).sort()).toEqual([
      "ev-0",
      "ev-1",
      "ev-2",
      "ev-5",
      "ev-6",
      "ev-7",
    ]);
    const first = bus.put.find((p) => JSON.parse(p.entry.detail).orderId === "o-0")!;
    expect(first.busArn).toBe(BUS);
    expect(first.entry).toMatchObject({ source: "acme.orders", detailType: "order.placed" });
    const detail = JSON.parse(first.entry.detail);
    expect(detail).toEqual({
      orderId: "o-0",
      total: "0.50",
      express: true,
      skus: ["a", "s-0"],
      city: 'City "0"',
      outbox: {
        eventId: "ev-0",
        eventName: "INSERT",
        sequenceNumber: seq(0),
        redrive: expect.objectContaining({
          pipeArn: PIPE,
          condition: "RetryAttemptsExhausted",
          redriveId: expect.any(String),
        }),
      },
    });
    await untilNoneInFlight(emu.sqs, dlq.url);
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("a range past the stream's retention is a visible failure naming shard, range and time; the record stays", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("outbox-expired"));
    serve(shard(4), () => Object.assign(new Error("trimmed"), { name: "TrimmedDataAccessException" }));
    await seed(emu.sqs, dlq.url, [{ body: failureRecord(0, 3, "2026-12-04T08:00:00Z") }]);
    const records: unknown[] = [];
    const port = new SqsPort({ client: { endpoint: emu.endpoint, region: REGION, credentials: CREDENTIALS } });
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0, visibilityTimeout: 30 }), {
      port,
      buses: memoryBus().port,
      pipes: new PipesPort({ client: { credentials: CREDENTIALS } }),
      streams: new StreamsPort({ client: { credentials: CREDENTIALS } }),
      record: (r) => records.push(r),
    });
    port.destroy();
    expect(summary).toMatchObject({ received: 1, replayed: 0, failed: 1 });
    expect(records).toEqual([
      expect.objectContaining({
        outcome: "failed",
        error: expect.stringMatching(
          new RegExp(
            `RecordsExpired: records ${seq(0)}\\.\\.${seq(3)} of ${SHARD} in .* first written 2026-12-04T08:00:00Z.* are lost from the stream: the stream no longer holds them \\(TrimmedDataAccessException\\)\\. Rebuild their events from the table`,
          ),
        ),
      }),
    ]);
    await untilNoneInFlight(emu.sqs, dlq.url);
    expect((await drain(emu.sqs, dlq.url)).length).toBe(1);
  });

  it("loses nothing under injected faults (throttled and failed puts, throttled stream reads): every order is on the bus or its record stays", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("outbox-faults"));
    const records = shard(60);
    let n = 0;
    const rand = () => {
      n = (n * 1103515245 + 12345) % 2 ** 31;
      return n / 2 ** 31;
    };
    serve(records, () =>
      rand() < 0.15
        ? Object.assign(new Error("slow"), { name: "ProvisionedThroughputExceededException", $retryable: {} })
        : undefined,
    );
    const bodies = Array.from({ length: 12 }, (_, i) => failureRecord(i * 5, i * 5 + 4));
    await seed(
      emu.sqs,
      dlq.url,
      bodies.map((body) => ({ body })),
    );
    const bus = memoryBus(() => {
      const r = rand();
      return r < 0.1 ? "call" : r < 0.35 ? "throttle" : undefined;
    });
    const summary = await run(dlq.url, bus.port, { attempts: 3, baseDelayMs: 1 });
    await untilNoneInFlight(emu.sqs, dlq.url);
    const left = await drain(emu.sqs, dlq.url);
    expect(summary.replayed + summary.failed).toBe(12);
    expect(summary.failed).toBeGreaterThan(0); // the faults did bite: some ranges stay for a later run
    expect(summary.replayed).toBeGreaterThan(0);
    const putIds = new Set(bus.put.map((p) => JSON.parse(p.entry.detail).outbox.eventId));
    const leftRanges = left.map((m) => JSON.parse(m.Body!).DDBStreamBatchInfo.startSequenceNumber);
    for (const [i, r] of records.entries()) {
      const isOrder = r.eventName === "INSERT" && r.dynamodb.NewImage.entity.S === "order";
      if (!isOrder) continue;
      const rangeStart = seq(Math.floor(i / 5) * 5);
      expect(putIds.has(r.eventID) || leftRanges.includes(rangeStart)).toBe(true);
    }
    // Within the run, no record was put twice.
    expect(bus.put.length).toBe(putIds.size);
    expect(summary.failed).toBe(left.length);
  });
});
