import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { buildApp } from "../../stacks/app";
import { FIXTURE_ENV_DIR } from "./env-fixtures";

/** Synthesized Terraform JSON of one stack. */
export type TerraformJson = {
  terraform: Record<string, any>;
  provider: Record<string, any[]>;
  resource: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, { value: unknown; description?: string }>;
  variable?: Record<string, any>;
};

const cache = new Map<string, Record<string, string>>();

/** Synthesizes every environment in `envDir` (default: the test fixtures) once per test file; returns each stack's JSON text by name. */
export function synthEnvironments(envDir = FIXTURE_ENV_DIR): Record<string, string> {
  const hit = cache.get(envDir);
  if (hit) return hit;
  const { stacks, bootstrap } = buildApp({ envDir, outdir: mkdtempSync(join(tmpdir(), "synth-")) });
  const out: Record<string, string> = {};
  for (const stack of [...stacks, ...bootstrap]) out[stack.node.id] = Testing.synth(stack);
  cache.set(envDir, out);
  return out;
}

/** Parsed Terraform JSON of one environment's stack. */
export function environmentJson(name: string, envDir = FIXTURE_ENV_DIR): TerraformJson {
  const text = synthEnvironments(envDir)[name];
  if (!text) throw new Error(`no stack named ${name} in ${envDir}`);
  return JSON.parse(text);
}

/** Synthesizes a scratch stack built by `build`, for testing one construct on its own. */
export function synthScratch(build: (stack: TerraformStack) => void): string {
  return Testing.synthScope((scope: Construct) => {
    build(scope as TerraformStack);
  });
}

/** Every resource of one type in a stack's JSON, keyed by logical id. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any> {
  return json.resource[type] ?? {};
}

/** Reads a JSON file (for asserting on files a synth wrote). */
export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, "utf8"));
}
