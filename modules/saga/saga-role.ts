import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { serviceTrustPolicy } from "../shared/service-trust";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";
import type { AwsContext } from "../shared/aws-context";
import type { SagaStep } from "./saga-schema";
import { type TaskGrant, taskKind } from "./saga-tasks";

/** What the role is scoped to besides the steps. */
export interface SagaRoleScope {
  readonly name: string;
  readonly keyArn: string;
  readonly needsAHumanQueueArn: string;
}

/** The state machine's role: only Step Functions, for this account's state machine of this name, may assume it. */
export function createSagaRole(
  scope: Construct,
  name: string,
  aws: AwsContext,
  tags?: Record<string, string>,
): IamRole {
  return new IamRole(scope, "role", {
    name: `${name}-saga`,
    description: `Runs the ${name} saga's steps and compensations`,
    assumeRolePolicy: serviceTrustPolicy(
      "states.amazonaws.com",
      aws.accountId,
      `arn:${aws.partition}:states:${aws.region}:${aws.accountId}:stateMachine:${name}`,
    ),
    tags,
  });
}

/** Every step's and compensation's grant, merged by action set (one statement per kind of call). */
function taskStatements(steps: readonly SagaStep[]): Record<string, unknown>[] {
  const grants: TaskGrant[] = steps
    .flatMap((s) => [s.action, ...(s.compensation ? [s.compensation] : [])])
    .map((t) => taskKind(t).grant(t));
  const byActions = new Map<string, Set<string>>();
  for (const g of grants) {
    const key = g.actions.join(",");
    const set = byActions.get(key) ?? new Set();
    for (const r of g.resources) set.add(r);
    byActions.set(key, set);
  }
  return [...byActions].map(([actions, resources], i) => ({
    Sid: `SagaTasks${i}`,
    Effect: "Allow",
    Action: actions.split(","),
    Resource: [...resources],
  }));
}

/**
 * Exactly the calls the steps make, on exactly their resources; sending to the needs-a-human queue; the saga's key
 * (the state machine's data, the queue's messages); log delivery and X-Ray (their actions take no resource).
 */
export function sagaRoleStatements(steps: readonly SagaStep[], s: SagaRoleScope): Record<string, unknown>[] {
  return [
    ...taskStatements(steps),
    { Sid: "NeedsAHuman", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: s.needsAHumanQueueArn },
    { Sid: "UseTheSagaKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: s.keyArn },
    {
      Sid: "DeliverLogs",
      Effect: "Allow",
      Action: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      Resource: "*",
    },
    {
      Sid: "Tracing",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
      Resource: "*",
    },
  ];
}

export function attachSagaPolicy(
  scope: Construct,
  role: IamRole,
  steps: readonly SagaStep[],
  s: SagaRoleScope,
): IamRolePolicy {
  return new IamRolePolicy(scope, "policy", {
    name: `${s.name}-saga`,
    role: role.id,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: sagaRoleStatements(steps, s) }),
  });
}
