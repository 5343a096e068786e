import type { StackView } from "./terraform-json";

/** What a rule found wrong with one resource (or provider/backend block). */
export interface Violation {
  /** Terraform address: `aws_sqs_queue.orders-dlq`, `provider.aws`, `terraform.backend.s3`. */
  readonly address: string;
  /** Why it fails, naming the argument and the value expected. */
  readonly reason: string;
}

/** One policy check over a synthesized stack. Rules are data: the engine runs every rule over every stack. */
export interface Rule {
  /** Stable id, used in output and waivers (`sqs-encrypted`). */
  readonly id: string;
  /** The equivalent Checkov check id, when there is one. */
  readonly checkov?: string;
  /** One line: what the rule requires. */
  readonly meaning: string;
  /** Terraform resource types (or `provider.aws`, `terraform.backend`) the rule judges. */
  readonly kinds: readonly string[];
  /** Every violation in the stack; empty when it passes. */
  check(stack: StackView): Violation[];
  /**
   * How many things the rule judged in the stack, when it judges only some resources of its kinds
   * (idle detection must not count what the rule skips); default every resource of its kinds.
   */
  judged?(stack: StackView): number;
}

/** A violation with the rule and stack it belongs to. */
export interface Finding extends Violation {
  readonly rule: string;
  readonly checkov?: string;
  readonly stack: string;
  /** Construct path of the resource inside the stack (`api/routes/method-health-GET`), when the JSON carries cdktf metadata. */
  readonly path?: string;
}
