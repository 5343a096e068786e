import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import type { TerraformStack } from "cdktf";
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

const built = new Map<string, Map<string, TerraformStack>>();
const texts = new Map<string, string>();

/** Builds every stack of `envDir` once per test file (construction only; each stack is synthesized when first asked for). */
function stacksOf(envDir: string): Map<string, TerraformStack> {
  let stacks = built.get(envDir);
  if (!stacks) {
    const app = buildApp({ envDir, outdir: mkdtempSync(join(tmpdir(), "synth-")) });
    stacks = new Map([...app.stacks, ...app.bootstrap].map((st) => [st.node.id, st]));
    built.set(envDir, stacks);
  }
  return stacks;
}

function synthOne(envDir: string, name: string): string | undefined {
  const key = `${envDir}\0${name}`;
  const hit = texts.get(key);
  if (hit) return hit;
  const stack = stacksOf(envDir).get(name);
  if (!stack) return undefined;
  const text = Testing.synth(stack);
  texts.set(key, text);
  return text;
}

/** Synthesizes every stack of `envDir` (default: the test fixtures; each environment and its bootstrap stack) once per test file; returns each stack's JSON text by name. */
export function synthEnvironments(envDir = FIXTURE_ENV_DIR): Record<string, string> {
  return Object.fromEntries([...stacksOf(envDir).keys()].map((name) => [name, synthOne(envDir, name) as string]));
}

/** Parsed Terraform JSON of one stack (only that stack is synthesized). */
export function environmentJson(name: string, envDir = FIXTURE_ENV_DIR): TerraformJson {
  const text = synthOne(envDir, name);
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
