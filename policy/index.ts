/**
 * The policy check as a library (`resilient-edge/policy`): run the rules over synthesized stacks in
 * your own tests. The same engine backs the `resilient-edge check` command.
 * @module @acme/resilient-edge/policy
 */
export { readSynthOutput, reportJson, SynthOutputError } from "./cli";
export {
  type CheckOptions,
  checkStacks,
  formatFinding,
  formatReport,
  idleRules,
  type PolicyReport,
  passed,
  type WaivedFinding,
} from "./engine";
export type { Finding, Rule, Violation } from "./rule";
export { RULES } from "./rules";
export { StackView, type TerraformJson, type TfProvider, type TfReference, type TfResource } from "./terraform-json";
export type { Waiver } from "./waiver";
export { readWaiverFile, WaiverFileError } from "./waiver-file";
