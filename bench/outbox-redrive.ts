/**
 * Records per second the redrive replays from an outbox pipe's stream failures, against a naive loop that reads and
 * puts one record at a time. Both run the same code paths over memory ports that take BENCH_LATENCY_MS (20) per
 * call, as DynamoDB Streams and EventBridge take tens of milliseconds per call on AWS; the redrive reads pages of
 * records (BENCH_PAGE, 100: GetRecords returns up to 1,000) and puts 10 events per PutEvents.
 *   npm run bench:outbox     (BENCH_RECORDS, BENCH_RANGE, BENCH_LATENCY_MS, BENCH_PAGE to change)
 */
import {
  renderInputTemplate,
  parseInputTemplate,
  renderFilterPattern,
} from "../modules/shared/contract/outbox-template";
import type { OutboxDestination, RedriveContext } from "../lambdas/redrive/engine/model";
import { eventOf, replayRange } from "../lambdas/redrive/outbox/replay-range";
import type { StreamFailure } from "../lambdas/redrive/outbox/stream-failure";
import type { EventBusPort, PipeStreamRecord, StreamPort } from "../lambdas/redrive/ports/port";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 2000);
const RANGE = Number(process.env.BENCH_RANGE ?? 100);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 20);
const PAGE = Number(process.env.BENCH_PAGE ?? 100);
const wait = () => new Promise((r) => setTimeout(r, LATENCY));
const seq = (i: number) => String(10n ** 25n + BigInt(i));

const spec = {
  detailType: "order.placed",
  source: "acme.orders",
  eventNames: ["INSERT" as const],
  fields: {
    orderId: { path: "NewImage.orderId", type: "S" as const },
    total: { path: "NewImage.total", type: "N" as const },
  },
};
const records: PipeStreamRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
  eventID: `ev-${i}`,
  eventName: "INSERT",
  dynamodb: { NewImage: { orderId: { S: `o-${i}` }, total: { N: `${i}.5` } }, SequenceNumber: seq(i) },
}));
const streams = (page: number): StreamPort => ({
  async iteratorAt(_s, _shard, sequenceNumber) {
    await wait();
    return String(records.findIndex((r) => r.dynamodb.SequenceNumber === sequenceNumber));
  },
  async read(_s, iterator) {
    await wait();
    const at = Number(iterator);
    return {
      records: records.slice(at, at + page),
      ...(at + page < records.length ? { nextIterator: String(at + page) } : {}),
    };
  },
});
let put = 0;
const bus: EventBusPort = {
  async putEvents(_b, entries) {
    await wait();
    put += entries.length;
    return { ok: entries.map((e) => e.id), failed: [] };
  },
};
const destination = (): OutboxDestination => ({
  kind: "outbox-pipe",
  pipeArn: "arn:aws:pipes:eu-west-1:123456789012:pipe/p",
  streamArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/x",
  busArn: "arn:aws:events:eu-west-1:123456789012:event-bus/b",
  patterns: [renderFilterPattern(spec)],
  template: parseInputTemplate(renderInputTemplate(spec))!,
  detailType: spec.detailType,
  source: spec.source,
  replayed: new Set(),
});
const context = { redriveId: "r", errorCode: "RetryAttemptsExhausted", dlqMessageId: "m" } as RedriveContext;
const failure = (from: number, to: number): StreamFailure => ({
  pipeArn: "p",
  condition: "RetryAttemptsExhausted",
  shardId: "s",
  startSequenceNumber: seq(from),
  endSequenceNumber: seq(to),
  firstArrival: null,
  lastArrival: null,
  batchSize: to - from + 1,
  streamArn: destination().streamArn,
});

async function redrive(): Promise<number> {
  const d = destination();
  const deps = { streams: streams(PAGE), buses: bus, retry: { attempts: 3, baseDelayMs: 1 } };
  for (let from = 0; from < RECORDS; from += RANGE)
    await replayRange(deps, d, failure(from, from + RANGE - 1), context);
  return RECORDS;
}

/** The naive loop: per record, an iterator at it, one GetRecords, one PutEvents. */
async function naive(n: number): Promise<number> {
  const d = destination();
  const s = streams(1);
  for (let i = 0; i < n; i++) {
    const it = await s.iteratorAt(d.streamArn, "s", seq(i));
    const page = await s.read(d.streamArn, it);
    await bus.putEvents(d.busArn, [{ id: "0", entry: eventOf(d, page.records[0], context) }]);
  }
  return n;
}

async function rate(run: () => Promise<number>): Promise<number> {
  const t = performance.now();
  const n = await run();
  return n / ((performance.now() - t) / 1000);
}

async function main(): Promise<void> {
  const fast = await rate(redrive);
  const slow = await rate(() => naive(Math.min(RECORDS, 200)));
  console.log(
    JSON.stringify({
      records: RECORDS,
      range: RANGE,
      latencyMs: LATENCY,
      redrivePerSecond: Math.round(fast),
      naivePerSecond: Math.round(slow),
      ratio: Number((fast / slow).toFixed(1)),
      put,
    }),
  );
}

main();
