import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The folder holding the redrive Lambda bundle shipped with this code: `dist/lambdas/redrive` under
 * the nearest folder above this file that has a package.json, which is the installed package
 * (`node_modules/resilient-edge`), the platform repository, or the folder of an esbuild bundle of
 * an app built inside it. Never the working directory, so an app may synthesize from anywhere.
 */
export function shippedBundleDir(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return join(from, "dist", "lambdas", "redrive");
    dir = parent;
  }
  return join(dir, "dist", "lambdas", "redrive");
}
