import { Token } from "cdktn";
import type { SchemaProblem } from "../../shared/zod-problems";
import { arnParts } from "../eventbridge-rules";
import type { StackPlace } from "./target-kind";

/** What target kinds share beside their interface: literal checks, ARN places, queue URLs. */

/** Whether a string is a literal (not a Terraform reference). */
export function isLiteral(s: string | undefined): s is string {
  return typeof s === "string" && !Token.isUnresolved(s);
}

/** A literal ARN in another region or account than the stack's is a problem at `path`. */
export function arnPlaceProblems(arn: string, path: string, what: string, place: StackPlace): SchemaProblem[] {
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

/** The URL of a queue given by its literal ARN. */
export function queueUrlOfArn(arn: string, dnsSuffix: string): string {
  const parts = arnParts(arn);
  return `https://sqs.${parts.region}.${dnsSuffix}/${parts.account}/${parts.resource}`;
}

/** The key ARN of a queue with the given encryption: the module's key for "kms", none for SQS-managed SSE. */
export function keyFor(encryption: "sqs-managed" | "kms", keyArn: string | undefined): string | undefined {
  return encryption === "kms" ? keyArn : undefined;
}
