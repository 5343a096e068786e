/**
 * The async route's mapping templates, rendered by a Velocity engine (velocityjs) with API
 * Gateway's $input/$util/$context, for real request shapes; the SendMessage request they produce
 * is decoded as SQS decodes it, sent to fauxqs, and read back byte-identical.
 */
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import {
  ACCEPTED_RESPONSE_TEMPLATE,
  REFUSED_RESPONSE_TEMPLATE,
  sendMessageRequestTemplate,
  sqsClientErrorTemplate,
  UNAVAILABLE_RESPONSE_TEMPLATE,
} from "../../../modules/api/sqs-send-templates";
import { createQueue, type Emulator, startEmulator, uniqueName } from "../../lambdas/redrive/support/fauxqs";
import { javaUrlEncode, renderResponse, renderTemplate, type TemplateRequest } from "./support/api-gateway-vtl";
import { decodeSendMessageForm } from "./support/send-message-form";

const template = sendMessageRequestTemplate("POST /orders/{id}");
const MAX_MESSAGE = 1_048_576;

const attrs = (entries: Record<string, string>) =>
  Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, { DataType: "String", StringValue: v }]));

/** Bodies clients send: quotes, backslashes, newlines and tabs, unicode (fauxqs takes the BMP only), VTL-looking text. */
const BODIES: Record<string, string> = {
  "quotes and escapes": '{"note":"she said \\"hi\\" & left; 50% off + tax = ?","path":"C:\\\\temp"}',
  "newlines and tabs": '{\n\t"lines": "one\\ntwo",\r\n  "raw": "a\tb"\n}',
  unicode: '{"name":"Zoë Ångström","city":"東京","price":"€12","rtl":"שלום","sep":"\u2028"}',
  "velocity-looking text": '{"text":"$input.body #set($x = 1) ${context.requestId} #end ## not a comment"}',
};

