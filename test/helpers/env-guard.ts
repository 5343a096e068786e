/**
 * Makes the file reads a test's process could use on env/ fail with a clear message, whoever calls
 * them (the test, buildApp()'s default `envDir`, loadEnvironments, any helper), except in the one
 * smoke test that is about env/. Installed once per worker; the current test file is read at call time.
 */
import fs from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

const ENV_ROOT = resolve(__dirname, "..", "..", "env");
const ALLOWED = [resolve(__dirname, "..", "env-smoke.test.ts")];
const GUARDED = ["readFileSync", "readdirSync", "existsSync", "statSync", "lstatSync", "opendirSync"] as const;
const INSTALLED = Symbol.for("resilient-edge.env-guard");
/** The test file now running: kept on the shared fs module, since every test file has a global object of its own. */
const TEST_PATH = Symbol.for("resilient-edge.env-guard.test-path");

/** True when `path` (a string, URL or Buffer) is env/ or inside it. */
export function isUnderEnv(path: unknown): boolean {
  if (typeof path !== "string" && !(path instanceof URL) && !Buffer.isBuffer(path)) return false;
  const text = path instanceof URL ? path.pathname : String(path);
  if (!text.includes("env")) return false; // the fast path: jest reads every module through these functions
  const rel = relative(ENV_ROOT, resolve(text));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

/** Installs the guard (once per worker) and records the test file this setup runs for. */
export function guardEnvFolder(): void {
  const target = fs as unknown as Record<string | symbol, unknown>;
  target[TEST_PATH] = (globalThis as { expect?: { getState(): { testPath?: string } } }).expect?.getState().testPath;
  if (target[INSTALLED]) return;
  target[INSTALLED] = true;
  for (const name of GUARDED) {
    const original = target[name] as (...args: unknown[]) => unknown;
    target[name] = function guarded(this: unknown, ...args: unknown[]) {
      const test = target[TEST_PATH] as string | undefined;
      if (test && !ALLOWED.includes(test) && isUnderEnv(args[0]))
        throw new Error(
          `tests never read env/ (the platform team's folder; adding an account must keep CI green): ${name}(${String(args[0])}) from ${relative(process.cwd(), test)}. Build environments from test/fixtures/env (FIXTURE_ENV_DIR, writeEnvDir) and pass envDir.`,
        );
      return original.apply(this, args);
    };
  }
}
