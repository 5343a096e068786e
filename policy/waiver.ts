/**
 * An explicit exception: one rule, one resource, a reason in code. Waivers live in
 * `policy/waivers.ts`; the engine prints every waiver it applies and fails on a waiver that
 * matches nothing, names an unknown rule, or gives no real reason.
 */
export interface Waiver {
  /** Id of the waived rule. */
  readonly rule: string;
  /** Terraform address of the one resource the waiver covers (`aws_api_gateway_method.health_get`). */
  readonly address: string;
  /** Stack (environment) the waiver is limited to; default every stack that has the address. */
  readonly stack?: string;
  /** Why the finding is acceptable: the risk and what mitigates it (at least 20 characters). */
  readonly reason: string;
}

/** Shortest reason accepted; "n/a" or "ok" is not a reason. */
export const MIN_WAIVER_REASON = 20;