describe("SendMessage request template", () => {
  const request = (body: string, extra: Partial<TemplateRequest> = {}): TemplateRequest => ({
    body,
    headers: { "Idempotency-Key": "ord-7f3a 2024/01", "Content-Type": "application/json" },
    context: { requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", identity: { apiKeyId: "k9x8y7" } },
    ...extra,
  });

  it.each(Object.entries(BODIES))("%s: the exact SendMessage parameters, body unchanged", (_name, body) => {
    expect(decodeSendMessageForm(renderTemplate(template, request(body)))).toEqual({
      Action: "SendMessage",
      MessageBody: body,
      MessageAttributes: attrs({
        "api-request-id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        "api-route": "POST /orders/{id}",
        "Idempotency-Key": "ord-7f3a 2024/01",
        "api-key-id": "k9x8y7",
      }),
    });
  });

  it("renders one line: every form value is url-encoded, nothing else is emitted", () => {
    const form = renderTemplate(template, request(BODIES["newlines and tabs"]));
    expect(form).not.toMatch(/[\r\n\t ]/);
    expect(form.startsWith(`Action=SendMessage&MessageBody=${javaUrlEncode(BODIES["newlines and tabs"])}&`)).toBe(true);
  });

  it("numbers attributes without gaps when the client sent no Idempotency-Key or used no API key", () => {
    const noKey = decodeSendMessageForm(renderTemplate(template, request("{}", { headers: {} })));
    expect(Object.keys(noKey.MessageAttributes)).toEqual(["api-request-id", "api-route", "api-key-id"]);
    const publicRoute = decodeSendMessageForm(
      renderTemplate(template, request("{}", { context: { requestId: "r", identity: { apiKeyId: "" } } })),
    );
    expect(Object.keys(publicRoute.MessageAttributes)).toEqual(["api-request-id", "api-route", "Idempotency-Key"]);
    const neither = decodeSendMessageForm(
      renderTemplate(template, request("{}", { headers: {}, context: { requestId: "r", identity: {} } })),
    );
    expect(Object.keys(neither.MessageAttributes)).toEqual(["api-request-id", "api-route"]);
  });

  it("finds the Idempotency-Key header whatever its case (HTTP/2 clients send lower case)", () => {
    for (const name of ["idempotency-key", "IDEMPOTENCY-KEY", "Idempotency-Key"]) {
      const form = decodeSendMessageForm(
        renderTemplate(template, request("{}", { headers: { Accept: "*/*", [name]: "k-7" } })),
      );
      expect(form.MessageAttributes["Idempotency-Key"]).toEqual({ DataType: "String", StringValue: "k-7" });
    }
  });

  it("keeps characters above U+FFFF (emoji) intact in the form", () => {
    const body = '{"mood":"😀 🚀"}';
    expect(decodeSendMessageForm(renderTemplate(template, request(body))).MessageBody).toBe(body);
  });
});

describe("over the wire (fauxqs)", () => {
  let emu: Emulator;
  let queueUrl: string;
  beforeAll(async () => {
    emu = await startEmulator();
    ({ url: queueUrl } = await createQueue(emu.sqs, uniqueName("orders-async"), {
      MaximumMessageSize: String(MAX_MESSAGE),
    }));
  });
  afterAll(() => emu?.stop());

  /** Renders, decodes as SQS would, sends, receives; returns what a consumer reads and the 202 body. */
  async function roundTrip(req: TemplateRequest) {
    const { MessageBody, MessageAttributes } = decodeSendMessageForm(renderTemplate(template, req));
    const sent = await emu.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody, MessageAttributes }));
    const got = await emu.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 1,
        MessageAttributeNames: ["All"],
        VisibilityTimeout: 0,
      }),
    );
    const sqsResponse = JSON.stringify({
      SendMessageResponse: {
        ResponseMetadata: { RequestId: "x" },
        SendMessageResult: { MessageId: sent.MessageId, MD5OfMessageBody: sent.MD5OfMessageBody },
      },
    });
    const accepted = JSON.parse(
      renderTemplate(ACCEPTED_RESPONSE_TEMPLATE, { body: sqsResponse, context: req.context }),
    );
    await emu.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }),
    );
    return { message: got.Messages![0], sent, accepted };
  }

  it("every request shape arrives byte-identical with its attributes; the 202 body names the message and request", async () => {
    for (const [name, body] of Object.entries(BODIES)) {
      const { message, sent, accepted } = await roundTrip({
        body,
        headers: { "Idempotency-Key": `key-${name}` },
        context: { requestId: `req-${name}`, identity: { apiKeyId: "k1" } },
      });
      expect(Buffer.from(message.Body!, "utf8").equals(Buffer.from(body, "utf8"))).toBe(true);
      expect(message.MessageAttributes!["Idempotency-Key"].StringValue).toBe(`key-${name}`);
      expect(message.MessageAttributes!["api-route"].StringValue).toBe("POST /orders/{id}");
      expect(accepted).toEqual({ messageId: sent.MessageId, requestId: `req-${name}` });
    }
  });

  it("a body up to the queue's maximum message size arrives whole", async () => {
    const context = { requestId: "req-large", identity: { apiKeyId: "k1" } };
    const probe = decodeSendMessageForm(
      renderTemplate(template, { body: "", headers: { "Idempotency-Key": "big" }, context }),
    );
    let attributeBytes = 0;
    for (const [n, v] of Object.entries(probe.MessageAttributes))
      attributeBytes += Buffer.byteLength(n) + Buffer.byteLength(v.DataType!) + Buffer.byteLength(v.StringValue!);
    const prefix = '{"blob":"';
    const fill = 'ä"x\n€'.repeat(
      Math.floor((MAX_MESSAGE - attributeBytes - prefix.length - 2) / Buffer.byteLength('ä"x\n€')),
    );
    const body = `${prefix}${fill}"}`;
    expect(Buffer.byteLength(body) + attributeBytes).toBeGreaterThan(MAX_MESSAGE - 16);
    expect(Buffer.byteLength(body) + attributeBytes).toBeLessThanOrEqual(MAX_MESSAGE);
    const { message } = await roundTrip({ body, headers: { "Idempotency-Key": "big" }, context });
    expect(Buffer.from(message.Body!, "utf8").equals(Buffer.from(body, "utf8"))).toBe(true);
  });
});

describe("error response templates", () => {
  it("500 and 503 bodies carry the request id and no SQS detail", () => {
    const sqsError = JSON.stringify({
      Error: {
        Code: "AccessDenied",
        Message: "User: arn:aws:sts::111111111111:assumed-role/x is not authorized",
        Type: "Sender",
      },
    });
    for (const t of [REFUSED_RESPONSE_TEMPLATE, UNAVAILABLE_RESPONSE_TEMPLATE]) {
      const out = JSON.parse(renderTemplate(t, { body: sqsError, context: { requestId: "req-err" } }));
      expect(out.requestId).toBe("req-err");
      expect(JSON.stringify(out)).not.toMatch(/AccessDenied|arn:|authorized/);
    }
  });
});

/**
 * SQS's error answers, each through the integration response API Gateway selects for its status
 * (`4\d{2}` or `5\d{2}`, as the module synthesizes them), rendered with `$context.responseOverride`.
 * The JSON-protocol bodies come from the emulator over the wire; the query-protocol bodies (what the
 * route's form-encoded SendMessage gets back with `Accept: application/json`) carry the codes the
 * SDK's model gives each error (`awsQueryError`).
 */
