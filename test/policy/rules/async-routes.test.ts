import {
  ApiGatewayIntegration,
  type ApiGatewayIntegrationConfig,
} from "@cdktn/provider-aws/lib/api-gateway-integration";
import type { TerraformStack } from "cdktn";
import { apiGatewaySqsTemplateOnly } from "../../../policy/rules/async-routes";
import { finding, findings } from "../scratch";

function integration(stack: TerraformStack, extra: Partial<ApiGatewayIntegrationConfig> = {}): void {
  new ApiGatewayIntegration(stack, "orders", {
    restApiId: "api",
    resourceId: "res",
    httpMethod: "POST",
    type: "AWS",
    integrationHttpMethod: "POST",
    uri: "arn:aws:apigateway:eu-west-1:sqs:path/111111111111/orders",
    credentials: "arn:aws:iam::111111111111:role/send",
    passthroughBehavior: "NEVER",
    requestTemplates: { "application/json": "Action=SendMessage&MessageBody=$util.urlEncode($input.body)" },
    timeoutMilliseconds: 2000,
    ...extra,
  });
}

describe("apigw-sqs-template-only", () => {
  it("fails an SQS integration that passes bodies through, has no template or no role", () => {
    expect(
      findings(apiGatewaySqsTemplateOnly, (s) =>
        integration(s, { passthroughBehavior: undefined, requestTemplates: undefined, credentials: undefined }),
      ),
    ).toEqual([
      finding(
        apiGatewaySqsTemplateOnly,
        "aws_api_gateway_integration.orders",
        'passthrough_behavior is "unset (WHEN_NO_MATCH)", expected "NEVER"',
      ),
      finding(
        apiGatewaySqsTemplateOnly,
        "aws_api_gateway_integration.orders",
        "request_templates is not set: nothing builds the SendMessage request",
      ),
      finding(
        apiGatewaySqsTemplateOnly,
        "aws_api_gateway_integration.orders",
        "credentials is not set: expected a role that may only send to the route's queue",
      ),
    ]);
    expect(
      findings(apiGatewaySqsTemplateOnly, (s) =>
        integration(s, {
          uri: "arn:aws:apigateway:eu-west-1:sqs:action/SendMessage",
          passthroughBehavior: "WHEN_NO_TEMPLATES",
        }),
      ),
    ).toEqual([
      finding(
        apiGatewaySqsTemplateOnly,
        "aws_api_gateway_integration.orders",
        'passthrough_behavior is "WHEN_NO_TEMPLATES", expected "NEVER"',
      ),
    ]);
  });

  it("passes a locked SQS integration and ignores other integrations", () => {
    expect(findings(apiGatewaySqsTemplateOnly, (s) => integration(s))).toEqual([]);
    const proxy = findings(apiGatewaySqsTemplateOnly, (s) =>
      integration(s, {
        type: "HTTP_PROXY",
        uri: "https://orders.example.com",
        passthroughBehavior: undefined,
        credentials: undefined,
        requestTemplates: undefined,
      }),
    );
    expect(proxy).toEqual([]);
  });
});
