// Writes docs/env-reference.md and docs/env.schema.json from the environment schema (npm run docs:env); `--check`
// exits 1 when either is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIELD_MEANINGS } from "../stacks/config/field-meanings";
import { ENV_SCHEMA_FILE, environmentJsonSchema } from "../stacks/config/json-schema";
import { environmentFields, renderEnvironmentReference } from "../stacks/config/reference";

const root = join(__dirname, "..");
const outputs: Array<[string, string]> = [
  ["docs/env-reference.md", renderEnvironmentReference(environmentFields(FIELD_MEANINGS))],
  [ENV_SCHEMA_FILE, `${JSON.stringify(environmentJsonSchema(FIELD_MEANINGS), null, 2)}\n`],
];
const read = (file: string) => {
  try {
    return readFileSync(join(root, file), "utf8");
  } catch {
    return "";
  }
};
if (process.argv.includes("--check")) {
  const stale = outputs.filter(([file, text]) => read(file) !== text).map(([file]) => file);
  if (stale.length > 0) {
    process.stderr.write(`${stale.join(", ")} stale: run \`npm run docs:env\`\n`);
    process.exit(1);
  }
} else {
  for (const [file, text] of outputs) {
    writeFileSync(join(root, file), text);
    process.stdout.write(`wrote ${file} (${text.split("\n").length} lines)\n`);
  }
}
