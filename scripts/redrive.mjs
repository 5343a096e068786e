#!/usr/bin/env node
// `npm run redrive -- <args>`: builds the redrive CLI bundle (cached) and runs it with the given
// arguments, passing stdin/stdout/stderr, signals and the exit code through. The wrapper never
// outlives or orphans the CLI: SIGTERM and SIGHUP are forwarded to it (also when this wrapper's
// parent, e.g. npm, goes away), and the wrapper exits only when the CLI has, with its exit code
// (128 + signal number when it died of a signal).
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll } from "./build.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
let child;
let early;
const forward = (sig) => {
  if (child) child.kill(sig);
  else early ??= sig;
};
// Ctrl-C reaches the CLI through the terminal's process group (forwarding it too would count as a
// second Ctrl-C, which quits at once); other termination signals are forwarded.
process.on("SIGINT", () => {
  if (!child) early ??= "SIGINT";
});
for (const sig of ["SIGTERM", "SIGHUP"]) process.on(sig, () => forward(sig));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) forward("SIGTERM");
}, 500).unref();

try {
  // esbuild's own messages would be plain text on stderr, where every line of this tool is JSON.
  await buildAll({ app: false, lambdas: true, logLevel: "silent" });
} catch (err) {
  const message = `building the redrive CLI failed: ${(err.errors ?? []).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}`).join("; ") || err.message}`;
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: "error", event: "redrive.error", message })}\n`,
  );
  process.exit(1);
}
if (early) process.exit(128 + constants.signals[early]);
child = spawn(process.execPath, [resolve(root, "dist/cli/redrive.cjs"), ...process.argv.slice(2)], {
  stdio: "inherit",
});
child.on("exit", (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)));
