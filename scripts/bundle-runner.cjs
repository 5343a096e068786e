// Used by scripts/synth.mjs, in its own file so a test can run it.
//
// Runs a CommonJS bundle (the app, .build/app.cjs) with a V8 code cache taken AFTER the run. Node's own compile cache
// (module.enableCompileCache) is made right after compiling, so it holds only the eagerly compiled top level; every
// function V8 compiles lazily (most of cdktn, zod and our constructs) was compiled again on every synth. A cache made
// with vm.Script#createCachedData after the run holds those too: a warm synth went from 0.87 s to 0.75 s (farm-bench,
// 9 pairs; docs/benchmarks.md).
//
// V8 checks a cache against its own version and flags, but against the source only by its LENGTH: a rebuilt bundle of
// the same size would run with the old bundle's code. So the cache file starts with the SHA-1 of the bundle (and the
// Node version) and is used only when that matches.
const { isAscii } = require("node:buffer");
const { createHash } = require("node:crypto");
const { readFileSync, renameSync, writeFileSync, rmSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname } = require("node:path");
const vm = require("node:vm");

/** The cache file's first line: 40 hex digits and a newline. */
const KEY_LENGTH = 41;
/**
 * Node's CommonJS wrapper, written into the bundle by scripts/build.mjs (esbuild's banner and footer): compiled as the
 * file's own text, with no 4 MB string joined (and copied) before every compile, and with every line number in a trace
 * the file's own.
 */
const WRAPPER = { head: "(function (exports, require, module, __filename, __dirname) {", tail: "})" };

/** `source` wrapped as scripts/build.mjs wraps the app: the wrapper's two halves on lines of their own. */
function wrapCommonJs(source) {
  return `${WRAPPER.head}\n${source}\n${WRAPPER.tail}\n`;
}

/**
 * V8 flags for the synth process (package.json's `synth` and `diagram` and cdktf.json's `app` pass them; a test holds
 * them together). Semi-spaces of 2 MB, not up to 16: a synth is one short burst of allocation, and every page of a
 * larger young generation is a page fault the first time it is touched (23,000 of them per synth here, a quarter of
 * its time in the kernel). A synth took 0.92 of the time (farm-bench, 15 pairs; docs/benchmarks.md). V8 refuses a
 * code cache made under other flags, so a process without them makes its own (state "remade"): slower, never wrong.
 */
const NODE_FLAGS = ["--max-semi-space-size=2"];

function cacheKey(bytes) {
  return createHash("sha1").update(bytes).update(process.version).digest("hex");
}

/** The cached code for exactly these bytes, or undefined (no cache, another bundle's, another Node's). */
function readCache(cacheFile, key) {
  let raw;
  try {
    raw = readFileSync(cacheFile);
  } catch {
    // Missing, or not a file we can read (then writing it fails too, and says so): the bundle runs without it.
    return undefined;
  }
  if (raw.length <= KEY_LENGTH || raw.toString("latin1", 0, KEY_LENGTH) !== `${key}\n`) return undefined;
  return raw.subarray(KEY_LENGTH);
}

/** Writes beside, then renames: a synth running at the same time reads the old cache or the new one, never half. */
function writeCache(cacheFile, key, data) {
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    writeFileSync(partial, Buffer.concat([Buffer.from(`${key}\n`, "latin1"), data]));
    renameSync(partial, cacheFile);
  } catch (err) {
    rmSync(partial, { force: true });
    process.stderr.write(
      `note: the code cache ${cacheFile} was not written (${err.message}); the next synth is slower\n`,
    );
  }
}

/**
 * Runs `file` as CommonJS (its own require, module, __filename, __dirname). Returns what became of the cache: "used",
 * "made" (none matched) or "remade" (V8 refused the one that matched). When it was not used, a new one is written at
 * process exit, after everything the bundle did (so it holds every function the run compiled).
 */
function runBundle(file, cacheFile) {
  const bytes = readFileSync(file);
  // An ASCII bundle (scripts/ascii-bundle.cjs makes it so) is read as one-byte text: no UTF-8 decoding, half the memory.
  const source = bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
  if (!source.startsWith(WRAPPER.head)) {
    throw new Error(
      `${file} was not built by scripts/build.mjs (no CommonJS wrapper on its first line): run npm run build -- --force`,
    );
  }
  const key = cacheKey(bytes);
  const cachedData = readCache(cacheFile, key);
  const script = new vm.Script(source, {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const state = !cachedData ? "made" : script.cachedDataRejected ? "remade" : "used";
  if (state !== "used") process.once("exit", () => writeCache(cacheFile, key, script.createCachedData()));
  const module = { exports: {}, id: file, filename: file, loaded: false };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return { state, exports: module.exports };
}

module.exports = { runBundle, wrapCommonJs, WRAPPER, NODE_FLAGS, KEY_LENGTH };
