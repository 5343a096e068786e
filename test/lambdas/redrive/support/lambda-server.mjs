#!/usr/bin/env node
// A local stand-in for the Lambda Invoke API on 127.0.0.1 that runs the built redrive handler
// (dist/lambdas/redrive/index.js), for the CLI's `--workers lambda:N` tests and benchmark: point
// AWS_ENDPOINT_URL_LAMBDA at it. Like Lambda, each concurrent invocation runs in its own
// "container" (a fresh instance of the bundle, with its own module state and clients); a
// container is reused once its invocation ended. The handler's environment is this process's.
//   POST /2015-03-31/functions/<name>/invocations   RequestResponse invoke (200 + result, or
//        X-Amz-Function-Error: Unhandled + {errorType, errorMessage}); 404 for another function name
//   GET  /_stats                                     {"invocations": [{event, ...}], "maxConcurrent": N}
// LAMBDA_FUNCTION_NAME (default "redrive") names the function; LAMBDA_TIMEOUT_MS (default 60000)
// is what context.getRemainingTimeInMillis() counts down from. The handler's own log lines go to
// LAMBDA_LOG_FILE (default: discarded). Prints {"port","endpoint"} on stdout once it listens and
// exits when its stdin closes.
import { createWriteStream } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const bundle = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "..",
  "..",
  "dist",
  "lambdas",
  "redrive",
  "index.js",
);
const name = process.env.LAMBDA_FUNCTION_NAME ?? "redrive";
const timeoutMs = Number(process.env.LAMBDA_TIMEOUT_MS ?? 60_000);
const log = process.env.LAMBDA_LOG_FILE ? createWriteStream(process.env.LAMBDA_LOG_FILE, { flags: "a" }) : undefined;

// The handler writes its log with process.stdout.write; this process's stdout is for the endpoint line only.
const stdoutWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  log?.write(chunk);
  const cb = rest.find((x) => typeof x === "function");
  if (cb) cb();
  return true;
};

const idle = [];
const containers = () => {
  if (idle.length > 0) return idle.pop();
  delete require.cache[bundle];
  return require(bundle).handler;
};

const stats = { invocations: [], maxConcurrent: 0 };
let concurrent = 0;

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    if (req.method === "GET" && req.url === "/_stats") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(stats));
    }
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? "");
    const fn = m ? decodeURIComponent(m[1]) : undefined;
    if (!fn || (fn !== name && !fn.endsWith(`:function:${name}`))) {
      res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
      return res.end(JSON.stringify({ Type: "User", message: `Function not found: ${fn}` }));
    }
    const text = Buffer.concat(chunks).toString("utf8");
    const event = text ? JSON.parse(text) : {};
    const record = { event, invocationType: req.headers["x-amz-invocation-type"] ?? "RequestResponse" };
    stats.invocations.push(record);
    concurrent++;
    stats.maxConcurrent = Math.max(stats.maxConcurrent, concurrent);
    const handler = containers();
    const deadline = Date.now() + timeoutMs;
    try {
      const result = await handler(event, { getRemainingTimeInMillis: () => deadline - Date.now() });
      res.writeHead(200, { "content-type": "application/json", "x-amz-executed-version": "$LATEST" });
      res.end(JSON.stringify(result ?? null));
    } catch (err) {
      res.writeHead(200, {
        "content-type": "application/json",
        "x-amz-function-error": "Unhandled",
        "x-amz-executed-version": "$LATEST",
      });
      res.end(
        JSON.stringify({ errorType: err?.name ?? "Error", errorMessage: err?.message ?? String(err), trace: [] }),
      );
    } finally {
      concurrent--;
      idle.push(handler);
    }
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  stdoutWrite(`${JSON.stringify({ port, endpoint: `http://127.0.0.1:${port}` })}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
