/**
 * An explicit exception: one rule, one resource, named stacks, a reason in code. The platform's
 * waivers live in `policy/waivers.ts`; another app passes its own file (`resilient-edge check
 * --waivers <file>`). The engine prints every waiver it applies and fails on a waiver that matches
 * nothing in a stack it names, names an unknown rule, or gives no real reason. A waiver never
 * applies to a stack it does not name, so one app's waivers cannot touch another app's stacks.
 */
export interface Waiver {
  /** Id of the waived rule. */
  readonly rule: string;
  /** Stacks (cdktf stack names) the waiver covers; at least one. */
  readonly stacks: readonly string[];
  /**
   * Construct path of the one resource inside the stack (`api/routes/method-health-GET`), as the check prints it after
   * the address; for a provider or backend block, which has no construct path, its address (`provider.aws`).
   */
  readonly path: string;
  /** Why the finding is acceptable: the risk and what mitigates it (at least 20 characters). */
  readonly reason: string;
}

/** Shortest reason accepted; "n/a" or "ok" is not a reason. */
export const MIN_WAIVER_REASON = 20;
