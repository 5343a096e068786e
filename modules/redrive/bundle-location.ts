import { existsSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";

/**
 * The folder holding a Lambda bundle shipped with this code (`redrive`, `consumer`):
 * `dist/lambdas/<name>` under the nearest folder above this file that has a package.json, which is
 * the installed package (`node_modules/resilient-edge`), the platform repository, or the folder of an
 * esbuild bundle of an app built inside it. Never the working directory, so an app may synthesize
 * from anywhere.
 */
export function shippedBundleDir(from: string = __dirname, name = "redrive"): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return join(from, "dist", "lambdas", name);
    dir = parent;
  }
  return join(dir, "dist", "lambdas", name);
}

/** Where a Lambda bundle folder is (`bundleDir` as given, else `fallback()`) and, when it holds no index.js, the problem. */
export function locateBundle(
  bundleDir: unknown,
  fallback: () => string,
): { readonly dir: string; readonly path: string; readonly problems: readonly string[] } {
  // A bundleDir of the wrong type is the schema's problem to report; the fallback stands in meanwhile.
  const dir = typeof bundleDir === "string" ? bundleDir : fallback();
  const path = isAbsolute(dir) ? dir : resolve(dir);
  const found = typeof bundleDir !== "string" && bundleDir !== undefined ? true : existsSync(join(path, "index.js"));
  return {
    dir,
    path,
    problems: found
      ? []
      : [
          `bundleDir: expected the esbuild bundle at ${join(dir, "index.js")}; run \`npm run build\` (npm test and npm run synth build it)`,
        ],
  };
}
