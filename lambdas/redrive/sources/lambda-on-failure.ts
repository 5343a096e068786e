import { lambdaFailureDetails, lambdaFailureRecordOf } from "./lambda-failure-record";
import type { FailureSource } from "./failure-source";

/**
 * A Lambda on-failure destination record: the failure in the body (requestContext, responsePayload), no attributes;
 * replayed as the original event (`requestPayload`), text unchanged, to the function it names. A record never carries
 * a redrive-context (Lambda writes it), so it counts as a first redrive.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export const lambdaOnFailureRecord: FailureSource = {
  name: "lambda-on-failure",
  recognise: (msg) => lambdaFailureRecordOf(msg) !== undefined,
  decode: (msg) => ({ info: { ...lambdaFailureDetails(lambdaFailureRecordOf(msg)!), previous: null } }),
  replayBody: (msg) => lambdaFailureRecordOf(msg)!.requestPayload,
};
