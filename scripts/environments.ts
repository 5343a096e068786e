// The pipeline's environment matrices, from env/ (never a hard-coded list).
//   npx tsx scripts/environments.ts                           JSON: {plan, apply, gated, drift}
//   npx tsx scripts/environments.ts --changed changed.txt     plan only what the listed files (one a line) affect
//   npx tsx scripts/environments.ts --github-output           `<matrix>=<json>` and `<matrix>-any=<true|false>` lines for $GITHUB_OUTPUT
// Bad env files exit 1 with every problem, as synth does.
import { readFileSync } from "node:fs";
import { ConfigError } from "../stacks/config/errors";
import { loadEnvironments } from "../stacks/config/load";
import { pipelineMatrices } from "../stacks/pipeline";

const args = process.argv.slice(2);
const at = args.indexOf("--changed");
const changed = at >= 0 ? readFileSync(args[at + 1], "utf8").split("\n").map((l) => l.trim()).filter(Boolean) : undefined;
try {
  const matrices = pipelineMatrices(loadEnvironments(process.env.ENV_DIR ?? "env"), changed);
  if (args.includes("--github-output")) {
    for (const [name, m] of Object.entries(matrices)) process.stdout.write(`${name}=${JSON.stringify(m)}\n${name}-any=${m.include.length > 0}\n`);
  } else process.stdout.write(`${JSON.stringify(matrices, null, 2)}\n`);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
