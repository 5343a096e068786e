import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Annotations, App, Lazy, TerraformStack, Token } from "cdktn";

// What makes `npm run synth` fast beyond bundling (docs/benchmarks.md, Synth), tested for what it must not break:
// every real error's stack trace.
const { skipTokenStackTraces } = require("../../scripts/token-stack-traces.cjs");

describe("token creation traces off in npm run synth (scripts/token-stack-traces.cjs)", () => {
  let restore: () => void;
  beforeEach(() => {
    restore = skipTokenStackTraces();
  });
  afterEach(() => restore());

  it("a token records no creation trace; an Error keeps its message and frames; an annotation keeps its trace", () => {
    const lazy = Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] };
    expect(lazy.creationStack).toEqual([]);
    const reference = Token.asString(Lazy.stringValue({ produce: () => "x" }));
    expect(Token.isUnresolved(reference)).toBe(true);

    const err = new Error("boom");
    expect(err.stack).toMatch(/^Error: boom\n {4}at /);
    expect(err.stack).toContain(__filename);

    const stack = new TerraformStack(new App({ outdir: mkdtempSync(join(tmpdir(), "traces-")) }), "s");
    Annotations.of(stack).addWarning("look here");
    const warning = stack.node.metadata.find((m) => m.data === "look here");
    expect(warning?.trace?.some((line) => line.includes(__filename))).toBe(true);
  });

  it("puts the previous formatter back", () => {
    const installed = Error.prepareStackTrace;
    restore();
    const previous = Error.prepareStackTrace;
    expect(previous).not.toBe(installed);
    restore = skipTokenStackTraces();
    expect(Error.prepareStackTrace).not.toBe(previous);
    restore();
    expect(Error.prepareStackTrace).toBe(previous);
    restore = skipTokenStackTraces();
  });

  it("without it, cdktf records a token's creation trace (what the skip saves)", () => {
    const before = Error.prepareStackTrace;
    const flag = process.env.CDKTN_DISABLE_CREATION_STACK;
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    process.env.CDKTN_DISABLE_CREATION_STACK = "0";
    try {
      const lazy = Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] };
      expect(lazy.creationStack.length).toBeGreaterThan(0);
    } finally {
      Error.prepareStackTrace = before;
      process.env.CDKTN_DISABLE_CREATION_STACK = flag;
    }
  });

  it("uses cdktn's own switch, so a token's trace is not even captured, and puts the switch back as it was", () => {
    restore();
    const outside = process.env.CDKTN_DISABLE_CREATION_STACK;
    delete process.env.CDKTN_DISABLE_CREATION_STACK;
    try {
      const undo = skipTokenStackTraces();
      expect(process.env.CDKTN_DISABLE_CREATION_STACK).toBe("1");
      undo();
      expect(process.env.CDKTN_DISABLE_CREATION_STACK).toBeUndefined();
      process.env.CDKTN_DISABLE_CREATION_STACK = "0";
      skipTokenStackTraces()();
      expect(process.env.CDKTN_DISABLE_CREATION_STACK).toBe("0");
    } finally {
      if (outside === undefined) delete process.env.CDKTN_DISABLE_CREATION_STACK;
      else process.env.CDKTN_DISABLE_CREATION_STACK = outside;
      restore = skipTokenStackTraces();
    }
  });
});
