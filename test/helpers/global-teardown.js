// Removes the run's private TMPDIR (see global-setup.js), including every cdktf.outdir.* folder.
const { rmSync } = require("node:fs");

module.exports = async () => {
  const dir = process.env.RESILIENT_EDGE_TEST_TMP;
  if (dir) rmSync(dir, { recursive: true, force: true });
};
