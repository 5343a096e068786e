// Used by scripts/synth.mjs, in its own file so a test can run it.

/**
 * cdktf records where every token was created (a full stack trace, formatted, for each reference and Lazy value): a
 * third of a synth's CPU here, for a text it shows only when a token cannot be resolved. aws-cdk-lib records these
 * only with CDK_DEBUG; `npm run synth` skips them unless CDKTF_TOKEN_STACK_TRACES=1. Traces are captured on plain
 * objects, so only those get an empty trace, except an annotation's (a warning in manifest.json keeps the trace to the
 * construct that warned); every Error keeps Node's own format. Returns a function that puts the previous one back.
 */
function skipTokenStackTraces() {
  // cdktn's own switch: a token's creation stack is not even captured (lib/tokens/private/stack-trace.js reads it at
  // every token's creation). What still captures (construct metadata) is formatted as "" below.
  const flag = process.env.CDKTN_DISABLE_CREATION_STACK;
  process.env.CDKTN_DISABLE_CREATION_STACK ??= "1";
  const own = Error.prepareStackTrace;
  const format = (error, frames) =>
    own ? own(error, frames) : [String(error), ...frames.map((f) => `    at ${f}`)].join("\n");
  Error.prepareStackTrace = (error, frames) => {
    if (error instanceof Error || frames.some((f) => f.getFunctionName() === "addMessage"))
      return format(error, frames);
    return "";
  };
  return () => {
    Error.prepareStackTrace = own;
    if (flag === undefined) delete process.env.CDKTN_DISABLE_CREATION_STACK;
    else process.env.CDKTN_DISABLE_CREATION_STACK = flag;
  };
}

module.exports = { skipTokenStackTraces };
