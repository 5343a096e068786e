import { join } from "node:path";
import { App, TerraformStack } from "cdktn";
import { Construct } from "constructs";
import { z } from "zod";

// The tests load cdktn and zod as one file each (scripts/build.mjs TEST_DEPS, mapped in jest.config.js, built by the
// global setup): about 0.2 s of CPU less in every test file that imports them.
const ROOT = join(__dirname, "..", "..");

describe("cdktn and zod as one file each in the tests", () => {
  it("the package names resolve to the bundles", () => {
    expect(require.resolve("cdktn")).toBe(join(ROOT, ".build", "test-deps", "cdktn.cjs"));
    expect(require.resolve("zod")).toBe(join(ROOT, ".build", "test-deps", "zod.cjs"));
  });

  it("one constructs for cdktn and for the code (the bundle leaves it outside): a stack is a Construct", () => {
    const stack = new TerraformStack(new App({ outdir: join(ROOT, ".build", "unused") }), "s");
    expect(stack).toBeInstanceOf(Construct);
    expect(require.resolve("constructs")).toContain(join("node_modules", "constructs"));
  });

  it("the bundles are whole packages: zod parses, cdktn's Testing synthesizes", () => {
    expect(z.object({ a: z.number() }).safeParse({ a: 1 }).success).toBe(true);
    const { Testing } = require("cdktn");
    expect(JSON.parse(Testing.synthScope(() => undefined))).toEqual({});
  });
});
