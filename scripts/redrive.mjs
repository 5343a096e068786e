#!/usr/bin/env node
// `npm run redrive -- <args>`: builds the redrive CLI bundle (cached) and runs it with the given
// arguments, passing stdin/stdout/stderr, signals and the exit code through.
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAll } from "./build.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
await buildAll({ app: false, lambdas: true });
const child = spawn(process.execPath, [resolve(root, "dist/cli/redrive.cjs"), ...process.argv.slice(2)], { stdio: "inherit" });
// Ctrl-C reaches the child through the terminal's process group; forward other termination signals.
for (const sig of ["SIGTERM", "SIGHUP"]) process.on(sig, () => child.kill(sig));
process.on("SIGINT", () => undefined);
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
