import { classify, prepareInvoke, prepareReplay, readDeadLetterInfo } from "../../../lambdas/redrive/engine/decide";
import {
  lambdaFailureRecordOf,
  parseLambdaFailureRecord,
  topLevelValueText,
} from "../../../lambdas/redrive/sources/lambda-failure-record";
import type { DlqMessage, FunctionDestination, QueueDestination } from "../../../lambdas/redrive/engine/model";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import { ebAttributes } from "./support/memory-port";

const FN = "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order";
const QUEUE = "https://sqs.eu-west-1.amazonaws.com/111111111111/t-cancel-order-async-failures";
/** The original event as Lambda wrote it into the record: a big integer, an escape, odd spacing. */
const PAYLOAD = '{ "orderId": 12345678901234567890123, "reason": "caf\\u00e9 \\"x\\"", "items": [1, {"a": []}] }';

/** An on-failure record in the shape AWS documents (Lambda developer guide, "Capturing records of asynchronous invocations"). */
function record(
  over: { condition?: string; functionArn?: string; count?: number; errorType?: string | null; payload?: string } = {},
): string {
  const response =
    over.errorType === null
      ? "null"
      : JSON.stringify({
          errorMessage: "order 1 is locked",
          errorType: over.errorType ?? "OrderLockedError",
          stackTrace: ["at cancel (index.js:3)"],
        });
  return `{"version":"1.0","timestamp":"2025-01-02T03:00:00.000Z","requestContext":{"requestId":"e4b46cbf-b738-xmpl-8880-a18cdf61200e","functionArn":${JSON.stringify(over.functionArn ?? `${FN}:$LATEST`)},"condition":${JSON.stringify(over.condition ?? "RetriesExhausted")},"approximateInvokeCount":${over.count ?? 3}},"requestPayload":${over.payload ?? PAYLOAD},"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"responsePayload":${response}}`;
}
const message = (body: string, id = "m-1"): DlqMessage => ({
  messageId: id,
  receiptHandle: `rh-${id}`,
  body,
  attributes: { SentTimestamp: "1735786800000" },
  messageAttributes: {},
});
const options = (extra: Record<string, unknown> = {}) => validateOptions({ queueUrl: QUEUE, ...extra });
const ctx = {
  sourceQueueArn: "arn:aws:sqs:eu-west-1:111111111111:t-cancel-order-async-failures",
  now: new Date("2025-01-02T04:00:00Z"),
  fifoGroupId: "redrive",
};

