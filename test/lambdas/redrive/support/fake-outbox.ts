/**
 * Test support: a local HTTP stand-in for EventBridge Pipes' DescribePipe (REST JSON: GET /v1/pipes/{Name}) and
 * DynamoDB Streams' GetShardIterator / GetRecords (JSON 1.0, X-Amz-Target DynamoDBStreams_20120810.*), for processes
 * pointed at it with AWS_ENDPOINT_URL_PIPES / AWS_ENDPOINT_URL_DYNAMODB_STREAMS. Records are served in the wire's
 * form (binary values base64, ApproximateCreationDateTime in epoch seconds), `pageSize` at a time; a sequence
 * number below `trimmedBefore` is past the retention (TrimmedDataAccessException).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeOutbox {
  readonly endpoint: string;
  /** Pipe name -> DescribePipe's answer. */
  readonly pipes: Map<string, Record<string, unknown>>;
  /** The shard's records, in stream order (wire form). */
  records: Record<string, any>[];
  pageSize: number;
  trimmedBefore?: bigint;
  /** Calls received, by operation. */
  readonly calls: Record<string, number>;
  stop(): Promise<void>;
}

function answer(res: import("node:http").ServerResponse, status: number, body: unknown, type = "application/json") {
  res.writeHead(status, { "content-type": type }).end(JSON.stringify(body));
}

export async function startFakeOutbox(): Promise<FakeOutbox> {
  const state = { pipes: new Map(), records: [], pageSize: 100, calls: {} } as Omit<FakeOutbox, "endpoint" | "stop">;
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString("utf8")));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const op = target.split(".")[1] ?? (req.method === "GET" ? "DescribePipe" : "unknown");
      state.calls[op] = (state.calls[op] ?? 0) + 1;
      const pipe = /^\/v1\/pipes\/([^/?]+)/.exec(req.url ?? "");
      if (req.method === "GET" && pipe) {
        const found = state.pipes.get(decodeURIComponent(pipe[1]));
        return found ? answer(res, 200, found) : answer(res, 404, { message: "no such pipe" });
      }
      const input = text ? JSON.parse(text) : {};
      const json = "application/x-amz-json-1.0";
      if (op === "GetShardIterator") {
        const seq = BigInt(input.SequenceNumber);
        if (state.trimmedBefore !== undefined && seq < state.trimmedBefore)
          return answer(
            res,
            400,
            { __type: "com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException", message: "trimmed" },
            json,
          );
        const at = state.records.findIndex((r) => BigInt(r.dynamodb.SequenceNumber) >= seq);
        return answer(res, 200, { ShardIterator: `it|${at < 0 ? state.records.length : at}` }, json);
      }
      if (op === "GetRecords") {
        const at = Number(String(input.ShardIterator).split("|")[1]);
        const next = at + state.pageSize;
        const body = {
          Records: state.records.slice(at, next),
          ...(next < state.records.length ? { NextShardIterator: `it|${next}` } : {}),
        };
        return answer(res, 200, body, json);
      }
      answer(res, 400, { message: `unexpected ${req.method} ${req.url} ${target}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, { endpoint, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}
