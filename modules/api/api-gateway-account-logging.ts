import { ApiGatewayAccount } from "@cdktn/provider-aws/lib/api-gateway-account";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { TerraformStack } from "cdktn";
import { Construct } from "constructs";
import { awsContext } from "../shared/aws-context";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { parseProps } from "../shared/parse-props";

/** Props of ApiGatewayAccountLogging. */
export interface ApiGatewayAccountLoggingProps {
  /** Tags of the IAM role. @default none (provider default tags still apply) */
  readonly tags?: Readonly<Record<string, string>>;
}

/** ApiGatewayAccountLoggingProps, parsed once at the construct's door (every problem at once). */
export const apiGatewayAccountLoggingPropsSchema = z.strictObject({
  tags: z.record(z.string(), z.string()).optional(),
});

/** Where API Gateway may write: its execution-log groups and access-log groups under this prefix. */
export const ACCESS_LOG_GROUP_PREFIX = "/aws/apigateway/";

/**
 * The account-and-region setting that lets API Gateway write execution and access logs to
 * CloudWatch Logs: an IAM role API Gateway assumes, and `aws_api_gateway_account` pointing at it.
 * The role may only write to API Gateway's own log groups (`API-Gateway-Execution-Logs_*` and
 * `/aws/apigateway/*`), with no wildcard actions. There is one such setting per account and region,
 * so use `ApiGatewayAccountLogging.of(stack)`, which creates it once per stack.
 */
export class ApiGatewayAccountLogging extends Construct {
  /** The role API Gateway assumes to write logs. */
  readonly role: IamRole;
  /** ARN of that role. */
  readonly roleArn: string;
  /** The account setting; stages that log depend on it. */
  readonly account: ApiGatewayAccount;

  /** The stack's single instance, created on first use. */
  static of(scope: Construct, props: ApiGatewayAccountLoggingProps = {}): ApiGatewayAccountLogging {
    const stack = TerraformStack.of(scope);
    const id = "api-gateway-account-logging";
    return (
      (stack.node.tryFindChild(id) as ApiGatewayAccountLogging | undefined) ??
      new ApiGatewayAccountLogging(stack, id, props)
    );
  }

  constructor(scope: Construct, id: string, props: ApiGatewayAccountLoggingProps = {}) {
    super(scope, id);
    parseProps(`ApiGatewayAccountLogging ${id}`, apiGatewayAccountLoggingPropsSchema, props);
    const aws = awsContext(this);
    const logs = `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}`;
    const groups = [`${logs}:log-group:API-Gateway-Execution-Logs_*`, `${logs}:log-group:${ACCESS_LOG_GROUP_PREFIX}*`];

    this.role = new IamRole(this, "role", {
      namePrefix: "apigw-cloudwatch-logs-",
      description: "Assumed by API Gateway to write execution and access logs of this account's REST APIs",
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ApiGatewayAssumes",
            Effect: "Allow",
            Principal: { Service: "apigateway.amazonaws.com" },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.roleArn = this.role.arn;

    const policy = new IamRolePolicy(this, "write-logs", {
      name: "write-api-gateway-logs",
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "FindLogGroups",
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups"],
            Resource: `${logs}:log-group:*`,
          },
          {
            Sid: "WriteApiGatewayLogGroups",
            Effect: "Allow",
            Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            Resource: [...groups, ...groups.map((g) => `${g}:log-stream:*`)],
          },
        ],
      }),
    });

    this.account = new ApiGatewayAccount(this, "account", {
      cloudwatchRoleArn: this.role.arn,
      dependsOn: [policy],
    });
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _ApiGatewayAccountLoggingSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof apiGatewayAccountLoggingPropsSchema>, ApiGatewayAccountLoggingProps>
>;
