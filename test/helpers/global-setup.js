// Gives the whole test run one private TMPDIR (cdktf's Testing and the tests write there),
// so global-teardown.js can remove everything they leave behind; and synthesizes the test fixtures'
// environments once for the whole run (the fast synth, `node scripts/synth.mjs`, on test/fixtures/env),
// so test files that only read their Terraform JSON do not each build the same six stacks again
// (test/helpers/synth.ts reads them from FIXTURE_SYNTH_DIR); starts the run's one fauxqs server, which every test
// file's startEmulator() shares (FAUXQS_SHARED_ENDPOINT; global-teardown.js stops it); and builds, once, the bundles
// the test files load or run: cdktn and zod as one file each (jest.config.js), the Lambdas and the CLIs.
const { spawnSync } = require("node:child_process");
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

const { NODE_FLAGS } = require("../../scripts/bundle-runner.cjs");
const { startFauxqsProcess } = require("../lambdas/redrive/support/fauxqs-process.cjs");

const ROOT = join(__dirname, "..", "..");

module.exports = async () => {
  // The system's temporary folder, before the run's own replaces it: caches that outlive a run live there.
  process.env.RESILIENT_EDGE_SYSTEM_TMP ??= tmpdir();
  const dir = mkdtempSync(join(tmpdir(), "resilient-edge-tests-"));
  process.env.RESILIENT_EDGE_TEST_TMP = dir;
  process.env.TMPDIR = dir;
  process.env.CHECKPOINT_DISABLE = "1";
  // Node 22's on-disk compile cache for every Node process the tests start (the CLIs, the Lambda bundles, tsc, synth):
  // each one compiles its bundle from scratch otherwise. Kept between runs, beside the system's temporary files.
  process.env.NODE_COMPILE_CACHE ??= join(process.env.RESILIENT_EDGE_SYSTEM_TMP, "resilient-edge-compile-cache");

  // Started before the synth, so the two start side by side.
  const fauxqs = startFauxqsProcess();
  // Before any test file loads them: the one-file cdktn and zod that jest.config.js maps the package names to, and
  // the Lambda and CLI bundles the tests run (buildBundles() in a test file then has nothing left to check).
  const { buildAll } = await import(pathToFileURL(join(ROOT, "scripts", "build.mjs")).href);
  await buildAll({ app: false, lambdas: true, testDeps: true });
  process.env.RESILIENT_EDGE_BUNDLES_BUILT = "1";
  const outdir = join(dir, "fixture-synth");
  const { BOOTSTRAP_LOCAL_STATE: _local, ...env } = process.env;
  const run = spawnSync(process.execPath, [...NODE_FLAGS, join(ROOT, "scripts", "synth.mjs")], {
    cwd: ROOT,
    env: { ...env, ENV_DIR: join(ROOT, "test", "fixtures", "env"), CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`synthesizing test/fixtures/env failed:\n${run.stdout}${run.stderr}`);
  process.env.FIXTURE_SYNTH_DIR = outdir;
  const server = await fauxqs;
  // Read by global-teardown.js (jest runs both in this process); the workers get the endpoint.
  globalThis.__FAUXQS_SHARED__ = server.child;
  process.env.FAUXQS_SHARED_ENDPOINT = server.endpoint;
};
