#!/usr/bin/env node
// The raw batched copy of bench/redrive.ts as a process of its own, started as the redrive CLI is:
// 8 workers, each ReceiveMessage 10 (no wait) / SendMessageBatch / DeleteMessageBatch, the same SDK,
// region, credentials and endpoint from the standard AWS environment. It separates what a fresh
// Node process costs (start-up, JIT warm-up, a young heap) from what the CLI's own work costs.
// Prints {"replayed":N,"firstHalfUs":..,"secondHalfUs":..} (client CPU µs per message of each half).
//   node bench/raw-copy.mjs <from-queue-url> <to-queue-url>
import { SQSClient } from "@aws-sdk/client-sqs";
import { batchedCopy } from "./batched-copy.mjs";

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  process.stderr.write("usage: node bench/raw-copy.mjs <from-queue-url> <to-queue-url>\n");
  process.exit(2);
}
const sqs = new SQSClient({});
let half;
const start = process.cpuUsage();
const moved = await batchedCopy(sqs, from, to, 8, (soFar) => {
  half ??= soFar >= 10_000 ? { cpu: process.cpuUsage(), moved: soFar } : undefined;
});
sqs.destroy();
const end = process.cpuUsage();
const us = (a, b, n) => (n > 0 ? Math.round((b.user + b.system - a.user - a.system) / n) : 0);
process.stdout.write(
  `${JSON.stringify({
    replayed: moved,
    firstHalfUs: half ? us(start, half.cpu, half.moved) : 0,
    secondHalfUs: half ? us(half.cpu, end, moved - half.moved) : 0,
  })}\n`,
);
