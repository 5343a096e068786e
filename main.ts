import { ConfigError } from "./stacks/config/errors";
import { buildApp } from "./stacks/app";
import { PropsError } from "./modules/shared/validation";

/** The cdktf app: one stack per env/<name>.json. Bad config exits 1 before anything is written. */
function main(): void {
  try {
    const { app } = buildApp({ envDir: process.env.ENV_DIR ?? "env" });
    app.synth();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof PropsError) {
      process.stderr.write(`${err.message}\nNo stack was written.\n`);
      process.exit(1);
    }
    throw err;
  }
}

main();
