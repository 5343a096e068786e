import { readFileSync } from "node:fs";

/** The package's README names every import path its manifest exports, so a product team finds each module. */
describe("package/README.md", () => {
  it("lists every export of package/package.json as an import path", () => {
    const manifest = JSON.parse(readFileSync("package/package.json", "utf8"));
    const readme = readFileSync("package/README.md", "utf8");
    const paths = Object.keys(manifest.exports)
      .filter((p) => p !== "./package.json")
      .map((p) => (p === "." ? manifest.name : `${manifest.name}/${p.slice(2)}`));
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => !readme.includes(`| \`${p}\` |`))).toEqual([]);
  });
});
