// Jest reporter: after the run, the ten slowest test files (wall time of each file in its worker), so a suite that
// grows past the 60 s budget of `npm test` names its cause.
const { relative } = require("node:path");

class SlowestFiles {
  constructor(globalConfig) {
    this.root = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({ file: relative(this.root, r.testFilePath), ms: r.perfStats.end - r.perfStats.start }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    if (files.length === 0) return;
    const width = Math.max(...files.map((f) => f.file.length));
    const lines = files.map((f) => `  ${f.file.padEnd(width)}  ${(f.ms / 1000).toFixed(1).padStart(5)} s`);
    process.stdout.write(`\nSlowest test files:\n${lines.join("\n")}\n`);
  }
}

module.exports = SlowestFiles;
