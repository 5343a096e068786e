import { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import { Construct } from "constructs";

/** Props of LambdaProxyPermission. */
export interface LambdaProxyPermissionProps {
  /** ARN of the function (optionally with a version or alias); required. */
  readonly functionArn: string;
  /** The REST API's execution ARN (`arn:aws:execute-api:<region>:<account>:<api id>`); required. */
  readonly executionArn: string;
  /** Stage that serves the method; required. */
  readonly stageName: string;
  /** HTTP method of the route; required. */
  readonly httpMethod: string;
  /** Resource path of the route (`/orders/{id}`); required. */
  readonly resourcePath: string;
}

/**
 * The execute-api ARN of one method on one stage, as API Gateway names the caller when it invokes a
 * function: `<execution ARN>/<stage>/<METHOD>/<path>`, each path parameter (`{id}`, `{proxy+}`) as `*`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html).
 */
export function methodExecutionArn(executionArn: string, stageName: string, method: string, path: string): string {
  const resource = path === "/" ? "/" : path.replace(/\{[^}]+\}/g, "*");
  return `${executionArn}/${stageName}/${method}${resource}`;
}

/**
 * Lets API Gateway invoke a Lambda proxy integration's function for exactly one method on one stage:
 * `lambda:InvokeFunction` for `apigateway.amazonaws.com` with `source_arn` that method's execute-api
 * ARN, so no other API, stage or method can invoke it through this grant.
 */
export class LambdaProxyPermission extends Construct {
  readonly permission: LambdaPermission;

  constructor(scope: Construct, id: string, props: LambdaProxyPermissionProps) {
    super(scope, id);
    this.permission = new LambdaPermission(this, "permission", {
      action: "lambda:InvokeFunction",
      functionName: props.functionArn,
      principal: "apigateway.amazonaws.com",
      sourceArn: methodExecutionArn(props.executionArn, props.stageName, props.httpMethod, props.resourcePath),
    });
  }
}