describe("SQS errors mapped by their code", () => {
  const clientError = sqsClientErrorTemplate();
  const queryError = (code: string, message: string) =>
    JSON.stringify({ Error: { Type: "Sender", Code: code, Message: message }, RequestId: "4a9e-sqs" });
  let emu: Emulator;
  const live: Record<string, { status: number; body: string }> = {};

  beforeAll(async () => {
    emu = await startEmulator();
    const { url } = await createQueue(emu.sqs, uniqueName("limited"), { MaximumMessageSize: "1024" });
    // The JSON protocol straight over HTTP, so the emulator's own error bodies are kept as they are.
    const send = async (queueUrl: string, body: string) => {
      const r = await fetch(emu.endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" },
        body: JSON.stringify({ QueueUrl: queueUrl, MessageBody: body }),
      });
      return { status: r.status, body: await r.text() };
    };
    live.invalidContents = await send(
      url,
      '{"note":"\uFFFE\uFFFF"}'.replace(/\\u(\w{4})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))),
    );
    live.tooLarge = await send(url, `{"blob":"${"x".repeat(2000)}"}`);
    live.noQueue = await send(url.replace("limited", "missing"), "{}");
  });
  afterAll(() => emu?.stop());

  /** What the client gets for SQS's answer (status, body): the integration response its status selects, rendered. */
  function clientSees(sqsStatus: number, sqsBody: string) {
    const template = /^4\d{2}$/.test(String(sqsStatus)) ? clientError : UNAVAILABLE_RESPONSE_TEMPLATE;
    const selected = /^4\d{2}$/.test(String(sqsStatus)) ? 500 : 503;
    const r = renderResponse(template, { body: sqsBody, context: { requestId: "req-9" } });
    return { status: r.status ?? selected, headers: r.headers, body: JSON.parse(r.body) };
  }

  it("the emulator's real answers: invalid characters -> 400, over the maximum size -> 413, a missing queue -> 500", () => {
    expect(live.invalidContents.status).toBe(400);
    expect(JSON.parse(live.invalidContents.body).__type).toMatch(/InvalidMessageContents$/);
    expect(clientSees(live.invalidContents.status, live.invalidContents.body)).toMatchObject({
      status: 400,
      headers: {},
    });
    expect(JSON.parse(live.tooLarge.body).message).toContain("Message must be shorter than 1024 bytes");
    expect(clientSees(live.tooLarge.status, live.tooLarge.body)).toMatchObject({ status: 413, headers: {} });
    expect(clientSees(live.noQueue.status, live.noQueue.body)).toMatchObject({ status: 500, headers: {} });
  });

  it.each([
    ["RequestThrottled", 403, 503],
    ["KMS.ThrottlingException", 400, 503],
    ["OverLimit", 403, 503],
    ["InvalidMessageContents", 400, 400],
    ["AWS.SimpleQueueService.InvalidMessageContents", 400, 400],
    ["InvalidParameterValue", 400, 400],
    ["MissingParameter", 400, 400],
    ["AccessDenied", 403, 500],
    ["KMS.DisabledException", 400, 500],
    ["AWS.SimpleQueueService.NonExistentQueue", 400, 500],
  ])("query protocol %s (%i) -> %i", (code, sqsStatus, expected) => {
    const seen = clientSees(sqsStatus, queryError(code, "arn:aws:sqs:eu-west-1:111111111111:orders detail"));
    expect(seen.status).toBe(expected);
    expect(seen.headers).toEqual(expected === 503 ? { "Retry-After": "1" } : {});
    expect(seen.body.requestId).toBe("req-9");
    expect(JSON.stringify(seen.body)).not.toMatch(new RegExp(`${code.replace(/\./g, "\\.")}|arn:|111111111111`));
  });

  it("a body over the queue's maximum (InvalidParameterValue, 'must be shorter than') -> 413, not 400 or 500", () => {
    const body = queryError(
      "InvalidParameterValue",
      "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.",
    );
    expect(clientSees(400, body)).toMatchObject({
      status: 413,
      body: { message: "The request is larger than this route can queue." },
    });
  });

  it("SQS faults (5XX) -> 503 with the retry message; the 202 path is unchanged", () => {
    const fault = JSON.stringify({ Error: { Type: "Receiver", Code: "InternalError", Message: "x" } });
    expect(clientSees(500, fault)).toMatchObject({ status: 503 });
    const accepted = renderResponse(ACCEPTED_RESPONSE_TEMPLATE, {
      body: JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: "m-1" } } }),
      context: { requestId: "req-1" },
    });
    expect(accepted).toEqual({ body: '{"messageId":"m-1","requestId":"req-1"}', status: undefined, headers: {} });
  });
});
