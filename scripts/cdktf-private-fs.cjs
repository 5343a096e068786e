// An esbuild plugin for the app bundle (scripts/build.mjs), in its own file so a test can run it.
const { readFileSync } = require("node:fs");
const { relative } = require("node:path");

/** The file this plugin rewrites: cdktf's lib/private/fs.js. */
const FILTER = /[\\/]node_modules[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/;

/**
 * cdktf's `lib/private/fs.js` zips an ARCHIVE asset by running itself as a child process (`node ${__filename}`), and
 * requires archiver (about 100 ms of loading) for that child's sake only. Bundled as is, `__filename` would name the
 * app bundle (the child would re-run the whole app) and archiver would load on every synth. So the bundled copy names
 * the real file for the child (relative to the bundle's folder, so a moved checkout still finds it) and loads archiver
 * only if it is called. Throws if cdktf's file changed shape, so a cdktf upgrade cannot silently undo this.
 */
function patchPrivateFs(source, path, bundleDir) {
  const real = `require("node:path").resolve(__dirname, ${JSON.stringify(relative(bundleDir, path))})`;
  const edits = [
    ["`node ${__filename} ", `\`node \${JSON.stringify(${real})} `],
    [
      'const archiver = require("archiver");',
      `const archiver = (...a) => require("node:module").createRequire(${real})("archiver")(...a);`,
    ],
  ];
  let contents = source;
  for (const [from, to] of edits) {
    if (contents.split(from).length !== 2)
      throw new Error(`${path} no longer contains ${from} exactly once: revisit scripts/cdktf-private-fs.cjs`);
    contents = contents.replace(from, to);
  }
  return contents;
}

/** The plugin, for a bundle written into `bundleDir`. */
function cdktfPrivateFs(bundleDir) {
  return {
    name: "cdktf-private-fs",
    setup(build) {
      build.onLoad({ filter: FILTER }, ({ path }) => ({
        contents: patchPrivateFs(readFileSync(path, "utf8"), path, bundleDir),
        loader: "js",
      }));
    },
  };
}

module.exports = { cdktfPrivateFs, patchPrivateFs };
