/**
 * What the game day (lambdas/gameday) and the modules must agree on, in the leaf both import: the tag an experiment
 * template is found by, the extension's default slow poll (faults start up to that late), and how an async route's
 * queue is named when the config names none.
 */

/** The tag a FIS experiment template is found by: `<environment>/<experiment>`. */
export const EXPERIMENT_TAG = "resilient-edge:experiment";

/** The stage a REST API front door deploys when its props name none (the game day builds the stage URL from it). */
export const DEFAULT_API_STAGE = "v1";

/** AWS's default of AWS_FIS_SLOW_POLL_INTERVAL_SECONDS (FIS user guide, "Understanding polling"). */
export const FIS_DEFAULT_SLOW_POLL_SECONDS = 60;

/** The name stem of an async route's queue: `<api>-<path with '-' for '/'>-<method>`, lower case, at most 76 characters. */
export function asyncRouteStem(apiName: string, resourcePath: string, method: string): string {
  const slug = resourcePath === "/" ? "root" : resourcePath.slice(1).replace(/\//g, "-");
  return `${apiName}-${slug}-${method}`
    .replace(/[^A-Za-z0-9_-]/g, "")
    .toLowerCase()
    .slice(0, 76);
}
