/**
 * Test support: an HTTP proxy between the SDK and the emulator that injects faults. Per call it
 * may answer 500 without forwarding, answer a throttling error without forwarding, forward and
 * then answer 500 (the call took effect but the caller cannot know), or, for SendMessageBatch,
 * forward only some entries and report the others as failed (a partial batch failure).
 */
import { createServer, request, type Server } from "node:http";

export interface FaultPlan {
  /** Share of calls answered 500 InternalError without being forwarded. */
  readonly error500?: number;
  /** Share of calls answered 400 RequestThrottled without being forwarded. */
  readonly throttle?: number;
  /** Share of calls forwarded, then answered 500 (effect happened, response lost). */
  readonly lostResponse?: number;
  /** Share of SendMessageBatch entries dropped and reported failed (retryable). */
  readonly partialBatch?: number;
  /** Only calls whose X-Amz-Target action is listed are affected; default all. */
  readonly actions?: readonly string[];
  /** Calls of these actions, after the first `after` of them, are never answered (nor forwarded): the caller hangs, as if the process stalled there. */
  readonly hang?: { readonly actions: readonly string[]; readonly after?: number };
  /** SendMessageBatch entries whose body matches fail (retryably) the first time they are sent. */
  readonly failFirst?: RegExp;
  /** Calls of these actions are held `ms` before being forwarded (a slow service). */
  readonly delay?: { readonly actions: readonly string[]; readonly ms: number };
  /** Milliseconds calls of each action are held before being forwarded (a slow service, per action). */
  readonly delays?: Readonly<Record<string, number>>;
  /** Calls of these actions are forwarded at once and their answers held `ms` (a slow network back: the call took effect first). */
  readonly delayResponse?: { readonly actions: readonly string[]; readonly ms: number };
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly injected: Record<string, number>;
  close(): Promise<void>;
}

/** A small deterministic PRNG (mulberry32), so a failing run can be reproduced. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultProxy(upstreamPort: number, plan: FaultPlan, seed = 42): Promise<FaultProxy> {
  const random = prng(seed);
  const injected: Record<string, number> = { error500: 0, throttle: 0, lostResponse: 0, partialBatch: 0, hung: 0 };
  let hangCandidates = 0;
  const failedOnce = new Set<string>();
  const jsonError = (status: number, type: string, message: string, headers: Record<string, string> = {}) => ({
    status,
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-query-error": `${type};${status < 500 ? "Sender" : "Receiver"}`,
      ...headers,
    },
    body: JSON.stringify({ __type: `com.amazonaws.sqs#${type}`, message }),
  });

  const forward = (method: string, path: string, headers: Record<string, any>, body: Buffer) =>
    new Promise<{ status: number; headers: Record<string, any>; body: Buffer }>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port: upstreamPort, method, path, headers: { ...headers, "content-length": body.length } },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.from(text) }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  const server: Server = createServer((req, res) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (text += c));
    req.on("end", async () => {
      const body = Buffer.from(text);
      const action = String(req.headers["x-amz-target"] ?? "").replace("AmazonSQS.", "");
      const affected = !plan.actions || plan.actions.includes(action);
      const answerDelay = plan.delayResponse?.actions.includes(action) ? plan.delayResponse.ms : 0;
      const send = async (r: { status: number; headers: Record<string, any>; body: Buffer | string }) => {
        if (answerDelay > 0) await new Promise((resolve) => setTimeout(resolve, answerDelay));
        const h = { ...r.headers };
        delete h["content-length"];
        delete h["transfer-encoding"];
        res.writeHead(r.status, h);
        res.end(r.body);
      };
      if (plan.hang?.actions.includes(action) && ++hangCandidates > (plan.hang.after ?? 0)) {
        injected.hung++;
        return;
      }
      if (plan.delay?.actions.includes(action)) await new Promise((r) => setTimeout(r, plan.delay!.ms));
      const own = plan.delays?.[action] ?? 0;
      if (own > 0) await new Promise((r) => setTimeout(r, own));
      try {
        const roll = random();
        let edge = plan.error500 ?? 0;
        if (affected && roll < edge) {
          injected.error500++;
          return send(jsonError(500, "InternalError", "injected 500"));
        }
        edge += plan.throttle ?? 0;
        if (affected && roll < edge) {
          injected.throttle++;
          return send(jsonError(400, "RequestThrottled", "injected throttling"));
        }
        edge += plan.lostResponse ?? 0;
        if (affected && roll < edge) {
          injected.lostResponse++;
          injected[`lostResponse:${action}`] = (injected[`lostResponse:${action}`] ?? 0) + 1;
          await forward(req.method!, req.url!, req.headers, body);
          return send(jsonError(500, "InternalError", "injected: response lost"));
        }
        if (affected && action === "SendMessageBatch" && (plan.partialBatch || plan.failFirst)) {
          const input = JSON.parse(body.toString());
          const kept: any[] = [];
          const dropped: any[] = [];
          const drop = (e: { MessageBody: string }) => {
            if (plan.failFirst?.test(e.MessageBody) && !failedOnce.has(e.MessageBody))
              return failedOnce.add(e.MessageBody);
            return plan.partialBatch !== undefined && random() < plan.partialBatch;
          };
          for (const e of input.Entries) (drop(e) ? dropped : kept).push(e);
          if (dropped.length > 0) {
            injected.partialBatch += dropped.length;
            const failed = dropped.map((e) => ({
              Id: e.Id,
              SenderFault: false,
              Code: "InternalError",
              Message: "injected entry failure",
            }));
            if (kept.length === 0)
              return send({
                status: 200,
                headers: { "content-type": "application/x-amz-json-1.0" },
                body: JSON.stringify({ Successful: [], Failed: failed }),
              });
            const up = await forward(
              req.method!,
              req.url!,
              req.headers,
              Buffer.from(JSON.stringify({ ...input, Entries: kept })),
            );
            const out = JSON.parse(up.body.toString());
            return send({ ...up, body: JSON.stringify({ ...out, Failed: [...(out.Failed ?? []), ...failed] }) });
          }
        }
        send(await forward(req.method!, req.url!, req.headers, body));
      } catch (err) {
        send(jsonError(502, "InternalError", String(err)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