describe("Lambda on-failure records", () => {
  it("reads condition, function (its :$LATEST dropped), invoke count, error type and message, and the payload's exact text", () => {
    expect(parseLambdaFailureRecord(record())).toEqual({
      condition: "RetriesExhausted",
      functionArn: FN,
      approximateInvokeCount: 3,
      errorType: "OrderLockedError",
      errorMessage: "order 1 is locked",
      requestPayload: PAYLOAD,
    });
    expect(parseLambdaFailureRecord(record({ functionArn: `${FN}:live` }))?.functionArn).toBe(`${FN}:live`);
    // A timeout has no response payload: the function error stands in for the error type.
    expect(parseLambdaFailureRecord(record({ errorType: null, condition: "EventAgeExceeded" }))).toMatchObject({
      errorType: "Unhandled",
      errorMessage: null,
      condition: "EventAgeExceeded",
    });
  });

  it("is not a record: not JSON, an EventBridge event, a record without a function ARN or payload, or a message with EventBridge's attributes", () => {
    expect(parseLambdaFailureRecord("not json")).toBeUndefined();
    expect(
      parseLambdaFailureRecord(JSON.stringify({ version: "0", source: "acme", "detail-type": "x", detail: {} })),
    ).toBeUndefined();
    expect(parseLambdaFailureRecord(record({ functionArn: "cancel-order" }))).toBeUndefined();
    expect(parseLambdaFailureRecord(record().replace('"requestPayload"', '"requestPayloadX"'))).toBeUndefined();
    expect(lambdaFailureRecordOf({ ...message(record()), messageAttributes: ebAttributes(FN) })).toBeUndefined();
  });

  it("slices a top-level member's text exactly, the last one when a key repeats, skipping nested look-alikes", () => {
    expect(
      topLevelValueText('{"a": {"requestPayload": 1}, "requestPayload" : "}\\"{" , "z": 0}', "requestPayload"),
    ).toBe('"}\\"{"');
    expect(topLevelValueText('{"p": 1, "p": [1e400, 2]}', "p")).toBe("[1e400, 2]");
    expect(topLevelValueText('{"p": -1.5e+3}', "p")).toBe("-1.5e+3");
    expect(topLevelValueText('{"q": 1}', "p")).toBeUndefined();
  });

  it("gives the same failure details as an EventBridge dead letter: error type as the code, condition, retries, function as the target", () => {
    expect(readDeadLetterInfo(message(record()))).toEqual({
      info: {
        errorCode: "OrderLockedError",
        errorMessage: "order 1 is locked",
        exhaustedRetryCondition: "RetriesExhausted",
        retryAttempts: 2,
        ruleArn: null,
        targetArn: FN,
        invokeCount: 3,
        previous: null,
      },
    });
  });

  it("routes a record to its function; --error-code selects by error type or condition, --target-arn by function", () => {
    const msg = message(record());
    expect(classify(msg, options())).toMatchObject({ action: "route", route: { kind: "lambda", arn: { raw: FN } } });
    // An error type is the function's own (open-ended), so it is selected only with allowUnknownErrorCodes; any case matches.
    expect(classify(msg, options({ errorCodes: ["orderlockederror"], allowUnknownErrorCodes: true })).action).toBe(
      "route",
    );
    expect(() => options({ errorCodes: ["OrderLockedError"] })).toThrow(
      /errorCodes: unknown error code\(s\) "OrderLockedError"/,
    );
    expect(classify(msg, options({ errorCodes: ["retriesexhausted"] })).action).toBe("route");
    expect(classify(msg, options({ errorCodes: ["EventAgeExceeded", "TIMEOUT"] }))).toMatchObject({
      action: "skip",
      reason: "filtered-error-code",
    });
    expect(classify(msg, options({ targetArn: FN })).action).toBe("route");
    expect(classify(msg, options({ targetArn: `${FN}-other` }))).toMatchObject({
      action: "skip",
      reason: "filtered-target-arn",
    });
    // The condition selects only Lambda records: an EventBridge dead letter is selected by its ERROR_CODE alone.
    const dead = { ...message("{}"), messageAttributes: ebAttributes(FN) };
    expect(
      classify(dead, options({ errorCodes: ["MaximumRetryAttempts"], allowUnknownErrorCodes: true })),
    ).toMatchObject({ action: "skip", reason: "filtered-error-code" });
  });

  it("replays the record's requestPayload, byte for byte, with the failure as the redrive-context", () => {
    const msg = message(record());
    const read = readDeadLetterInfo(msg);
    if (!("info" in read)) throw new Error("expected info");
    const fn: FunctionDestination = { kind: "lambda", functionArn: FN, region: "eu-west-1", maxPayloadSize: 262_144 };
    const invoke = prepareInvoke(msg, read.info, fn, ctx);
    if (invoke.action !== "replay") throw new Error("expected a replay");
    expect(Buffer.from(invoke.payload).toString("utf8")).toBe(PAYLOAD);
    expect(invoke.context).toMatchObject({
      errorCode: "OrderLockedError",
      errorMessage: "order 1 is locked",
      exhaustedRetryCondition: "RetriesExhausted",
      retryAttempts: 2,
      invokeCount: 3,
      targetArn: FN,
      ruleArn: null,
      redriveCount: 1,
    });
    // To an explicit queue (--to): the event as the body, the context as the attribute.
    const queue: QueueDestination = {
      kind: "sqs",
      queueUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/replay",
      queueArn: "arn:aws:sqs:eu-west-1:111111111111:replay",
      fifo: false,
      maxMessageSize: 262_144,
    };
    const replay = prepareReplay(msg, read.info, queue, ctx);
    if (replay.action !== "replay") throw new Error("expected a replay");
    expect(replay.entry.body).toBe(PAYLOAD);
    expect(JSON.parse(replay.entry.messageAttributes["redrive-context"].StringValue!)).toMatchObject({
      errorCode: "OrderLockedError",
      invokeCount: 3,
      targetArn: FN,
    });
  });
});
