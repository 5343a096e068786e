// Gives the whole test run one private TMPDIR (cdktf's Testing and the tests write there),
// so global-teardown.js can remove everything they leave behind.
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

module.exports = async () => {
  const dir = mkdtempSync(join(tmpdir(), "resilient-edge-tests-"));
  process.env.RESILIENT_EDGE_TEST_TMP = dir;
  process.env.TMPDIR = dir;
  process.env.CHECKPOINT_DISABLE = "1";
};
