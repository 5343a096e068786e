/** Test support: build the bundles once, run the CLI and the Lambda bundle as child processes. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { awsEnv, type Emulator, startEmulator } from "./fauxqs";

export const ROOT = join(__dirname, "..", "..", "..", "..");
export const CLI = join(ROOT, "dist", "cli", "redrive.cjs");
export const BUNDLE = join(ROOT, "dist", "lambdas", "redrive", "index.js");

/**
 * Builds the Lambda bundles and the CLIs (cached by scripts/build.mjs: fast when up to date); nothing to do in a jest
 * run, whose global setup built them (test/helpers/global-setup.js).
 */
export function buildBundles(): void {
  if (process.env.RESILIENT_EDGE_BUNDLES_BUILT === "1") return;
  execFileSync(process.execPath, [join(ROOT, "scripts", "build.mjs"), "--lambdas-only"], { cwd: ROOT, stdio: "pipe" });
}

/** Result of a finished child process. */
export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts a child; `done` resolves when it exits. */
export function start(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  { cwd = ROOT, node = process.execPath }: { cwd?: string; node?: string } = {},
): { child: ChildProcess; done: Promise<Finished>; stderrText: () => string; stdoutText: () => string } {
  const child = spawn(node, args, { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  if (input !== undefined) child.stdin!.end(input);
  else child.stdin!.end();
  const done = new Promise<Finished>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, stderrText: () => stderr, stdoutText: () => stdout };
}

/** Runs the operator CLI to completion. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: string,
  how?: { cwd?: string; node?: string; cli?: string },
): Promise<Finished> {
  return start([how?.cli ?? CLI, ...args], env, input, how).done;
}

/**
 * The CLI's stderr as JSON objects: every line must be one (the progress bar, drawn only on a
 * terminal, never appears in a child process's piped stderr). Throws naming the first line that is not.
 */
export function stderrJson(text: string): Record<string, any>[] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      try {
        const value = JSON.parse(l);
        if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
        return value;
      } catch {
        throw new Error(`stderr line is not a JSON object: ${JSON.stringify(l)}`);
      }
    });
}

/** JSON lines of a stream, skipping anything that is not JSON. */
export function jsonLines(text: string): Record<string, any>[] {
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l));
}

/** Invokes the built Lambda bundle's handler in a fresh process with `env`; returns its log lines and result or error. */
export async function invokeBundle(
  event: unknown,
  env: NodeJS.ProcessEnv,
): Promise<{ logs: Record<string, any>[]; result?: any; error?: { name: string; message: string } }> {
  const runner = `
    const { handler } = require(${JSON.stringify(BUNDLE)});
    const context = { getRemainingTimeInMillis: () => 60000 };
    handler(JSON.parse(process.argv[1]), context).then(
      (r) => process.stdout.write("RESULT " + JSON.stringify(r) + "\\n"),
      (e) => process.stdout.write("ERROR " + JSON.stringify({ name: e.name, message: e.message }) + "\\n"),
    );`;
  const { stdout, stderr, code } = await start(["-e", runner, JSON.stringify(event)], env).done;
  if (code !== 0) throw new Error(`bundle process exited ${code}: ${stderr}`);
  const lines = stdout.split("\n");
  const resultLine = lines.find((l) => l.startsWith("RESULT "));
  const errorLine = lines.find((l) => l.startsWith("ERROR "));
  return {
    logs: jsonLines(stdout),
    result: resultLine ? JSON.parse(resultLine.slice(7)) : undefined,
    error: errorLine ? JSON.parse(errorLine.slice(6)) : undefined,
  };
}

/**
 * For a describe block that runs the built CLI: builds the bundles and starts the emulator before its
 * tests, stops it after; the returned object's `emu` and `env` (the emulator's AWS environment) are set by then.
 */
export function withCliEmulator(): { emu: Emulator; env: NodeJS.ProcessEnv } {
  const ctx = {} as { emu: Emulator; env: NodeJS.ProcessEnv };
  beforeAll(async () => {
    buildBundles();
    ctx.emu = await startEmulator();
    ctx.env = awsEnv(ctx.emu.endpoint);
  });
  afterAll(() => ctx.emu.stop());
  return ctx;
}

/**
 * The CLI's `main` in this process, with `env` as its environment (and process.env's, which the SDK reads, for the
 * call): for cases whose point is not the process itself; spawning one costs about 0.4 s.
 */
export async function runMainHere(argv: string[], env: NodeJS.ProcessEnv, input = ""): Promise<Finished> {
  const { PassThrough } = await import("node:stream");
  const { main } = await import("../../../../lambdas/redrive/cli");
  const [stdout, stderr, stdin] = [new PassThrough(), new PassThrough(), new PassThrough()];
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  stdin.end(input);
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await main({ argv, env, stdout, stderr, stdin });
    return { code, signal: null, stdout: out, stderr: err };
  } finally {
    process.env = saved;
  }
}
