import { type ITerraformDependable, TerraformProvider, TerraformResource, TerraformStack } from "cdktn";
import type { Construct } from "constructs";

/**
 * hashicorp/time's `time_sleep`, written by hand (two attributes; the provider ships no cdktn bindings here): a wait
 * between resources whose readiness Terraform cannot see, such as an IAM role another service checks when a
 * resource is created (terraform-provider-aws issue #40572: a DynamoDB-stream pipe created right after its role
 * fails with "Cannot access stream ... ensure the customer role can perform actions on source stream"; the issue's
 * workaround is a time_sleep of more than 90 s).
 */

/** The time provider's version this module is tested against (pinned, as every provider here). */
export const TIME_PROVIDER_VERSION = "0.13.1";

class TimeProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: "time",
      terraformGeneratorMetadata: { providerName: "time", providerVersion: TIME_PROVIDER_VERSION },
      terraformProviderSource: "hashicorp/time",
    });
  }
}

/** The stack's one time provider. */
function timeProvider(scope: Construct): TerraformProvider {
  const stack = TerraformStack.of(scope);
  return (
    (stack.node.tryFindChild("time-provider") as TerraformProvider | undefined) ??
    new TimeProvider(stack, "time-provider")
  );
}

/** Props of TimeSleep. */
export interface TimeSleepProps {
  /** Seconds to wait on create. */
  readonly createSeconds: number;
  /** Values whose change makes Terraform wait again (the sleep is replaced): references, resolved by Terraform. */
  readonly triggers: Readonly<Record<string, string>>;
  /** Resources created before the wait starts. */
  readonly dependsOn: ITerraformDependable[];
}

/** A `time_sleep` of `createSeconds` after `dependsOn`, again whenever a trigger changes. */
export class TimeSleep extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: TimeSleepProps,
  ) {
    super(scope, id, {
      terraformResourceType: "time_sleep",
      terraformGeneratorMetadata: { providerName: "time", providerVersion: TIME_PROVIDER_VERSION },
      provider: timeProvider(scope),
      dependsOn: props.dependsOn,
    });
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { create_duration: `${this.props.createSeconds}s`, triggers: { ...this.props.triggers } };
  }
}
