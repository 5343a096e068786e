// Starts test/lambdas/redrive/support/fauxqs-server.mjs as a child process and resolves with { child, port, endpoint }
// once it listens. Used by fauxqs.ts (a server of a test file's own) and by test/helpers/global-setup.js (the run's one
// shared server). The server exits when its stdin closes, so it never outlives the process that started it.
const { spawn } = require("node:child_process");
const { join } = require("node:path");

function startFauxqsProcess() {
  const child = spawn(process.execPath, [join(__dirname, "fauxqs-server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let buffer = "";
    const onData = (d) => {
      buffer += d.toString();
      const nl = buffer.indexOf("\n");
      if (nl < 0) return;
      child.stdout.off("data", onData);
      child.off("exit", onExit);
      resolve({ child, ...JSON.parse(buffer.slice(0, nl)) });
    };
    const onExit = (code) => reject(new Error(`fauxqs exited with ${code} before it listened`));
    child.stdout.on("data", onData);
    child.once("exit", onExit);
  });
}

/** Stops a server started above: closes its stdin and waits for it to exit. */
function stopFauxqsProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.stdin.end();
  return exited;
}

module.exports = { startFauxqsProcess, stopFauxqsProcess };
