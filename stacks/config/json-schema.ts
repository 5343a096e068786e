import { z } from "zod";
import { meaningFor } from "./reference";
import { environmentSchema } from "./schema";

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema document, walked node by node.
type Json = Record<string, any>;

/** Where the schema is, relative to an env file (`"$schema": "../docs/env.schema.json"`). */
export const ENV_SCHEMA_FILE = "docs/env.schema.json";

/**
 * The JSON Schema of `env/<name>.json` (draft 2020-12), generated from the zod schema the config validates with,
 * every field described as docs/env-reference.md describes it: an editor given `"$schema"` completes the fields,
 * shows what each means and flags what the config would refuse by type, range, pattern or unknown key. (Rules
 * between fields and across files are the config's alone: `npm run synth` reports them.)
 */
export function environmentJsonSchema(meanings: Readonly<Record<string, string>>): Json {
  const root = z.toJSONSchema(environmentSchema, { io: "input", unrepresentable: "any" }) as Json;
  describe(root, "", meanings);
  return {
    $schema: root.$schema,
    title: "resilient-edge environment file (env/<name>.json)",
    description: "One environment: its account, state, delivery pipeline and modules. Reference: docs/env-reference.md",
    ...Object.fromEntries(Object.entries(root).filter(([k]) => k !== "$schema")),
  };
}

/** Sets each property's description from the field meanings (a description the schema has already wins). */
function describe(schema: Json, prefix: string, meanings: Readonly<Record<string, string>>): void {
  for (const [key, child] of Object.entries<Json>(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    describeNode(child, path, meanings);
  }
}

function describeNode(node: Json, path: string, meanings: Readonly<Record<string, string>>): void {
  if (node.description === undefined) {
    const meaning = meaningFor(path, meanings);
    if (meaning) node.description = meaning;
  }
  for (const variant of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) {
    const tag = Object.entries<Json>(variant.properties ?? {}).find(([, p]) => p.const !== undefined);
    describe(variant, tag ? `${path}(${tag[0]} "${tag[1].const}")` : path, meanings);
  }
  if (node.type === "object" && node.properties) describe(node, path, meanings);
  else if (node.type === "object" && typeof node.additionalProperties === "object")
    describeNode(node.additionalProperties, `${path}.<key>`, meanings);
  else if (node.type === "array" && typeof node.items === "object") describeNode(node.items, `${path}[]`, meanings);
}
