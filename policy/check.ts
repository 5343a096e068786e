/**
 * The platform's policy check over its own synthesized stacks, with the platform's waivers:
 *
 *   npm run synth && npm run check      check cdktf.out/stacks/<stack>/cdk.tf.json
 *   npm run check -- <outdir>           check another synth output (default cdktf.out)
 *   npm run check -- --json             the report as JSON
 *   npm run check -- --rules            list the rules
 *
 * Prints every finding (rule, stack, resource address and construct path, reason) and every waiver
 * applied. Waivers name their stacks, so on another app's output they never apply (printed as SKIP).
 * Exit code 0 when nothing fails, 1 on findings or bad waivers, 2 when there is nothing to check.
 * Product teams use the package's bin instead: `npx resilient-edge check` (policy/cli.ts).
 */
import { type CheckContext, type CheckIo, PROCESS_IO, runCheck } from "./cli";
import { platformWaivers } from "./waivers";

/** Runs the platform check; returns the exit code. `context` (tests only) replaces the rules or waivers. */
export function main(argv: readonly string[], io: CheckIo = PROCESS_IO, context: CheckContext = {}): number {
  // The platform's waivers (read from env/) only when the caller gives none.
  return runCheck(argv, io, { synthHint: "npm run synth", ...context, waivers: context.waivers ?? platformWaivers() });
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
