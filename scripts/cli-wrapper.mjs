// `npm run <cli> -- <args>`: builds the CLI bundles (cached) and runs dist/cli/<name>.cjs with the given arguments,
// passing stdin/stdout/stderr, signals and the exit code through. The wrapper never outlives or orphans the CLI:
// SIGTERM and SIGHUP are forwarded to it (also when this wrapper's parent, e.g. npm, goes away), and the wrapper
// exits only when the CLI has, with its exit code (128 + signal number when it died of a signal).
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll } from "./build.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Runs the CLI `name`; `buildFailed(message)` writes a build failure in the CLI's own format. */
export async function runBundledCli(name, buildFailed) {
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
    // esbuild's own messages would be plain text on stderr, where the CLI may promise JSON.
    await buildAll({ app: false, lambdas: true, logLevel: "silent" });
  } catch (err) {
    buildFailed(
      `building the ${name} CLI failed: ${(err.errors ?? []).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}`).join("; ") || err.message}`,
    );
    process.exit(1);
  }
  if (early) process.exit(128 + constants.signals[early]);
  child = spawn(process.execPath, [resolve(root, `dist/cli/${name}.cjs`), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  child.on("exit", (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)));
}
