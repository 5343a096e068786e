import { ApiGatewayAuthorizer } from "@cdktn/provider-aws/lib/api-gateway-authorizer";
import { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import { Construct } from "constructs";
import { z } from "zod";
import type { ApiAuthorizer } from "./api-definition";
import { identitySources } from "./authorization";
import { apiAuthorizersSchema } from "./authorizer-schema";
import { API_DEFAULTS } from "./defaults";
import { type Parsed, parseProps } from "../shared/parse-props";
import { API_PARSE_OPTIONS } from "../shared/reference-samples";

/** Props of ApiAuthorizers. */
export interface ApiAuthorizersProps {
  /** Id of the REST API; required. */
  readonly restApiId: string;
  /** The REST API's execution ARN, which scopes each Lambda authorizer's invoke permission; required. */
  readonly executionArn: string;
  /** Authorizers by name; required (may be empty). */
  readonly authorizers: Readonly<Record<string, ApiAuthorizer>>;
}

const apiAuthorizersPropsSchema = z.strictObject({
  restApiId: z.string(),
  executionArn: z.string(),
  authorizers: apiAuthorizersSchema,
});

/**
 * A REST API's authorizers: Cognito user pools, and Lambda TOKEN and REQUEST authorizers, each Lambda one with an
 * invoke permission for API Gateway scoped to exactly that authorizer (`<execution ARN>/authorizers/<id>`, the source
 * ARN API Gateway invokes an authorizer with: https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html).
 * No credentials role: the function's resource policy is the grant, as API Gateway's console sets it up.
 */
export class ApiAuthorizers extends Construct {
  /** Authorizer ids by name. */
  readonly ids: Readonly<Record<string, string>>;
  /** The authorizers by name, as given. */
  readonly definitions: Readonly<Record<string, ApiAuthorizer>>;
  /** ARNs of the Lambda authorizers' functions (the API's alarms watch them). */
  readonly functionArns: readonly string[];

  constructor(scope: Construct, id: string, props: ApiAuthorizersProps | Parsed<ApiAuthorizersProps>) {
    super(scope, id);
    const p = parseProps(`ApiAuthorizers ${id}`, apiAuthorizersPropsSchema, props, API_PARSE_OPTIONS);
    const ids: Record<string, string> = {};
    for (const [name, a] of Object.entries(p.authorizers)) ids[name] = this.create(name, a, p).id;
    this.ids = ids;
    this.definitions = p.authorizers;
    this.functionArns = Object.values(p.authorizers).flatMap((a) =>
      a.type === "COGNITO_USER_POOLS" ? [] : [a.functionArn],
    );
  }

  private create(name: string, a: ApiAuthorizer, p: ApiAuthorizersProps): ApiGatewayAuthorizer {
    const common = {
      name,
      restApiId: p.restApiId,
      identitySource: identitySources(a).join(",") || undefined,
      authorizerResultTtlInSeconds: a.resultTtlSeconds ?? API_DEFAULTS.authorizerResultTtlSeconds,
    };
    if (a.type === "COGNITO_USER_POOLS")
      return new ApiGatewayAuthorizer(this, name, { ...common, type: a.type, providerArns: [...a.userPoolArns] });
    const [, partition, , region] = a.functionArn.split(":");
    const authorizer = new ApiGatewayAuthorizer(this, name, {
      ...common,
      type: a.type,
      authorizerUri: `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${a.functionArn}/invocations`,
      identityValidationExpression: a.type === "TOKEN" ? a.identityValidationExpression : undefined,
    });
    new LambdaPermission(this, `${name}-invoke`, {
      action: "lambda:InvokeFunction",
      functionName: a.functionArn,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${p.executionArn}/authorizers/${authorizer.id}`,
    });
    return authorizer;
  }
}
