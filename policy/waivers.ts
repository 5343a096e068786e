import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Waiver } from "./waiver";

/** The env folder the platform synthesizes: `ENV_DIR` (as main.ts reads it), else the project's env/. */
export function platformEnvDir(): string {
  return process.env.ENV_DIR ? resolve(process.env.ENV_DIR) : join(__dirname, "..", "env");
}

/** The platform's stacks: one per <name>.json of `envDir` (a new environment is covered without editing this file). */
export function platformStacks(envDir: string = platformEnvDir()): string[] {
  return readdirSync(envDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/**
 * Every policy exception of the platform's stacks, in one place. Add one entry per (rule, resource):
 *
 *   { rule: "apigw-method-auth", stacks: PLATFORM_STACKS, path: "api/routes/method-health-GET",
 *     reason: "health check for the load balancer; returns a constant, reads no data" },
 *
 * `path` is the resource's construct path inside the stack, as printed by `npm run check` after the
 * address. A waiver that matches no finding in a stack it names fails the check, so stale waivers cannot
 * pile up; a stack it does not name is never touched (checking another app's output ignores these).
 */
export function platformWaivers(envDir: string = platformEnvDir()): Waiver[] {
  const PLATFORM_STACKS = platformStacks(envDir);
  return commonWaivers(PLATFORM_STACKS);
}

function commonWaivers(PLATFORM_STACKS: readonly string[]): Waiver[] {
  return [
    {
      rule: "apigw-method-auth",
      stacks: PLATFORM_STACKS,
      path: "api/routes/method-health-GET",
      reason:
        "GET /health is the uptime probe, declared `public: true` in env/*.json so monitors need no API key; " +
        'its MOCK integration returns a constant {"status":"ok"}, reaches no backend and reads no data, ' +
        "and the stage-wide */* throttle still bounds it",
    },
  ];
}
