import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { serviceTrustPolicy } from "../shared/service-trust";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";
import type { AwsContext } from "../shared/aws-context";
import { boundedName } from "../shared/bounded-name";

/** What one experiment's role reaches. */
export interface ExperimentRoleSpec {
  /** `<module name>-<experiment name>`. */
  readonly name: string;
  readonly functionArns: readonly string[];
  readonly bucketArn: string;
  readonly prefix: string;
  readonly kmsKeyArn: string;
  /** Tags of the role. @default none */
  readonly tags?: Record<string, string>;
}

/**
 * The role FIS assumes for one experiment, holding what the Lambda actions need (FIS actions reference: s3:PutObject,
 * s3:DeleteObject, lambda:GetFunction, tag:GetResources) on exactly that experiment's functions and the configuration
 * folder, the bucket key through S3, and the vended-log delivery its experiment logging needs (FIS user guide,
 * "Experiment logging": CloudWatch Logs' log delivery actions, which name no resource).
 */
export function createExperimentRole(scope: Construct, s: ExperimentRoleSpec, aws: AwsContext): IamRole {
  const role = new IamRole(scope, "role", {
    name: boundedName(s.name, "-fis", 64),
    description: `Runs the ${s.name} fault-injection experiment`,
    assumeRolePolicy: serviceTrustPolicy(
      "fis.amazonaws.com",
      aws.accountId,
      `arn:${aws.partition}:fis:${aws.region}:${aws.accountId}:experiment/*`,
    ),
    tags: s.tags,
  });
  new IamRolePolicy(scope, "policy", {
    name: boundedName(s.name, "-fis", 128),
    role: role.id,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: experimentStatements(s, aws) }),
  });
  return role;
}

function experimentStatements(s: ExperimentRoleSpec, aws: AwsContext): Record<string, unknown>[] {
  return [
    {
      Sid: "WriteFaultConfigurations",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `${s.bucketArn}/${s.prefix}/*`,
    },
    {
      Sid: "EncryptFaultConfigurations",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: s.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${aws.region}.${aws.dnsSuffix}` } },
    },
    { Sid: "InspectTargetFunctions", Effect: "Allow", Action: ["lambda:GetFunction"], Resource: [...s.functionArns] },
    // tag:GetResources has no resource types (Service Authorization Reference); the actions list it.
    { Sid: "ResolveTargets", Effect: "Allow", Action: ["tag:GetResources"], Resource: "*" },
    {
      Sid: "DeliverExperimentLogs",
      Effect: "Allow",
      Action: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      Resource: "*",
    },
  ];
}
