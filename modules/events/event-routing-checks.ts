import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { TerraformStack, Token } from "cdktn";
import type { Construct } from "constructs";
import type { SchemaProblem } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import type { EventRoutingProps } from "./event-routing-schema";
import { eventRoutingPropsSchema } from "./event-routing-schema";
import { type EventTargetOptions, targetKind } from "./targets";
import type { StackPlace } from "./targets/target-kind";
import { arnPlaceProblems } from "./targets/util";

/**
 * The rules of EventRoutingProps that need more than one field's value: names the module generates from `namePrefix`
 * and the rule and target names (each kind's service length limits), and ARNs that must be in the stack's region and
 * account (each kind's, and an existing delivery DLQ's). They run on props that passed eventRoutingPropsSchema; the environment config reaches them through
 * `EventRouting.validateProps` with the environment's account and region.
 */

export type { StackPlace };

/**
 * Validates EventRouting props: their structure and values (the schema: every problem at once, as a PropsError of
 * `construct`), then the rules that need the stack's place (`props.region`/`props.accountId` win over `stack`'s).
 */
export function validateEventRoutingProps(construct: string, props: unknown, stack: StackPlace): EventRoutingProps {
  return parseProps(construct, eventRoutingPropsSchema, props, {
    context: (valid) =>
      eventRoutingContextProblems(valid, {
        region: valid.region ?? stack.region,
        accountId: valid.accountId ?? stack.accountId,
      }),
  });
}

/** Region and account of the stack's AWS provider, when they are literals. */
export function literalStackPlace(scope: Construct): StackPlace {
  const provider = TerraformStack.of(scope).node.children.find(
    (c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined,
  );
  const region = provider?.region;
  const accounts = provider?.allowedAccountIds;
  return {
    region: region && !Token.isUnresolved(region) ? region : undefined,
    accountId: accounts?.length === 1 && !Token.isUnresolved(accounts[0]) ? accounts[0] : undefined,
  };
}

/** Every problem of these props that needs the name prefix or the stack's region and account, at props paths. */
export function eventRoutingContextProblems(props: EventRoutingProps, place: StackPlace): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  // Rules can only be created on a bus of their own account and region.
  if (props.eventBus?.kind === "existing")
    problems.push(...arnPlaceProblems(props.eventBus.arn, "eventBus.arn", "an event bus", place));
  for (const [i, rule] of (props.rules ?? []).entries()) {
    for (const [j, t] of rule.targets.entries()) {
      const at = `rules[${i}].targets[${j}]`;
      const kind = targetKind(t.kind);
      const check = { prefix: props.namePrefix, ruleName: rule.name, at, place };
      problems.push(...kind.nameProblems(t, check));
      problems.push(...deadLetterQueuePlaceProblems(t, at, place));
      problems.push(...kind.placeProblems(t, check));
    }
  }
  return problems;
}

/** The existing delivery DLQ a target names, beside its kind's own ARNs, must be in the stack's region and account. */
function deadLetterQueuePlaceProblems(t: EventTargetOptions, at: string, place: StackPlace): SchemaProblem[] {
  const existing = t.deadLetterQueue?.existingQueue?.arn;
  return existing === undefined
    ? []
    : arnPlaceProblems(existing, `${at}.deadLetterQueue.existingQueue.arn`, "a queue", place);
}
