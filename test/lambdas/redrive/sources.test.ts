import type { DlqMessage } from "../../../lambdas/redrive/engine/model";
import { CONTEXT_ATTRIBUTE, FAILURE_SOURCES, sourceOf } from "../../../lambdas/redrive/sources";
import { ebAttributes } from "./support/memory-port";

const FN = "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order";
const RECORD = `{"requestContext":{"functionArn":"${FN}","condition":"RetriesExhausted","approximateInvokeCount":3},"requestPayload":{"id": 1},"responsePayload":{"errorType":"Locked","errorMessage":"locked"}}`;

const message = (body: string, messageAttributes: DlqMessage["messageAttributes"] = {}): DlqMessage => ({
  messageId: "m-1",
  receiptHandle: "rh-1",
  body,
  attributes: {},
  messageAttributes,
});

describe("failure sources", () => {
  it("each dead letter is recognised by its own source, decoded with its error context, replayed as its original", () => {
    const eb = message('{"detail":{}}', ebAttributes("arn:aws:sqs:eu-west-1:111111111111:orders", "TIMEOUT"));
    expect(sourceOf(eb).name).toBe("eventbridge-target-dlq");
    expect(sourceOf(eb).decode(eb)).toMatchObject({ info: { errorCode: "TIMEOUT", previous: null } });
    expect(sourceOf(eb).replayBody(eb)).toBe('{"detail":{}}');

    const lambda = message(RECORD);
    expect(sourceOf(lambda).name).toBe("lambda-on-failure");
    expect(sourceOf(lambda).decode(lambda)).toMatchObject({ info: { errorCode: "Locked", targetArn: FN } });
    expect(sourceOf(lambda).replayBody(lambda)).toBe('{"id": 1}');

    const context = JSON.stringify({ redriveCount: 2, originalMessageId: "m-0", errorCode: "TIMEOUT", targetArn: FN });
    const again = message("{}", { [CONTEXT_ATTRIBUTE]: { DataType: "String", StringValue: context } });
    expect(sourceOf(again).name).toBe("sqs-dlq");
    expect(sourceOf(again).decode(again)).toMatchObject({
      info: { errorCode: "TIMEOUT", targetArn: FN, previous: { redriveCount: 2, originalMessageId: "m-0" } },
    });
  });

  it("EventBridge's attributes win over a body shaped like a Lambda record (the event itself may be one)", () => {
    const eb = message(RECORD, ebAttributes("arn:aws:sqs:eu-west-1:111111111111:orders"));
    expect(sourceOf(eb).name).toBe("eventbridge-target-dlq");
    expect(sourceOf(eb).replayBody(eb)).toBe(RECORD);
  });

  it("an unreadable redrive-context is an error, not a first redrive (the cap cannot be bypassed)", () => {
    const bad = message("{}", { [CONTEXT_ATTRIBUTE]: { DataType: "String", StringValue: "{" } });
    expect(sourceOf(bad).decode(bad)).toEqual({ error: expect.stringContaining(`unreadable ${CONTEXT_ATTRIBUTE}`) });
  });

  it("lists the catch-all plain SQS source last", () => {
    expect(FAILURE_SOURCES.map((s) => s.name)).toEqual([
      "pipe-stream-failure",
      "lambda-on-failure",
      "eventbridge-target-dlq",
      "sqs-dlq",
    ]);
  });
});
