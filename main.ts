// First: every schema created after this is parsed without zod's compiled fast path (stacks/one-shot-validation.ts).
import "./stacks/one-shot-validation";
import { ConfigError } from "./stacks/config/errors";
import { buildApp } from "./stacks/app";
import { formatSynthReport, synthesizeExactly } from "./stacks/synth-output";
import { PropsError } from "./modules/shared/validation";

/**
 * The cdktf app: one stack per env/<name>.json, written so that the output folder holds exactly
 * these stacks. Bad config exits 1 and leaves no stack behind (not even a previous synth's).
 */
function main(): void {
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  try {
    const stacks = synthesizeExactly(outdir, (stagingDir) =>
      buildApp({
        envDir: process.env.ENV_DIR ?? "env",
        outdir: stagingDir,
        bootstrapLocalState: process.env.BOOTSTRAP_LOCAL_STATE === "1",
      }),
    );
    process.stdout.write(`${formatSynthReport(stacks, outdir, performance.now() / 1000)}\n`);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof PropsError) {
      process.stderr.write(`${err.message}\nNo stack was written (and no earlier output is left in ${outdir}).\n`);
      process.exit(1);
    }
    throw err;
  }
}

main();
