import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack } from "cdktn";
import { formatSynthReport, synthesizeExactly } from "../../stacks/synth-output";

/** A folder that looks like an earlier synth: stacks a, gone, and a's terraform working files. */
function previousOutput(): string {
  const outdir = join(mkdtempSync(join(tmpdir(), "synth-out-")), "cdktf.out");
  for (const name of ["a", "gone"]) {
    mkdirSync(join(outdir, "stacks", name, ".terraform"), { recursive: true });
    writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "{}");
  }
  writeFileSync(join(outdir, "stacks", "a", ".terraform.lock.hcl"), "# lock");
  writeFileSync(join(outdir, "manifest.json"), "{}");
  return outdir;
}

const app = (dir: string, names: string[]) => {
  const a = new App({ outdir: dir });
  for (const n of names) new TerraformStack(a, n);
  return a;
};

describe("synthesizeExactly", () => {
  it("replaces the output with exactly this run's stacks, keeping Terraform's working files of the stacks that remain", () => {
    const outdir = previousOutput();
    const stacks = synthesizeExactly(outdir, (dir) => ({
      app: app(dir, ["a", "b"]),
      targets: new Map([["a", { account: "111111111111", region: "eu-west-1" }]]),
    }));
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["a", "b"]);
    expect(existsSync(join(outdir, "stacks", "a", ".terraform"))).toBe(true);
    expect(existsSync(join(outdir, "stacks", "a", ".terraform.lock.hcl"))).toBe(true);
    expect(stacks).toEqual([
      { name: "a", account: "111111111111", region: "eu-west-1", resources: 0 },
      { name: "b", account: "-", region: "-", resources: 0 },
    ]);
    expect(readdirSync(join(outdir, ".."))).toEqual(["cdktf.out"]);
  });

  it("any failure (not only bad config) removes the previous stacks and manifest, and leaves no temporary folder", () => {
    const outdir = previousOutput();
    expect(() =>
      synthesizeExactly(outdir, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(existsSync(join(outdir, "stacks"))).toBe(false);
    expect(existsSync(join(outdir, "manifest.json"))).toBe(false);
    expect(readdirSync(join(outdir, ".."))).toEqual(["cdktf.out"]);
  });

  it("reports one line per stack and the total", () => {
    const text = formatSynthReport(
      [
        { name: "dev", account: "111111111111", region: "eu-west-1", resources: 96 },
        { name: "dev-bootstrap", account: "111111111111", region: "eu-west-1", resources: 14 },
      ],
      "cdktf.out",
      0.5,
    );
    expect(text.split("\n")).toEqual([
      "dev            111111111111  eu-west-1         96 resources",
      "dev-bootstrap  111111111111  eu-west-1         14 resources",
      "synthesized 2 stack(s), 110 resources, into cdktf.out/stacks in 0.50 s",
    ]);
  });
});
