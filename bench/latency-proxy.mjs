#!/usr/bin/env node
// A TCP proxy on 127.0.0.1 that adds a fixed latency to every call, for the latency-bound redrive
// benchmark (AWS answers each SQS call in tens of milliseconds; the emulator on loopback in well
// under one). Every chunk a client sends is forwarded to the upstream port DELAY ms later (in
// order: timers of one duration fire first in, first out); responses come back at once. A call is
// one HTTP request on a kept-alive connection, so each call takes DELAY ms more than it would.
//   node bench/latency-proxy.mjs <upstream-port> <delay-ms>
// Prints {"port":N,"endpoint":"http://127.0.0.1:N"} on stdout once it listens, and exits when its
// stdin closes (so it never outlives the benchmark that started it).
import { connect, createServer } from "node:net";

const upstreamPort = Number(process.argv[2]);
const delayMs = Number(process.argv[3] ?? 20);
if (!Number.isInteger(upstreamPort) || upstreamPort <= 0 || !(delayMs >= 0)) {
  process.stderr.write("usage: node bench/latency-proxy.mjs <upstream-port> <delay-ms>\n");
  process.exit(2);
}

const server = createServer((client) => {
  client.setNoDelay(true);
  const upstream = connect({ host: "127.0.0.1", port: upstreamPort });
  upstream.setNoDelay(true);
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("data", (chunk) => {
    setTimeout(() => {
      if (!upstream.destroyed) upstream.write(chunk);
    }, delayMs);
  });
  upstream.on("data", (chunk) => {
    if (!client.destroyed) client.write(chunk);
  });
  // A closing client closes its upstream once the delayed chunks went out.
  client.on("end", () => setTimeout(() => upstream.end(), delayMs + 1));
  upstream.on("end", () => client.end());
  client.on("error", close);
  upstream.on("error", close);
  client.on("close", () => setTimeout(() => upstream.destroy(), delayMs + 1));
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ port, endpoint: `http://127.0.0.1:${port}` })}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
