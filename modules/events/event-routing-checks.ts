import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { TerraformStack, Token } from "cdktn";
import type { Construct } from "constructs";
import { PropsError } from "../shared/validation";
import { parseProps, type SchemaProblem } from "../shared/zod-problems";
import type { EventRoutingProps } from "./event-routing";
import { eventRoutingPropsSchema } from "./event-routing-schema";
import { arnParts, eventBusRoleName, LAMBDA_ARN, lambdaStatementId } from "./eventbridge-rules";
import type { EventTargetOptions, LambdaTargetOptions } from "./types";

/**
 * The rules of EventRoutingProps that need more than one field's value: names the module generates from `namePrefix`
 * and the rule and target names (IAM and Lambda length limits), and ARNs that must be in the stack's region and
 * account. They run on props that passed eventRoutingPropsSchema; the environment config reaches them through
 * `EventRouting.validateProps` with the environment's account and region.
 */

/** Region and account of the stack, when known as literals: ARNs are checked against them. */
export interface StackPlace {
  /** The stack's region. @default unknown: region not checked */
  readonly region?: string;
  /** The stack's account. @default unknown: account not checked */
  readonly accountId?: string;
}

/**
 * Validates EventRouting props: their structure and values (the schema: every problem at once, as a PropsError of
 * `construct`), then the rules that need the stack's place (`props.region`/`props.accountId` win over `stack`'s).
 */
export function validateEventRoutingProps(construct: string, props: unknown, stack: StackPlace): EventRoutingProps {
  const valid: EventRoutingProps = parseProps(construct, eventRoutingPropsSchema, props);
  const place = { region: valid.region ?? stack.region, accountId: valid.accountId ?? stack.accountId };
  const problems = eventRoutingContextProblems(valid, place);
  if (problems.length > 0)
    throw new PropsError(
      construct,
      problems.map((p) => `${p.path}: ${p.message}`),
    );
  return valid;
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
  for (const [i, rule] of (props.rules ?? []).entries()) {
    for (const [j, t] of rule.targets.entries()) {
      const at = `rules[${i}].targets[${j}]`;
      problems.push(...generatedNameProblems(props.namePrefix, rule.name, t, at));
      problems.push(...placeProblems(t, at, place));
    }
  }
  return problems;
}

/** Names the module derives from the prefix, rule and target names must fit their service's limit. */
function generatedNameProblems(prefix: string, ruleName: string, t: EventTargetOptions, at: string): SchemaProblem[] {
  if (t.kind === "event-bus") {
    const role = eventBusRoleName(prefix, t.name);
    return role.length <= 64
      ? []
      : [{ path: `${at}.name`, message: `expected a shorter name: the role "${role}" exceeds IAM's 64 characters` }];
  }
  if (t.kind === "lambda") {
    const statementId = lambdaStatementId(prefix, ruleName, t.name);
    return statementId.length <= 100
      ? []
      : [
          {
            path: `${at}.name`,
            message: `expected a shorter rule or target name: the invoke permission's statement id "${statementId}" exceeds Lambda's 100 characters`,
          },
        ];
  }
  return [];
}

/** Existing queues and functions a target names must be in the stack's region and account. */
function placeProblems(t: EventTargetOptions, at: string, place: StackPlace): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const existing = t.deadLetterQueue?.existingQueue?.arn;
  if (existing !== undefined)
    problems.push(...arnPlaceProblems(existing, `${at}.deadLetterQueue.existingQueue.arn`, "a queue", place));
  if (t.kind === "lambda") problems.push(...lambdaPlaceProblems(t, at, place));
  return problems;
}

function lambdaPlaceProblems(t: LambdaTargetOptions, at: string, place: StackPlace): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  if (isLiteral(t.functionArn) && LAMBDA_ARN.test(t.functionArn))
    problems.push(
      ...arnPlaceProblems(
        t.functionArn,
        `${at}.functionArn`,
        "a function (one in another account cannot be a target here: route to that account's event bus)",
        place,
      ),
    );
  const destination = t.asyncInvoke.ownedByAnotherStack?.onFailureDestination.arn;
  if (destination !== undefined)
    problems.push(
      ...arnPlaceProblems(
        destination,
        `${at}.asyncInvoke.ownedByAnotherStack.onFailureDestination.arn`,
        "a queue",
        place,
      ),
    );
  const role = t.asyncInvoke.executionRoleArn;
  const roleAccount = isLiteral(role) ? arnParts(role).account : undefined;
  if (roleAccount !== undefined && place.accountId && roleAccount !== place.accountId)
    problems.push({
      path: `${at}.asyncInvoke.executionRoleArn`,
      message: `expected the function's role in account ${place.accountId}, got one in ${roleAccount}`,
    });
  return problems;
}

/** A literal ARN in another region or account than the stack's is a problem at `path`. */
function arnPlaceProblems(arn: string, path: string, what: string, place: StackPlace): SchemaProblem[] {
  if (!isLiteral(arn)) return [];
  const parts = arnParts(arn);
  const problems: SchemaProblem[] = [];
  if (place.region && parts.region !== place.region)
    problems.push({
      path,
      message: `expected ${what} in the rule's region ${place.region}, got one in ${parts.region}`,
    });
  if (place.accountId && parts.account !== place.accountId)
    problems.push({ path, message: `expected ${what} in account ${place.accountId}, got one in ${parts.account}` });
  return problems;
}

function isLiteral(s: string | undefined): s is string {
  return typeof s === "string" && !Token.isUnresolved(s);
}
