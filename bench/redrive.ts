/**
 * Redrive throughput against the fauxqs SQS emulator, 20,000 messages per contender, in one run:
 *   1. one at a time: receive 1, send 1, delete 1, in a single loop;
 *   2. raw batched copy: receive 10, SendMessageBatch 10, DeleteMessageBatch 10, N workers;
 *   3. the redrive engine (same SDK, same N workers), EventBridge DLQ messages to their target.
 * Prints msg/s and ratios, and writes them into docs/benchmarks.md under "## Redrive".
 * The batched contenders run BENCH_ROUNDS times (default 3), interleaved, and their medians are
 * compared: on a small machine the emulator and the client share the CPUs and single runs vary by
 * about 10 %.
 *   npm run bench:redrive                  (BENCH_MESSAGES, BENCH_CONCURRENCY, BENCH_ROUNDS to change the sizes)
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { redrive } from "../lambdas/redrive/engine";
import { validateOptions } from "../lambdas/redrive/options";
import { SqsPort } from "../lambdas/redrive/sqs-port";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const ROOT = join(__dirname, "..");
const N = Number(process.env.BENCH_MESSAGES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Rounds of the two batched contenders, interleaved; their medians are compared (one-at-a-time runs once: it takes ~30 s). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REGION = "us-east-1";
const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };

async function startEmulator(): Promise<{ endpoint: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, "test/lambdas/redrive/support/fauxqs-server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString())));
  return { endpoint: JSON.parse(line).endpoint, stop: () => child.stdin.end() };
}

async function queue(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { MaximumMessageSize: "1048576" } }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Fills a DLQ with N EventBridge-format messages (a ~400-byte event, the six attributes). */
async function fill(sqs: SQSClient, dlqUrl: string, targetArn: string): Promise<void> {
  const attrs = {
    RULE_ARN: { DataType: "String", StringValue: `arn:aws:events:${REGION}:000000000000:rule/orders-placed` },
    TARGET_ARN: { DataType: "String", StringValue: targetArn },
    ERROR_CODE: { DataType: "String", StringValue: "ERROR_FROM_TARGET" },
    ERROR_MESSAGE: { DataType: "String", StringValue: "target answered 503" },
    EXHAUSTED_RETRY_CONDITION: { DataType: "String", StringValue: "MaximumRetryAttempts" },
    RETRY_ATTEMPTS: { DataType: "Number", StringValue: "185" },
  };
  const body = (i: number) =>
    JSON.stringify({ version: "0", id: `evt-${i}`, "detail-type": "OrderPlaced", source: "shop.orders", time: new Date().toISOString(), region: REGION, detail: { orderId: i, lines: [{ sku: "A-1", qty: 2 }], total: "19.90", currency: "EUR" } });
  const batches = Math.ceil(N / 10);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let b = next++; b < batches; b = next++) {
        const entries = Array.from({ length: Math.min(10, N - b * 10) }, (_, j) => ({ Id: String(j), MessageBody: body(b * 10 + j), MessageAttributes: attrs }));
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: dlqUrl, Entries: entries }));
      }
    }),
  );
}

async function depth(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }));
  return Number(Attributes!.ApproximateNumberOfMessages);
}

async function oneAtATime(sqs: SQSClient, from: string, to: string): Promise<void> {
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: from, MaxNumberOfMessages: 1, MessageAttributeNames: ["All"], WaitTimeSeconds: 0 }));
    if (!Messages?.length) return;
    const m = Messages[0];
    await sqs.send(new SendMessageCommand({ QueueUrl: to, MessageBody: m.Body!, MessageAttributes: m.MessageAttributes }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: from, ReceiptHandle: m.ReceiptHandle! }));
  }
}

async function batchedCopy(sqs: SQSClient, from: string, to: string): Promise<void> {
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: from, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], WaitTimeSeconds: 0 }));
        if (!Messages?.length) return;
        await sqs.send(new SendMessageBatchCommand({ QueueUrl: to, Entries: Messages.map((m, i) => ({ Id: String(i), MessageBody: m.Body!, MessageAttributes: m.MessageAttributes })) }));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: from, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
    }),
  );
}

interface Result {
  readonly name: string;
  readonly moved: number;
  readonly seconds: number;
  readonly rate: number;
}

async function measure(name: string, sqs: SQSClient, run: (from: string, to: string, toArn: string) => Promise<void>): Promise<Result> {
  const stem = name.replace(/\W+/g, "-");
  const target = await queue(sqs, `bench-${stem}-target`);
  const dlq = await queue(sqs, `bench-${stem}-dlq`);
  await fill(sqs, dlq.url, target.arn);
  const started = performance.now();
  await run(dlq.url, target.url, target.arn);
  const seconds = (performance.now() - started) / 1000;
  const moved = await depth(sqs, target.url);
  const left = await depth(sqs, dlq.url);
  if (moved !== N || left !== 0) throw new Error(`${name}: moved ${moved} of ${N}, ${left} left in the DLQ`);
  const result = { name, moved, seconds, rate: moved / seconds };
  process.stderr.write(`${name.padEnd(22)} ${moved} msgs in ${seconds.toFixed(2)} s = ${Math.round(result.rate)} msg/s\n`);
  return result;
}

