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
import { renderFilterPattern, renderInputTemplate } from "../modules/shared/contract/outbox-template";
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

async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--lambdas-only"], { stdio: "inherit" });
  const [emu, outbox, bus] = await Promise.all([startEmulator(), startFakeOutbox(), startFakeTargets()]);
  const port = (e: string) => Number(new URL(e).port);
  const [sqsP, outboxP, busP] = await Promise.all([
    proxy(emu.port),
    proxy(port(outbox.endpoint)),
    proxy(port(bus.endpoint)),
  ]);
  outbox.pipes.set("orders-placed", {
    Arn: PIPE,
    Source: STREAM,
    Target: BUS,
    SourceParameters: { FilterCriteria: { Filters: [{ Pattern: JSON.stringify(renderFilterPattern(SPEC)) }] } },
    TargetParameters: {
      InputTemplate: renderInputTemplate(SPEC),
      EventBridgeEventBusParameters: { DetailType: SPEC.detailType, Source: SPEC.source },
    },
  });
  outbox.records = Array.from({ length: RECORDS }, (_, i) => ({
    eventID: `ev-${i}`,
    eventName: "INSERT",
    dynamodb: { NewImage: { orderId: { S: `o-${i}` }, total: { N: `${i}.5` } }, SequenceNumber: seq(i) },
  }));
  outbox.pageSize = 1000;
  const env = awsEnv(sqsP.endpoint, {
    AWS_ENDPOINT_URL_PIPES: outboxP.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: outboxP.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: busP.endpoint,
    AWS_ENDPOINT_URL_SQS: sqsP.endpoint,
  });
  const cli: number[] = [];
  const naive: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const dlq = await createQueue(emu.sqs, uniqueName("bench-outbox"));
      await seed(
        emu.sqs,
        dlq.url,
        Array.from({ length: RECORDS / RANGE }, (_, i) => ({ body: failure(i * RANGE, i * RANGE + RANGE - 1) })),
      );
      const before = bus.putEvents.length;
      const s = await timed(
        [
          join(ROOT, "dist", "cli", "redrive.cjs"),
          "--queue-url",
          dlq.url,
          "--json",
          "--yes",
          "--not-production",
          "--wait-seconds",
          "0",
        ],
        env,
      );
      if (bus.putEvents.length - before !== RECORDS)
        throw new Error(`the CLI put ${bus.putEvents.length - before} of ${RECORDS} events`);
      cli.push(RECORDS / s);
      const ref = await createQueue(emu.sqs, uniqueName("bench-outbox-naive"));
      await seed(
        emu.sqs,
        ref.url,
        Array.from({ length: Math.ceil(NAIVE / RANGE) }, (_, i) => ({
          body: failure(i * RANGE, i * RANGE + RANGE - 1),
        })),
      );
      naive.push(NAIVE / (await timed([join(ROOT, "bench", "outbox-naive.mjs"), ref.url, BUS, String(NAIVE)], env)));
    }
  } finally {
    for (const p of [sqsP, outboxP, busP]) p.stop();
    await Promise.all([emu.stop(), outbox.stop(), bus.stop()]);
  }
  const fmt = (xs: number[]) => xs.map((x) => Math.round(x)).sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      records: RECORDS,
      range: RANGE,
      latencyMs: LATENCY,
      cliRecordsPerSecond: fmt(cli),
      naiveRecordsPerSecond: fmt(naive),
      medianRatio: Number((median(cli) / median(naive)).toFixed(1)),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
