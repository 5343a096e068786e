/**
 * Records per second the redrive CLI replays from an outbox pipe's stream failures, measured as an operator runs it:
 * the whole process `node dist/cli/redrive.cjs --queue-url <dlq> --json --yes --not-production`, start-up included,
 * against bench/outbox-naive.mjs (one record at a time: an iterator, one GetRecords, one PutEvents), also a whole
 * process. The DLQ is in fauxqs; Pipes and DynamoDB Streams are served by test/lambdas/redrive/support/fake-outbox.ts
 * and the bus by fake-targets.ts over their wire protocols; every service sits behind bench/latency-proxy.mjs, which
 * adds BENCH_LATENCY_MS (20) to every call, as AWS takes tens of milliseconds per call.
 *   npm run bench:outbox   (BENCH_RECORDS 3000 in ranges of BENCH_RANGE 100, BENCH_NAIVE_RECORDS 200, BENCH_ROUNDS 3)
 */
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { describedPipe } from "../test/modules/outbox/fixtures";
import { startFakeOutbox } from "../test/lambdas/redrive/support/fake-outbox";
import { startFakeTargets } from "../test/lambdas/redrive/support/fake-targets";
import { awsEnv, createQueue, seed, startEmulator, uniqueName } from "../test/lambdas/redrive/support/fauxqs";

const ROOT = join(__dirname, "..");
const RECORDS = Number(process.env.BENCH_RECORDS ?? 3000);
const RANGE = Number(process.env.BENCH_RANGE ?? 100);
const NAIVE = Number(process.env.BENCH_NAIVE_RECORDS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 20);
const PIPE = "arn:aws:pipes:us-east-1:123456789012:pipe/orders-placed";
const STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/orders-state/stream/2026-12-01T00:00:00.000";
const BUS = "arn:aws:events:us-east-1:123456789012:event-bus/shop";
const seq = (i: number) => String(10n ** 25n + BigInt(i));
const SPEC = {
  detailType: "order.placed",
  source: "acme.orders",
  eventNames: ["INSERT" as const],
  fields: {
    orderId: { path: "NewImage.orderId", type: "S" as const },
    total: { path: "NewImage.total", type: "N" as const },
  },
};

async function proxy(port: number): Promise<{ endpoint: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, "bench", "latency-proxy.mjs"), String(port), String(LATENCY)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString())));
  return { endpoint: JSON.parse(line).endpoint, stop: () => child.stdin.end() };
}

function failure(from: number, to: number): string {
  return JSON.stringify({
    context: { partnerResourceArn: PIPE, condition: "RetryAttemptsExhausted" },
    DDBStreamBatchInfo: {
      shardId: "shardId-1",
      startSequenceNumber: seq(from),
      endSequenceNumber: seq(to),
      approximateArrivalOfFirstRecord: new Date().toISOString(),
      batchSize: to - from + 1,
      streamArn: STREAM,
    },
  });
}

/** Wall-clock seconds of a process, from spawn to exit; throws unless it exits 0. */
function timed(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "ignore"] });
    child.once("exit", (code) =>
      code === 0 ? resolve((performance.now() - t) / 1000) : reject(new Error(`${args[0]} exited ${code}`)),
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The services, each behind the latency proxy, and the pipe and its shard the stand-in serves. */
async function services() {
  const [emu, outbox, bus] = await Promise.all([startEmulator(), startFakeOutbox(), startFakeTargets()]);
  const port = (e: string) => Number(new URL(e).port);
  const proxies = await Promise.all([proxy(emu.port), proxy(port(outbox.endpoint)), proxy(port(bus.endpoint))]);
  outbox.pipes.set("orders-placed", describedPipe(SPEC, { arn: PIPE, stream: STREAM, bus: BUS }));
  outbox.records = Array.from({ length: RECORDS }, (_, i) => ({
    eventID: `ev-${i}`,
    eventName: "INSERT",
    dynamodb: { NewImage: { orderId: { S: `o-${i}` }, total: { N: `${i}.5` } }, SequenceNumber: seq(i) },
  }));
  outbox.pageSize = 1000;
  const [sqsP, outboxP, busP] = proxies;
  const env = awsEnv(sqsP.endpoint, {
    AWS_ENDPOINT_URL_PIPES: outboxP.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: outboxP.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: busP.endpoint,
    AWS_ENDPOINT_URL_SQS: sqsP.endpoint,
  });
  const stop = async () => {
    for (const p of proxies) p.stop();
    await Promise.all([emu.stop(), outbox.stop(), bus.stop()]);
  };
  return { emu, bus, env, stop };
}

type Services = Awaited<ReturnType<typeof services>>;

/** A fresh DLQ holding the failure records of the first `records` stream records, in ranges of RANGE. */
async function dlqOf(s: Services, records: number): Promise<string> {
  const dlq = await createQueue(s.emu.sqs, uniqueName("bench-outbox"));
  const ranges = Math.ceil(records / RANGE);
  await seed(
    s.emu.sqs,
    dlq.url,
    Array.from({ length: ranges }, (_, i) => ({ body: failure(i * RANGE, i * RANGE + RANGE - 1) })),
  );
  return dlq.url;
}

/** One round: records/s of the CLI (checked: every event on the bus) and of the naive loop. */
async function round(s: Services): Promise<{ cli: number; naive: number }> {
  const dlq = await dlqOf(s, RECORDS);
  const before = s.bus.putEvents.length;
  const cliArgs = ["--queue-url", dlq, "--json", "--yes", "--not-production", "--wait-seconds", "0"];
  const seconds = await timed([join(ROOT, "dist", "cli", "redrive.cjs"), ...cliArgs], s.env);
  const put = s.bus.putEvents.length - before;
  if (put !== RECORDS) throw new Error(`the CLI put ${put} of ${RECORDS} events`);
  const ref = await dlqOf(s, NAIVE);
  const naive = await timed([join(ROOT, "bench", "outbox-naive.mjs"), ref, BUS, String(NAIVE)], s.env);
  return { cli: RECORDS / seconds, naive: NAIVE / naive };
}

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--lambdas-only"], { stdio: "inherit" });
  const s = await services();
  const rounds: { cli: number; naive: number }[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) rounds.push(await round(s));
  } finally {
    await s.stop();
  }
  const fmt = (xs: number[]) => xs.map((x) => Math.round(x)).sort((a, b) => a - b);
  const cli = rounds.map((r) => r.cli);
  const naive = rounds.map((r) => r.naive);
  const ratio = Number((median(cli) / median(naive)).toFixed(1));
  console.log(
    JSON.stringify({
      records: RECORDS,
      range: RANGE,
      latencyMs: LATENCY,
      cliRecordsPerSecond: fmt(cli),
      naiveRecordsPerSecond: fmt(naive),
      medianRatio: ratio,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
