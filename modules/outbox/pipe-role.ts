import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { serviceTrustPolicy } from "../shared/service-trust";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";
import type { AwsContext } from "../shared/aws-context";
import type { OutboxTableRef } from "./state-table";

/** What the pipes' role is scoped to. */
export interface PipeRoleScope {
  readonly name: string;
  readonly table: OutboxTableRef;
  readonly busArn: string;
  readonly dlqArn: string;
  readonly keyArn: string;
  readonly logGroupArn: string;
}

/** The pipes' role: only EventBridge Pipes, for this account's pipes of this outbox, may assume it. */
export function createPipeRole(
  scope: Construct,
  s: Pick<PipeRoleScope, "name">,
  aws: AwsContext,
  tags?: Record<string, string>,
) {
  return new IamRole(scope, "pipe-role", {
    name: `${s.name}-outbox-pipes`,
    description: `Runs the ${s.name} outbox's pipes: its stream to its bus`,
    assumeRolePolicy: serviceTrustPolicy(
      "pipes.amazonaws.com",
      aws.accountId,
      `arn:${aws.partition}:pipes:${aws.region}:${aws.accountId}:pipe/${s.name}-*`,
    ),
    tags,
  });
}

/**
 * Exactly what the pipes do: read that stream, put events on that bus, send failures to their DLQ, use the outbox's
 * key (pipe data at rest, the DLQ's messages) and the table's key through DynamoDB, and write their log group.
 * ListStreams is the one action without a resource: IAM defines none for it (it names streams, reads no records),
 * and the DynamoDB stream source's documented permissions include it.
 */
export function pipeRoleStatements(s: PipeRoleScope, aws: AwsContext): Record<string, unknown>[] {
  const statements: Record<string, unknown>[] = [
    {
      Sid: "ReadTheStream",
      Effect: "Allow",
      Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
      Resource: s.table.streamArn,
    },
    { Sid: "ListStreams", Effect: "Allow", Action: ["dynamodb:ListStreams"], Resource: "*" },
    { Sid: "PutOnTheBus", Effect: "Allow", Action: ["events:PutEvents"], Resource: s.busArn },
    { Sid: "SendFailures", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: s.dlqArn },
    {
      Sid: "UseTheOutboxKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: s.keyArn,
    },
    {
      Sid: "WriteTheLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${s.logGroupArn}:*`,
    },
  ];
  if (s.table.kmsKeyArn && s.table.kmsKeyArn !== s.keyArn)
    statements.push({
      Sid: "DecryptStreamRecords",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: s.table.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `dynamodb.${aws.region}.${aws.dnsSuffix}` } },
    });
  return statements;
}

/** The role's inline policy. */
export function attachPipePolicy(scope: Construct, role: IamRole, s: PipeRoleScope, aws: AwsContext): IamRolePolicy {
  return new IamRolePolicy(scope, "pipe-policy", {
    name: `${s.name}-outbox-pipes`,
    role: role.id,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: pipeRoleStatements(s, aws) }),
  });
}
