// Removes the run's private TMPDIR (see global-setup.js), including every cdktf.outdir.* folder.
// Stops the run's shared fauxqs server first.
const { rmSync } = require("node:fs");
const { stopFauxqsProcess } = require("../lambdas/redrive/support/fauxqs-process.cjs");

module.exports = async () => {
  if (globalThis.__FAUXQS_SHARED__) await stopFauxqsProcess(globalThis.__FAUXQS_SHARED__);
  const dir = process.env.RESILIENT_EDGE_TEST_TMP;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
