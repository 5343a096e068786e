/**
 * Test support: a local HTTP stand-in for the Lambda Invoke, EventBridge PutEvents and Step Functions StartExecution
 * APIs, for processes pointed at it with AWS_ENDPOINT_URL_LAMBDA / AWS_ENDPOINT_URL_EVENTBRIDGE / AWS_ENDPOINT_URL_SFN. It records
 * every call; `rejectDetail` makes PutEvents fail the entries whose Detail matches, per entry.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeTargets {
  readonly endpoint: string;
  /** Asynchronous invokes: function (from the path), invocation type and the exact body bytes. */
  readonly invokes: { functionName: string; invocationType: string | undefined; body: Buffer }[];
  /** PutEvents entries as received. */
  readonly putEvents: Record<string, unknown>[];
  /** StartExecution calls that started an execution (a repeated name answers ExecutionAlreadyExists). */
  readonly executions: { stateMachineArn: string; name: string; input: string }[];
  /** Unsuccessful executions served by ListExecutions / DescribeExecution / GetExecutionHistory, by ARN. */
  readonly unsuccessful: Map<string, FakeExecution>;
  /** Executions RedriveExecution was called for (and accepted). */
  readonly redriven: string[];
  rejectDetail?: RegExp;
  stop(): Promise<void>;
}

/** An unsuccessful execution of the stand-in. */
export interface FakeExecution {
  readonly stateMachineArn: string;
  readonly status: "FAILED" | "TIMED_OUT" | "ABORTED";
  readonly error?: string;
  readonly cause?: string;
  readonly failedState: string;
  readonly redriveStatus: "REDRIVABLE" | "NOT_REDRIVABLE";
  readonly redriveStatusReason?: string;
}

/** Answers a Step Functions execution call, or undefined when `target` is not one. */
function executionCall(
  state: FakeTargetsState,
  target: string,
  input: Record<string, any>,
): [number, unknown] | undefined {
  const op = target.replace(/^AWSStepFunctions\./, "");
  const e = state.unsuccessful.get(input.executionArn);
  if (op === "ListExecutions") {
    const executions = [...state.unsuccessful.entries()]
      .filter(([, x]) => x.stateMachineArn === input.stateMachineArn && x.status === input.statusFilter)
      .map(([executionArn, x]) => ({
        executionArn,
        stateMachineArn: x.stateMachineArn,
        name: executionArn.split(":").pop(),
        status: x.status,
        startDate: 1,
      }));
    return [200, { executions }];
  }
  if (op === "DescribeExecution" && e)
    return [
      200,
      {
        executionArn: input.executionArn,
        stateMachineArn: e.stateMachineArn,
        status: e.status,
        startDate: 1,
        stopDate: 2,
        error: e.error,
        cause: e.cause,
        redriveStatus: e.redriveStatus,
        redriveStatusReason: e.redriveStatusReason,
        redriveCount: 0,
      },
    ];
  if (op === "GetExecutionHistory" && e)
    return [
      200,
      {
        events: [
          { timestamp: 2, type: "ExecutionFailed", id: 9 },
          { timestamp: 1, type: "TaskStateEntered", id: 8, stateEnteredEventDetails: { name: e.failedState } },
        ],
      },
    ];
  if (op === "RedriveExecution" && e) {
    if (e.redriveStatus !== "REDRIVABLE")
      return [400, { __type: "ExecutionNotRedrivable", message: e.redriveStatusReason ?? "no" }];
    state.redriven.push(input.executionArn);
    return [200, { redriveDate: 3 }];
  }
  return undefined;
}

type FakeTargetsState = Omit<FakeTargets, "endpoint" | "stop">;

export async function startFakeTargets(): Promise<FakeTargets> {
  const state: FakeTargetsState = { invokes: [], putEvents: [], executions: [], unsuccessful: new Map(), redriven: [] };
  const server: Server = createServer((req, res) => {
    let hex = "";
    req.on("data", (c: Buffer) => (hex += c.toString("hex")));
    req.on("end", () => {
      const body = Buffer.from(hex, "hex");
      if (req.headers["x-amz-target"] === "AWSEvents.PutEvents") {
        const entries = (JSON.parse(body.toString("utf8")).Entries ?? []) as Record<string, unknown>[];
        const results = entries.map((e) => {
          if (state.rejectDetail?.test(String(e.Detail)))
            return { ErrorCode: "MalformedDetail", ErrorMessage: "rejected by the test" };
          state.putEvents.push(e);
          return { EventId: `ev-${state.putEvents.length}` };
        });
        res
          .writeHead(200, { "content-type": "application/x-amz-json-1.1" })
          .end(JSON.stringify({ FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results }));
        return;
      }
      const sfnTarget = String(req.headers["x-amz-target"] ?? "");
      const answered = sfnTarget.startsWith("AWSStepFunctions.")
        ? executionCall(state, sfnTarget, JSON.parse(body.toString("utf8") || "{}"))
        : undefined;
      if (answered) {
        res.writeHead(answered[0], { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify(answered[1]));
        return;
      }
      if (req.headers["x-amz-target"] === "AWSStepFunctions.StartExecution") {
        const input = JSON.parse(body.toString("utf8"));
        const json = { "content-type": "application/x-amz-json-1.0" };
        if (state.executions.some((e) => e.stateMachineArn === input.stateMachineArn && e.name === input.name)) {
          res.writeHead(400, json).end(JSON.stringify({ __type: "ExecutionAlreadyExists", message: "exists" }));
          return;
        }
        state.executions.push({ stateMachineArn: input.stateMachineArn, name: input.name, input: input.input });
        res
          .writeHead(200, json)
          .end(JSON.stringify({ executionArn: `${input.stateMachineArn}:${input.name}`, startDate: 1 }));
        return;
      }
      const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? "");
      if (req.method === "POST" && m) {
        const invocationType = req.headers["x-amz-invocation-type"] as string | undefined;
        state.invokes.push({ functionName: decodeURIComponent(m[1]), invocationType, body });
        res.writeHead(invocationType === "Event" ? 202 : 200).end();
        return;
      }
      res
        .writeHead(400, { "content-type": "application/json" })
        .end(JSON.stringify({ message: `unexpected ${req.method} ${req.url}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, { endpoint, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}
