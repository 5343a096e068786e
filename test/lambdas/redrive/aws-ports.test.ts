/**
 * The Lambda and EventBridge ports at the SDK level: the requests they build (aws-sdk-client-mock)
 * and, over HTTP against a local stand-in, that they honour AWS_ENDPOINT_URL_LAMBDA /
 * AWS_ENDPOINT_URL_EVENTBRIDGE as the SDK does by default.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { EventBridgePort } from "../../../lambdas/redrive/ports/eventbridge-port";
import { LambdaPort } from "../../../lambdas/redrive/ports/lambda-port";
import type { BusEntry } from "../../../lambdas/redrive/engine/model";

const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };
const FN = "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order:live";
const BUS = "arn:aws:events:eu-west-1:555555555555:event-bus/partner-orders";
const utf8 = (s: string) => new TextEncoder().encode(s);

describe("LambdaPort (SDK request shape)", () => {
  const lambda = mockClient(LambdaClient);
  afterEach(() => lambda.reset());
  afterAll(() => lambda.restore());

  it("invokes the function ARN (qualifier included) with InvocationType Event and the payload bytes exactly; returns the status code", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const port = new LambdaPort({ client: { credentials: CREDENTIALS } });
    const payload = utf8(' {"detail": {"note": "ünï ✓"}}\n');
    expect(await port.invokeAsync(FN, payload)).toBe(202);
    const [call] = lambda.commandCalls(InvokeCommand);
    expect(call.args[0].input).toEqual({ FunctionName: FN, InvocationType: "Event", Payload: payload });
    expect(Buffer.from(call.args[0].input.Payload as Uint8Array).toString("hex")).toBe(
      Buffer.from(' {"detail": {"note": "ünï ✓"}}\n').toString("hex"),
    );
    port.destroy();
  });

  it("calls each function in its ARN's region, one cached client per region", async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const port = new LambdaPort({ client: { credentials: CREDENTIALS } });
    await port.invokeAsync("arn:aws:lambda:eu-west-1:111111111111:function:a", utf8("{}"));
    await port.invokeAsync("arn:aws:lambda:eu-west-1:111111111111:function:b", utf8("{}"));
    await port.invokeAsync("arn:aws:lambda:us-east-2:111111111111:function:c", utf8("{}"));
    const clients = lambda.commandCalls(InvokeCommand).map((c) => c.thisValue as LambdaClient);
    expect(clients[0]).toBe(clients[1]);
    expect(clients[2]).not.toBe(clients[0]);
    expect(await Promise.all(clients.map((c) => c.config.region()))).toEqual(["eu-west-1", "eu-west-1", "us-east-2"]);
    port.destroy();
  });

  it("passes a status other than 202 through, and service errors up, for the engine to decide", async () => {
    const port = new LambdaPort({ client: { credentials: CREDENTIALS } });
    lambda
      .on(InvokeCommand)
      .resolvesOnce({ StatusCode: 200 })
      .rejectsOnce(Object.assign(new Error("Rate exceeded"), { name: "TooManyRequestsException" }));
    expect(await port.invokeAsync(FN, utf8("{}"))).toBe(200);
    await expect(port.invokeAsync(FN, utf8("{}"))).rejects.toThrow("Rate exceeded");
    port.destroy();
  });
});

describe("EventBridgePort (SDK request shape)", () => {
  const events = mockClient(EventBridgeClient);
  afterEach(() => events.reset());
  afterAll(() => events.restore());
  const entry = (n: number, extra: Partial<BusEntry> = {}): BusEntry => ({
    source: "acme.orders",
    detailType: "order.placed",
    detail: JSON.stringify({ n }),
    resources: [`arn:aws:s3:::o/${n}`],
    ...extra,
  });

  it("builds one PutEvents entry per event: EventBusName = bus ARN, Source, DetailType, Detail, Resources, Time", async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "a" }, { EventId: "b" }] });
    const port = new EventBridgePort({ client: { credentials: CREDENTIALS } });
    const time = new Date("2025-01-01T10:00:00Z");
    const result = await port.putEvents(BUS, [
      { id: "0", entry: entry(0, { time }) },
      { id: "1", entry: entry(1) },
    ]);
    expect(result).toEqual({ ok: ["0", "1"], failed: [] });
    const [call] = events.commandCalls(PutEventsCommand);
    expect(call.args[0].input).toEqual({
      Entries: [
        {
          EventBusName: BUS,
          Source: "acme.orders",
          DetailType: "order.placed",
          Detail: '{"n":0}',
          Resources: ["arn:aws:s3:::o/0"],
          Time: time,
        },
        {
          EventBusName: BUS,
          Source: "acme.orders",
          DetailType: "order.placed",
          Detail: '{"n":1}',
          Resources: ["arn:aws:s3:::o/1"],
        },
      ],
    });
    expect(await (call.thisValue as EventBridgeClient).config.region()).toBe("eu-west-1");
    port.destroy();
  });

  it("per-entry ErrorCode fails that entry only (retryable or not by code); an entry the response leaves out is neither", async () => {
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 2,
      Entries: [
        { EventId: "a" },
        { ErrorCode: "InternalFailure", ErrorMessage: "try again" },
        { EventId: "c" },
        { ErrorCode: "MalformedDetail", ErrorMessage: "bad detail" },
      ],
    });
    const port = new EventBridgePort({ client: { credentials: CREDENTIALS } });
    const result = await port.putEvents(
      BUS,
      [0, 1, 2, 3, 4].map((n) => ({ id: String(n), entry: entry(n) })),
    );
    expect(result).toEqual({
      ok: ["0", "2"],
      failed: [
        { id: "1", code: "InternalFailure", message: "try again", senderFault: false },
        { id: "3", code: "MalformedDetail", message: "bad detail", senderFault: true },
      ],
    });
    port.destroy();
  });

  it("a call that fails as a whole throws (no entry taken as put)", async () => {
    events.on(PutEventsCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    const port = new EventBridgePort({ client: { credentials: CREDENTIALS } });
    await expect(port.putEvents(BUS, [{ id: "0", entry: entry(0) }])).rejects.toThrow("denied");
    port.destroy();
  });
});

describe("endpoints from the standard AWS environment (over HTTP)", () => {
  let server: Server;
  let endpoint: string;
  const requests: { path: string; headers: IncomingMessage["headers"]; body: Buffer }[] = [];
  const saved = { lambda: process.env.AWS_ENDPOINT_URL_LAMBDA, events: process.env.AWS_ENDPOINT_URL_EVENTBRIDGE };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let hex = "";
      req.on("data", (c: Buffer) => (hex += c.toString("hex")));
      req.on("end", () => {
        requests.push({ path: req.url ?? "", headers: req.headers, body: Buffer.from(hex, "hex") });
        if (req.headers["x-amz-target"] === "AWSEvents.PutEvents") {
          res
            .writeHead(200, { "content-type": "application/x-amz-json-1.1" })
            .end(JSON.stringify({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] }));
        } else {
          res.writeHead(202).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.AWS_ENDPOINT_URL_LAMBDA = endpoint;
    process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = endpoint;
  });
  afterAll(async () => {
    for (const [k, v] of [
      ["AWS_ENDPOINT_URL_LAMBDA", saved.lambda],
      ["AWS_ENDPOINT_URL_EVENTBRIDGE", saved.events],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await new Promise((resolve) => server.close(resolve));
  });

  it("LambdaPort sends an Event invoke with the exact payload bytes to AWS_ENDPOINT_URL_LAMBDA", async () => {
    const port = new LambdaPort({ client: { credentials: CREDENTIALS } });
    const body = '{"detail":{"note":"ünï ✓"}}';
    expect(await port.invokeAsync(FN, utf8(body))).toBe(202);
    const req = requests.find((r) => r.path.includes("/invocations"))!;
    expect(req.path).toBe(`/2015-03-31/functions/${encodeURIComponent(FN)}/invocations`);
    expect(req.headers["x-amz-invocation-type"]).toBe("Event");
    expect(req.body.toString("hex")).toBe(Buffer.from(body, "utf8").toString("hex"));
    expect(req.headers.authorization).toContain("/eu-west-1/lambda/");
    port.destroy();
  });

  it("EventBridgePort sends PutEvents to AWS_ENDPOINT_URL_EVENTBRIDGE", async () => {
    const port = new EventBridgePort({ client: { credentials: CREDENTIALS } });
    const result = await port.putEvents(BUS, [
      { id: "0", entry: { source: "acme.orders", detailType: "order.placed", detail: "{}", resources: [] } },
    ]);
    expect(result).toEqual({ ok: ["0"], failed: [] });
    const req = requests.find((r) => r.headers["x-amz-target"] === "AWSEvents.PutEvents")!;
    expect(JSON.parse(req.body.toString()).Entries[0]).toMatchObject({
      EventBusName: BUS,
      Source: "acme.orders",
      DetailType: "order.placed",
      Detail: "{}",
    });
    port.destroy();
  });
});
