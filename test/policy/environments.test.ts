import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSynthOutput } from "../../policy/cli";
import { checkStacks, formatFinding, formatReport, idleRules } from "../../policy/engine";
import { WAIVERS } from "../../policy/waivers";
import { buildApp } from "../../stacks/app";

// Every rule over every environment's stack as `cdktf synth` writes it (construct paths included, which the
// waivers name), with the platform's waivers (policy/waivers.ts).
const outdir = mkdtempSync(join(tmpdir(), "policy-envs-"));
buildApp({ outdir }).app.synth();
const report = checkStacks(readSynthOutput(outdir), { waivers: WAIVERS });

describe("policy checks on the environment stacks", () => {
  afterAll(() => {
    // The waivers in force are part of the check output.
    if (report.waived.length > 0) process.stdout.write(`${formatReport(report)}\n`);
  });

  it("checks every environment", () => {
    expect(report.stacks).toEqual(["dev", "prod", "staging"]);
  });

  it("no stack has a finding that is not waived", () => {
    expect(report.findings.map(formatFinding)).toEqual([]);
  });

  it("every rule judges at least one resource across dev, staging and prod (none passes vacuously)", () => {
    // environment-mutations.test.ts proves each rule also catches a broken property of these stacks.
    expect(idleRules(report).map((r) => `${r.id} (${r.kinds.join(", ")})`)).toEqual([]);
  });

  it("every waiver is explained and matches a finding", () => {
    expect(report.waiverErrors).toEqual([]);
    expect(report.notApplicable).toEqual([]);
  });
});
