/** The names a saga's definition gives its states, and the key of a step in the execution's data. Pure. */

/** Fixed states, and the prefixes of per-step ones: a step name may be none of these. */
/** The ending of a saga's needs-a-human queue's name (`<saga>-needs-a-human`): what a diagram draws as its failure path. */
export const NEEDS_A_HUMAN_SUFFIX = "-needs-a-human";

export const SAGA_STATES = {
  begin: "Begin",
  done: "Done",
  failed: "Saga failed",
  human: "Needs a human",
  compensationFailed: "Compensation failed",
} as const;
export const STATE_PREFIXES = { failedAt: "Failed at ", undo: "Undo ", undone: "Undone " } as const;

/** A step's key in `$.results` and `$.saga.undone` (letters, digits and '_'). */
export function stepKey(name: string): string {
  return name.replace(/[^A-Za-z0-9]+/g, "_");
}
