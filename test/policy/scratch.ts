import type { TerraformStack } from "cdktn";
import { runRule } from "../../policy/engine";
import type { Rule } from "../../policy/rule";
import { StackView, type TerraformJson } from "../../policy/terraform-json";
import { synthScratch } from "../helpers/synth";

/** A finding without the Checkov id, as the rule tests assert it. */
export interface ScratchFinding {
  rule: string;
  stack: string;
  address: string;
  reason: string;
}

/** Synthesizes a scratch stack (stack name "scratch") and returns its Terraform JSON. */
export function scratchJson(build: (stack: TerraformStack) => void): TerraformJson {
  return JSON.parse(synthScratch(build));
}

/** Runs one rule over a scratch stack built by `build`; returns its findings. */
export function findings(rule: Rule, build: (stack: TerraformStack) => void): ScratchFinding[] {
  return runRule(rule, new StackView("scratch", scratchJson(build))).map(({ rule: id, stack, address, reason }) => ({
    rule: id,
    stack,
    address,
    reason,
  }));
}

/** The finding a rule test expects: rule id, the scratch stack, address and exact reason. */
export function finding(rule: Rule, address: string, reason: string): ScratchFinding {
  return { rule: rule.id, stack: "scratch", address, reason };
}
