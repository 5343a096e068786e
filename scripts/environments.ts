// The pipeline's environment matrices, from env/ (never a hard-coded list).
//   npx tsx scripts/environments.ts                           JSON: {plan, apply, gated, drift}
//   npx tsx scripts/environments.ts --changed changed.txt     plan only what the listed files (one a line) affect
//   npx tsx scripts/environments.ts --github-output           `<matrix>=<json>` and `<matrix>-any=<true|false>` lines for $GITHUB_OUTPUT
//   npx tsx scripts/environments.ts --changed f --notices     `::notice::` lines for the affected environments a pull request does not plan
// ENV_DIR overrides the env folder. Bad env files exit 1 with every problem, as synth does.
import { readFileSync } from "node:fs";
import { ConfigError } from "../stacks/config/errors";
import { loadEnvironments } from "../stacks/config/load";
import { pipelineMatrices, pullRequestNotices } from "../stacks/pipeline";

/** Runs the script; returns the exit code. */
export function main(
  argv: readonly string[],
  envDir: string,
  out: (text: string) => void,
  err: (text: string) => void,
): number {
  const at = argv.indexOf("--changed");
  try {
    const changed =
      at >= 0
        ? readFileSync(argv[at + 1], "utf8")
            .split("\n")
            .map((l) => l.trim())
            .filter(Boolean)
        : undefined;
    const envs = loadEnvironments(envDir);
    if (argv.includes("--notices")) {
      for (const line of pullRequestNotices(envs, changed)) out(`${line}\n`);
      return 0;
    }
    const matrices = pipelineMatrices(envs, changed);
    if (argv.includes("--github-output")) {
      for (const [name, m] of Object.entries(matrices))
        out(`${name}=${JSON.stringify(m)}\n${name}-any=${m.include.length > 0}\n`);
    } else out(`${JSON.stringify(matrices, null, 2)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) err(`${e.message}\n`);
    else if ((e as NodeJS.ErrnoException).code === "ENOENT" && at >= 0) err(`--changed: cannot read ${argv[at + 1]}\n`);
    else throw e;
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(
    process.argv.slice(2),
    process.env.ENV_DIR ?? "env",
    (t) => process.stdout.write(t),
    (t) => process.stderr.write(t),
  );
}
