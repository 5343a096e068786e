import type { z } from "zod";
import { zodProblems } from "../../modules/shared/zod-problems";

export { describeValue, formatPath } from "../../modules/shared/zod-problems";

/** One thing wrong with one config file: where (file and field path) and what was expected. */
export interface ConfigProblem {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/** Every problem found in the environment configs, reported together. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid environment config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** `env/prod.json: api.tiers.large.throttle.rateLimit: expected a number >= 0, got -5` */
export function formatProblem(p: ConfigProblem): string {
  return `${p.file}: ${p.path || "(root)"}: ${p.message}`;
}

/** Turns zod issues into problems against one file, one per field (the modules' formatter: same message, same path). */
export function problemsFromZod(file: string, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return zodProblems(issues).map((p) => ({ file, ...p }));
}
