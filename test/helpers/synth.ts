import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktn";
import type { Construct } from "constructs";
import type { TerraformStack } from "cdktn";
import type { buildApp as BuildApp } from "../../stacks/app";
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
    // Required here, not at the top: a file that only reads the fixtures' synthesized JSON does not load every module.
    const { buildApp } = require("../../stacks/app") as { buildApp: typeof BuildApp };
    const app = buildApp({ envDir, outdir: mkdtempSync(join(tmpdir(), "synth-")) });
    stacks = new Map([...app.stacks, ...app.bootstrap].map((st) => [st.node.id, st]));
    built.set(envDir, stacks);
  }
  return stacks;
}

/** The fixtures' stacks as the run's global setup synthesized them (test/helpers/global-setup.js), if it did. */
function fixtureSynthDir(envDir: string): string | undefined {
  const dir = process.env.FIXTURE_SYNTH_DIR;
  return envDir === FIXTURE_ENV_DIR && dir && existsSync(join(dir, "stacks")) ? join(dir, "stacks") : undefined;
}

/** What Testing.synth returns for a stack, from the cdk.tf.json the app wrote: keys sorted, "//" metadata removed. */
function asTestingSynth(file: string): string {
  const clean = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(clean);
    if (item === null || typeof item !== "object") return item;
    const entries = Object.entries(item)
      .filter(([key]) => key !== "//")
      .sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(entries.map(([key, value]) => [key, clean(value)]));
  };
  return JSON.stringify(clean(JSON.parse(readFileSync(file, "utf8"))), null, 2);
}

function synthOne(envDir: string, name: string): string | undefined {
  const key = `${envDir}\0${name}`;
  const hit = texts.get(key);
  if (hit) return hit;
  const synthesized = fixtureSynthDir(envDir);
  let text: string | undefined;
  if (synthesized) {
    const file = join(synthesized, name, "cdk.tf.json");
    text = existsSync(file) ? asTestingSynth(file) : undefined;
  } else {
    const stack = stacksOf(envDir).get(name);
    text = stack ? Testing.synth(stack) : undefined;
  }
  if (text !== undefined) texts.set(key, text);
  return text;
}

/** The stack names of `envDir`: each environment and its bootstrap stack. */
function stackNames(envDir: string): string[] {
  const synthesized = fixtureSynthDir(envDir);
  return synthesized ? readdirSync(synthesized).sort() : [...stacksOf(envDir).keys()];
}

/** Synthesizes every stack of `envDir` (default: the test fixtures, synthesized once per run; each environment and its bootstrap stack) once per test file; returns each stack's JSON text by name. */
export function synthEnvironments(envDir = FIXTURE_ENV_DIR): Record<string, string> {
  return Object.fromEntries(stackNames(envDir).map((name) => [name, synthOne(envDir, name) as string]));
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
