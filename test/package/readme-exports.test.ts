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

  it("maps every subpath export for node10 resolution too (typesVersions), to the same declarations", () => {
    const manifest = JSON.parse(readFileSync("package/package.json", "utf8"));
    const subpaths = Object.entries(manifest.exports as Record<string, string | { types: string }>)
      .filter(([p, target]) => p !== "." && typeof target === "object")
      .map(([p, target]) => [p.slice(2), [(target as { types: string }).types]]);
    expect(manifest.typesVersions["*"]).toEqual(Object.fromEntries(subpaths));
  });
});
