import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
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

const { KEY_LENGTH, NODE_FLAGS, wrapCommonJs } = require("../../scripts/bundle-runner.cjs");
const { toAscii } = require("../../scripts/ascii-bundle.cjs");

describe("the app bundle run with a code cache made after the run (scripts/bundle-runner.cjs)", () => {
  const dir = mkdtempSync(join(tmpdir(), "bundle-runner-"));
  const bundle = join(dir, "app.cjs");
  const cache = join(dir, "app.cjs.v8-cache");
  const runner = join(__dirname, "../../scripts/bundle-runner.cjs");
  /**
   * Runs the bundle as synth.mjs does, in a process of its own (the cache written at its exit): in one process V8's
   * own compilation cache would answer a second compile of the same text and ignore the file.
   */
  const run = () => {
    const code = `const r = require(${JSON.stringify(runner)}).runBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});
      process.stdout.write(JSON.stringify({ state: r.state, exports: r.exports }));`;
    const child = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
    expect(child.stderr).toBe("");
    return JSON.parse(child.stdout) as { state: string; exports: unknown };
  };
  /** A bundle as scripts/build.mjs writes the app: Node's CommonJS wrapper in the file. */
  const writeBundle = (source: string) => writeFileSync(bundle, wrapCommonJs(source));
  beforeEach(() => {
    rmSync(cache, { force: true });
    writeFileSync(join(dir, "sibling.cjs"), "module.exports = 'beside';");
  });

  it("runs the bundle as CommonJS: its own require, module, __filename and __dirname", () => {
    writeBundle(
      "const s = require('./sibling.cjs'); module.exports = { s, f: __filename, d: __dirname, same: exports === module.exports };",
    );
    expect(run().exports).toEqual({ s: "beside", f: bundle, d: dir, same: true });
  });

  it("makes a cache on the first run and uses it on the next, with the same result", () => {
    writeBundle("module.exports = [1, 2, 3].map(function lazy(n) { return n * 2; });");
    const first = run();
    expect([first.state, first.exports]).toEqual(["made", [2, 4, 6]]);
    expect(readFileSync(cache).length).toBeGreaterThan(KEY_LENGTH);
    expect(readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
    const second = run();
    expect([second.state, second.exports]).toEqual(["used", [2, 4, 6]]);
  });

  it("never runs an old cache for a rebuilt bundle of the same length (V8 itself compares only the length)", () => {
    writeBundle("module.exports = 'aaaa';");
    run();
    writeBundle("module.exports = 'bbbb';");
    const rebuilt = run();
    expect([rebuilt.state, rebuilt.exports]).toEqual(["made", "bbbb"]);
  });

  it("a cache V8 refuses (damaged after its key) is made again; the bundle still runs", () => {
    writeBundle("module.exports = 42;");
    run();
    const raw = readFileSync(cache);
    writeFileSync(cache, Buffer.concat([raw.subarray(0, KEY_LENGTH), Buffer.from("not V8's cached data at all")]));
    const remade = run();
    expect([remade.state, remade.exports]).toEqual(["remade", 42]);
    expect(run().state).toBe("used");
  });

  it("a cache path it cannot read or write (a folder there) costs the speed only: the bundle runs, a note says why", () => {
    writeBundle("module.exports = 'ran';");
    mkdirSync(cache);
    try {
      const code = `const r = require(${JSON.stringify(runner)}).runBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});
        process.stdout.write(JSON.stringify(r.exports));`;
      const child = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
      expect([child.status, child.stdout]).toEqual([0, '"ran"']);
      expect(child.stderr).toMatch(
        /^note: the code cache .*app\.cjs\.v8-cache was not written \(.+\); the next synth is slower\n$/,
      );
      expect(readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it("reads a bundle with non-ASCII text as UTF-8, and an ASCII one as the same text", () => {
    writeBundle("module.exports = 'déjà — vu';");
    expect(run().exports).toBe("déjà — vu");
  });

  it("keeps the file's own line numbers in a trace, the wrapper's line counted", () => {
    writeBundle("\n\nmodule.exports = new Error('here').stack;");
    expect(readFileSync(bundle, "utf8").split("\n")[3]).toContain("new Error('here')");
    expect(run().exports).toContain(`${bundle}:4:`);
    expect(run().exports).toContain(`${bundle}:4:`);
  });

  it("refuses a bundle without the wrapper (not built by scripts/build.mjs), naming the file and the fix", () => {
    writeFileSync(bundle, "module.exports = 'plain CommonJS';");
    const code = `require(${JSON.stringify(runner)}).runBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cache)});`;
    const child = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain(`${bundle} was not built by scripts/build.mjs`);
    expect(child.stderr).toContain("npm run build -- --force");
    expect(readdirSync(dir)).not.toContain("app.cjs.v8-cache");
  });
});

describe("the app bundle written as ASCII (scripts/ascii-bundle.cjs)", () => {
  it("escapes what is not ASCII, in comments and anywhere else, without changing what the code means", () => {
    const source = "// a dash — here\nmodule.exports = ['déjà', /é+/.test('éé'), `ü${'ß'}`];";
    const ascii = toAscii(source);
    expect(/^[\x00-\x7f]*$/.test(ascii)).toBe(true);
    expect(ascii).toContain("// a dash \\u2014 here");
    const evaluate = (code: string) => {
      const module = { exports: undefined };
      new Function("module", code)(module);
      return module.exports;
    };
    expect(evaluate(ascii)).toEqual(evaluate(source));
    expect(evaluate(ascii)).toEqual(["déjà", true, "üß"]);
  });

  it("leaves an ASCII bundle as it is", () => {
    const source = "module.exports = 'plain';\n";
    expect(toAscii(source)).toBe(source);
  });
});

describe("zod without compiled fast paths in the synth (stacks/one-shot-validation.ts)", () => {
  it("is main.ts's first import, so it comes before every schema", () => {
    const firstImport = /^import\s[^;]*;/m.exec(readFileSync(join(__dirname, "../../main.ts"), "utf8"))?.[0];
    expect(firstImport).toBe('import "./stacks/one-shot-validation";');
  });

  it("turns zod's jitless on", () => {
    const { z } = require("zod");
    expect(z.config().jitless).not.toBe(true);
    require("../../stacks/one-shot-validation");
    expect(z.config().jitless).toBe(true);
  });
});

describe("what synth builds (scripts/build.mjs targets)", () => {
  const namesOf = (options: string) => {
    const code = `import(${JSON.stringify(join(__dirname, "../../scripts/build.mjs"))}).then((b) =>
      process.stdout.write(JSON.stringify(b.targets(${options}).map((t) => t.name))))`;
    const child = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
    expect(child.stderr).toBe("");
    return JSON.parse(child.stdout) as string[];
  };

  it("synth builds the app and the Lambda bundles, not the operator CLIs (they build themselves when run)", () => {
    const synth = namesOf("{ app: true, lambdas: true, clis: false }");
    expect(synth).toContain("app");
    expect(synth.filter((n) => n.startsWith("lambda:")).sort()).toEqual(["lambda:consumer", "lambda:redrive"]);
    expect(synth.filter((n) => n.startsWith("cli:"))).toEqual([]);
    expect(synth.filter((n) => n.startsWith("test-dep:"))).toEqual([]);
    expect(readFileSync(join(__dirname, "../../scripts/synth.mjs"), "utf8")).toContain(
      "buildAll({ app: true, lambdas: true, clis: false })",
    );
  });

  it("the tests' one-file cdktn and zod are built only when asked for (the global setup does)", () => {
    expect(namesOf("{ app: false, lambdas: false, testDeps: true }")).toEqual(["test-dep:cdktn", "test-dep:zod"]);
    expect(namesOf("{}").filter((n) => n.startsWith("test-dep:"))).toEqual([]);
  });

  it("the tests' build (--lambdas-only) still builds the CLIs with the lambdas", () => {
    expect(
      namesOf("{ app: false, lambdas: true }")
        .filter((n) => n.startsWith("cli:"))
        .sort(),
    ).toEqual(["cli:gameday", "cli:redrive"]);
  });
});

describe("the synth process's V8 flags (NODE_FLAGS in scripts/bundle-runner.cjs)", () => {
  const root = join(__dirname, "../..");
  const command = `node ${NODE_FLAGS.join(" ")} scripts/synth.mjs`;

  it("every command that runs the synth passes them, so all share one code cache (V8 refuses one made under other flags)", () => {
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
    const running = Object.entries(scripts).filter(([, line]) => line.includes("scripts/synth.mjs"));
    expect(running.map(([name]) => name).sort()).toEqual(["diagram", "synth"]);
    for (const [, line] of running) expect(line.startsWith(command)).toBe(true);
    expect(JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app).toBe(command);
  });

  it("keep the young generation small: semi-spaces of at most 2 MB", () => {
    const code =
      "const v8 = require('node:v8'); const keep = []; for (let i = 0; i < 2e5; i++) keep.push({ i });" +
      "process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));";
    const size = (flags: string[]) =>
      Number(spawnSync(process.execPath, [...flags, "-e", code], { encoding: "utf8" }).stdout);
    expect(size(NODE_FLAGS)).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(size([])).toBeGreaterThan(4 * 1024 * 1024);
  });
});
