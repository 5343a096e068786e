/**
 * `resilient-edge redrive ...`: the redrive CLI as a command of the package's bin, for teams that deploy their own
 * RedriveFunction (and operators without the platform checkout). It runs the CLI bundle the package ships
 * (`dist/cli/redrive.cjs`, everything inside: no dependency beyond the package) as its own process, with this
 * terminal, and exits with its code. Ctrl-C reaches the CLI through the terminal (it stops cleanly; a second quits);
 * SIGTERM and SIGHUP are passed on.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { constants } from "node:os";

/** The bundled CLI, beside this file's folder in the package (policy/ -> dist/cli/). */
export const REDRIVE_CLI = join(__dirname, "..", "dist", "cli", "redrive.cjs");

export function runRedriveCommand(args: readonly string[], cli = REDRIVE_CLI): Promise<number> {
  if (!existsSync(cli)) {
    process.stderr.write(`resilient-edge redrive: the CLI bundle ${cli} is missing from the package: reinstall it\n`);
    return Promise.resolve(2);
  }
  const child = spawn(process.execPath, [cli, ...args], { stdio: "inherit" });
  // The terminal sends Ctrl-C to the CLI too: this process only waits for it to finish.
  process.on("SIGINT", () => undefined);
  for (const sig of ["SIGTERM", "SIGHUP"] as const) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => resolve(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1))),
  );
}
