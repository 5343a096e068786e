import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, type ConfigProblem } from "../../stacks/config/errors";
import { loadEnvironments } from "../../stacks/config/load";

/** A deep copy of the example env/<name>.json, for tests to modify. */
export function exampleConfig(name: "dev" | "staging" | "prod"): Record<string, any> {
  return JSON.parse(readFileSync(join("env", `${name}.json`), "utf8"));
}

/** Writes environment files (name -> object or raw text) into a fresh folder; returns the folder. */
export function writeEnvDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "env-"));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, `${name}.json`), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** Sets a value at a dotted path (`a.b.0.c`) in a config object, creating objects on the way; `undefined` deletes. */
export function setPath(obj: Record<string, any>, path: string, value: unknown): Record<string, any> {
  const parts = path.split(".");
  let cur: any = obj;
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {};
    cur = cur[part];
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return obj;
}

/** Loads environment files (as writeEnvDir takes them), expects a ConfigError, and returns its problems with bare file names. */
export function configProblemsOf(files: Record<string, unknown>): ConfigProblem[] {
  try {
    loadEnvironments(writeEnvDir(files));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => ({ ...p, file: p.file.replace(/^.*\//, "") }));
  }
  throw new Error("expected a ConfigError");
}
