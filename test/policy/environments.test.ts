import { checkStacks, formatFinding, formatReport, idleRules } from "../../policy/engine";
import type { TerraformJson } from "../../policy/terraform-json";
import { synthEnvironments } from "../helpers/synth";

// Every rule over every environment's synthesized stack, with the project's waivers (policy/waivers.ts).
const stacks: Record<string, TerraformJson> = Object.fromEntries(Object.entries(synthEnvironments()).map(([name, text]) => [name, JSON.parse(text)]));
const report = checkStacks(stacks);

describe("policy checks on the environment stacks", () => {
  afterAll(() => {
    // The waivers in force are part of the check output.
    if (report.waived.length > 0) process.stdout.write(`${formatReport(report)}\n`);
  });

  it("checks every environment and its bootstrap stack", () => {
    expect(report.stacks).toEqual(["dev", "dev-bootstrap", "prod", "prod-bootstrap", "staging", "staging-bootstrap"]);
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
  });
});
