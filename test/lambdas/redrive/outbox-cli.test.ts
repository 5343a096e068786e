/**
 * An outbox pipe's failures redriven by the CLI as a whole process, as an operator runs it: the DLQ in fauxqs, Pipes
 * and DynamoDB Streams served by a local stand-in over their wire protocols, the bus by another.
 */
import { describedPipe, ORDER_PLACED } from "../../modules/outbox/fixtures";
import { type FakeOutbox, startFakeOutbox } from "./support/fake-outbox";
import { type FakeTargets, startFakeTargets } from "./support/fake-targets";
import { awsEnv, counts, createQueue, type Emulator, REGION, seed, startEmulator, uniqueName } from "./support/fauxqs";
import { buildBundles, runCli, runMainHere, stderrJson } from "./support/processes";

const PIPE = `arn:aws:pipes:${REGION}:123456789012:pipe/shop-orders-placed`;
const STREAM = `arn:aws:dynamodb:${REGION}:123456789012:table/shop-orders-state/stream/2026-12-01T00:00:00.000`;
const BUS = `arn:aws:events:${REGION}:123456789012:event-bus/shop`;
const seq = (i: number) => String(10n ** 25n + BigInt(i));

let emu: Emulator;
let outbox: FakeOutbox;
let bus: FakeTargets;
beforeAll(async () => {
  buildBundles();
  [emu, outbox, bus] = await Promise.all([startEmulator(), startFakeOutbox(), startFakeTargets()]);
  outbox.pipes.set("shop-orders-placed", describedPipe(ORDER_PLACED, { arn: PIPE, stream: STREAM, bus: BUS }));
  outbox.records = Array.from({ length: 6 }, (_, i) => ({
    eventID: `ev-${i}`,
    eventName: "INSERT",
    eventSource: "aws:dynamodb",
    dynamodb: {
      ApproximateCreationDateTime: 1796551200,
      Keys: { orderId: { S: `o-${i}` } },
      NewImage: {
        orderId: { S: `o-${i}` },
        entity: { S: i === 2 ? "customer" : "order" },
        total: { N: "12.50" },
        express: { BOOL: true },
        skus: { SS: ["a"] },
        address: { M: { city: { S: "Zürich" } } },
        photo: { B: "AQID" },
      },
      SequenceNumber: seq(i),
      SizeBytes: 90,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
  }));
  outbox.pageSize = 2;
});
afterAll(() => Promise.all([emu.stop(), outbox.stop(), bus.stop()]));

const failure = (from: number, to: number) =>
  JSON.stringify({
    context: { partnerResourceArn: PIPE, condition: "RetryAttemptsExhausted" },
    version: "1.0",
    timestamp: "2026-12-06T10:05:00Z",
    DDBStreamBatchInfo: {
      shardId: "shardId-1",
      startSequenceNumber: seq(from),
      endSequenceNumber: seq(to),
      approximateArrivalOfFirstRecord: "2026-12-06T10:00:00Z",
      approximateArrivalOfLastRecord: "2026-12-06T10:00:00Z",
      batchSize: to - from + 1,
      streamArn: STREAM,
    },
  });

describe("the redrive CLI on an outbox pipe's DLQ", () => {
  it("dry run names the pipe; the run puts the orders' events on the pipe's bus and empties the DLQ", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("outbox-cli"));
    await seed(emu.sqs, dlq.url, [{ body: failure(0, 5) }]);
    const env = awsEnv(emu.endpoint, {
      AWS_ENDPOINT_URL_PIPES: outbox.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: outbox.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
    });
    const args = ["--queue-url", dlq.url, "--json", "--wait-seconds", "0", "--not-production"];
    const dry = await runCli([...args, "--dry-run"], env);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ wouldReplay: 1 });
    expect(stderrJson(dry.stderr).find((l) => l.outcome === "would-replay")).toMatchObject({
      destination: PIPE,
      errorCode: "RetryAttemptsExhausted",
    });
    expect(bus.putEvents).toHaveLength(0);

    const r = await runCli(args, env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ received: 1, replayed: 1, failed: 0 });
    expect(bus.putEvents.map((e) => [e.EventBusName, e.DetailType, JSON.parse(String(e.Detail)).orderId])).toEqual(
      [0, 1, 3, 4, 5].map((i) => [BUS, "order.placed", `o-${i}`]),
    );
    expect(JSON.parse(String(bus.putEvents[0].Detail))).toMatchObject({
      total: "12.50",
      city: "Zürich",
      outbox: { eventId: "ev-0" },
    });
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it("a range past retention exits 1, names what was lost, and leaves the record", async () => {
    const dlq = await createQueue(emu.sqs, uniqueName("outbox-cli-expired"));
    await seed(emu.sqs, dlq.url, [{ body: failure(0, 1) }]);
    outbox.trimmedBefore = BigInt(seq(3));
    try {
      const env = awsEnv(emu.endpoint, {
        AWS_ENDPOINT_URL_PIPES: outbox.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: outbox.endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: bus.endpoint,
      });
      const r = await runMainHere(["--queue-url", dlq.url, "--json", "--wait-seconds", "0", "--not-production"], env);
      expect(r.code).toBe(1);
      expect(stderrJson(r.stderr).find((l) => l.outcome === "failed")?.error).toMatch(
        /^RecordsExpired: records \d+\.\.\d+ of shardId-1 in arn:aws:dynamodb:.* first written 2026-12-06T10:00:00Z are lost from the stream/,
      );
    } finally {
      outbox.trimmedBefore = undefined;
    }
    expect(await counts(emu.sqs, dlq.url)).toEqual({ visible: 1, inFlight: 0 });
  });
});