async function main(): Promise<void> {
  const emu = await startEmulator();
  const client = { endpoint: emu.endpoint, region: REGION, credentials };
  const sqs = new SQSClient(client);
  const port = new SqsPort({ client });
  try {
    process.stderr.write(`redrive benchmark: ${N} messages each, ${CONCURRENCY} workers, fauxqs ${emu.endpoint}\n`);
    const single = await measure("one at a time", sqs, (from, to) => oneAtATime(sqs, from, to));
    const raws: Result[] = [];
    const engines: Result[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      raws.push(await measure(`raw batched copy #${round}`, sqs, (from, to) => batchedCopy(sqs, from, to)));
      engines.push(
        await measure(`redrive engine #${round}`, sqs, async (from) => {
          const s = await redrive(validateOptions({ queueUrl: from, concurrency: CONCURRENCY, waitTimeSeconds: 0 }), { port });
          if (s.replayed !== N) throw new Error(`engine replayed ${s.replayed}: ${JSON.stringify(s)}`);
        }),
      );
    }
    const raw = median("raw batched copy", raws);
    const engine = median("redrive engine", engines);
    const vsSingle = engine.rate / single.rate;
    const vsRaw = engine.rate / raw.rate;
    process.stderr.write(`engine / one at a time = ${vsSingle.toFixed(1)}x (target >= 10x); engine / raw batched = ${(vsRaw * 100).toFixed(0)} % (target >= 80 %)\n`);
    writeSection([single, raw, engine], vsSingle, vsRaw, [...raws, ...engines]);
  } finally {
    port.destroy();
    sqs.destroy();
    emu.stop();
  }
}

/** The round with the median rate, named for the contender. */
function median(name: string, rounds: Result[]): Result {
  const sorted = [...rounds].sort((a, b) => a.rate - b.rate);
  return { ...sorted[Math.floor(sorted.length / 2)], name: `${name} (median of ${rounds.length})` };
}

function writeSection(results: Result[], vsSingle: number, vsRaw: number, rounds: Result[]): void {
  const file = join(ROOT, "docs", "benchmarks.md");
  const section = [
    "## Redrive",
    "",
    `Measured by \`npm run bench:redrive\` (\`bench/redrive.ts\`) on ${new Date().toISOString().slice(0, 10)}: ${N.toLocaleString("en-US")} EventBridge-format DLQ`,
    `messages per contender, fauxqs 1.9.2 in its own process on 127.0.0.1, Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim() ?? "unknown"}).`,
    `Batched contenders use ${CONCURRENCY} workers and run ${ROUNDS} times, interleaved; the table compares their medians.`,
    "Each round moves its own queue; a run fails unless all messages reached the destination and the DLQ is empty.",
    "",
    "| contender | messages | seconds | msg/s |",
    "|---|---:|---:|---:|",
    ...results.map((r) => `| ${r.name} | ${r.moved} | ${r.seconds.toFixed(2)} | ${Math.round(r.rate)} |`),
    "",
    `- engine vs one at a time: **${vsSingle.toFixed(1)}x** (target: at least 10x)`,
    `- engine vs raw batched copy: **${(vsRaw * 100).toFixed(0)} %** (target: at least 80 %)`,
    `- every round (msg/s): ${rounds.map((r) => `${r.name} ${Math.round(r.rate)}`).join(", ")}`,
    "",
    "The engine does more per message than the raw copy (decides, strips EventBridge's attributes, adds",
    "`redrive-context`, resolves TARGET_ARN once per target) and still batches receive, send and delete by 10.",
    "On loopback the client's CPU per request is the limit (about 2,000 to 2,500 requests/s here, whatever the batch",
    "size), so a batched loop gains at most about 10x over one message per request; against AWS, per-call",
    "latency dominates and batching plus parallel workers gain more.",
    "",
  ].join("\n");
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n";
  const start = text.search(/^## Redrive\s*$/m);
  let out: string;
  if (start < 0) out = `${text.replace(/\s*$/, "")}\n\n${section}`;
  else {
    const rest = text.slice(start + 1);
    const nextHeading = rest.search(/^## /m);
    const end = nextHeading < 0 ? text.length : start + 1 + nextHeading;
    out = `${text.slice(0, start)}${section}${nextHeading < 0 ? "" : `\n${text.slice(end)}`}`;
  }
  writeFileSync(file, out.replace(/\n{3,}/g, "\n\n"));
  process.stderr.write(`wrote ${file} (## Redrive)\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
