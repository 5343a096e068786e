import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { Annotations, App, Lazy, TerraformStack, Token } from "cdktf";

// The two things that make `npm run synth` fast beyond bundling (docs/benchmarks.md, Synth), tested for what they
// must not break: cdktf's ARCHIVE assets and every real error's stack trace.
const { cdktfPrivateFs, patchPrivateFs } = require("../../scripts/cdktf-private-fs.cjs");
const { skipTokenStackTraces } = require("../../scripts/token-stack-traces.cjs");

const ROOT = join(__dirname, "..", "..");
const PRIVATE_FS = require.resolve("cdktf/lib/private/fs.js", { paths: [ROOT] });

describe("the app bundle's copy of cdktf's lib/private/fs.js (scripts/cdktf-private-fs.cjs)", () => {
  it("zips an ARCHIVE asset with the real file as the child process, and loads archiver only when zipping", async () => {
    const dir = mkdtempSync(join(tmpdir(), "private-fs-"));
    const bundleDir = join(dir, "bundle");
    const src = join(dir, "src");
    mkdirSync(src);
    writeFileSync(join(src, "index.js"), "exports.handler = 1;");
    const entry = join(dir, "entry.js");
    writeFileSync(
      entry,
      [
        `const fs = require(${JSON.stringify(PRIVATE_FS)});`,
        "const before = Object.keys(require.cache).some((k) => /[\\\\/]archiver[\\\\/]/.test(k));",
        "fs.archiveSync(process.argv[2], process.argv[3]);",
        "console.log(JSON.stringify({ before }));",
      ].join("\n"),
    );
    await build({
      entryPoints: [entry],
      outfile: join(bundleDir, "app.cjs"),
      bundle: true,
      platform: "node",
      format: "cjs",
      logLevel: "silent",
      plugins: [cdktfPrivateFs(bundleDir)],
    });
    const zip = join(dir, "out.zip");
    const run = spawnSync(process.execPath, [join(bundleDir, "app.cjs"), src, zip], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual({ before: false });
    expect(readFileSync(zip).subarray(0, 2).toString()).toBe("PK");
  });

  it("names the real file relative to the bundle's folder, and refuses a cdktf whose file changed shape", () => {
    const source = readFileSync(PRIVATE_FS, "utf8");
    const bundleDir = join(ROOT, ".build");
    const patched: string = patchPrivateFs(source, PRIVATE_FS, bundleDir);
    expect(patched).not.toContain("${__filename}");
    expect(patched).not.toMatch(/^const archiver = require\("archiver"\);$/m);
    const expression = /`node \$\{JSON\.stringify\((.*?)\)\} /.exec(patched)?.[1];
    expect(expression).toBeDefined();
    const resolved = new Function("require", "__dirname", `return ${expression};`)(require, bundleDir);
    expect(resolved).toBe(PRIVATE_FS);
    expect(existsSync(resolved)).toBe(true);
    expect(() => patchPrivateFs(source.replace("${__filename}", "${file}"), PRIVATE_FS, bundleDir)).toThrow(
      /lib[\\/]private[\\/]fs\.js no longer contains `node \$\{__filename\} {2}exactly once: revisit scripts\/cdktf-private-fs\.cjs/,
    );
  });
});

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
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    try {
      const lazy = Lazy.anyValue({ produce: () => 1 }) as unknown as { creationStack: string[] };
      expect(lazy.creationStack.length).toBeGreaterThan(0);
    } finally {
      Error.prepareStackTrace = before;
    }
  });
});
