import { describeRange, streamFailureOf } from "../outbox/stream-failure";
import type { FailureSource } from "./failure-source";

/**
 * An outbox pipe's stream failure record (../outbox/stream-failure.ts): the body names the pipe and a range of stream
 * records, not the records. The pipe is the target: the engine reads the pipe's filter and template, reads the range
 * back from the stream and puts its events on the pipe's bus (../outbox/replay-range.ts). Pipes write it, so it never
 * carries a redrive-context.
 */
export const pipeStreamFailure: FailureSource = {
  name: "pipe-stream-failure",
  recognise: (msg) => streamFailureOf(msg) !== undefined,
  decode: (msg) => {
    const f = streamFailureOf(msg)!;
    return {
      info: {
        errorCode: f.condition,
        errorMessage: `the pipe gave up on ${describeRange(f)}`,
        exhaustedRetryCondition: f.condition,
        retryAttempts: null,
        ruleArn: null,
        targetArn: f.pipeArn,
        previous: null,
      },
    };
  },
  replayBody: (msg) => msg.body,
};
