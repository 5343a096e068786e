// Writes docs/env-reference.md from the environment schema (npm run docs:env); `--check` exits 1 when it is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIELD_MEANINGS } from "../stacks/config/field-meanings";
import { environmentFields, renderEnvironmentReference } from "../stacks/config/reference";

const target = join(__dirname, "..", "docs", "env-reference.md");
const text = renderEnvironmentReference(environmentFields(FIELD_MEANINGS));
if (process.argv.includes("--check")) {
  const current = (() => {
    try {
      return readFileSync(target, "utf8");
    } catch {
      return "";
    }
  })();
  if (current !== text) {
    process.stderr.write("docs/env-reference.md is stale: run `npm run docs:env`\n");
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote docs/env-reference.md (${text.split("\n").length} lines)\n`);
}
