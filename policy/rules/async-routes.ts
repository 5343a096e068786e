/** Async API route rules: an API Gateway integration that writes to SQS sends only what its template builds. */
import type { Rule, Violation } from "../rule";
import { isExpression } from "../terraform-json";

const INTEGRATION = "aws_api_gateway_integration";

/** An AWS service integration calling SQS (`arn:<partition>:apigateway:<region>:sqs:path/...` or `:action/...`). */
function isSqsIntegration(body: Record<string, any>): boolean {
  return body.type === "AWS" && typeof body.uri === "string" && /:apigateway:[^:]*:sqs:(path|action)\//.test(body.uri);
}

export const apiGatewaySqsTemplateOnly: Rule = {
  id: "apigw-sqs-template-only",
  meaning:
    'every API Gateway integration calling SQS has passthrough_behavior = "NEVER", a request template and its own credentials role, so a request of another content type can never pass its raw body to SQS as the SendMessage request',
  kinds: [INTEGRATION],
  check(stack) {
    const out: Violation[] = [];
    for (const i of stack.resources(INTEGRATION)) {
      if (!isSqsIntegration(i.body)) continue;
      if (i.body.passthrough_behavior !== "NEVER") {
        out.push({
          address: i.address,
          reason: `passthrough_behavior is ${JSON.stringify(i.body.passthrough_behavior ?? "unset (WHEN_NO_MATCH)")}, expected "NEVER"`,
        });
      }
      const templates = i.body.request_templates;
      if (
        !isExpression(templates) &&
        (!templates || typeof templates !== "object" || Object.keys(templates).length === 0)
      ) {
        out.push({
          address: i.address,
          reason: "request_templates is not set: nothing builds the SendMessage request",
        });
      }
      if (!i.body.credentials)
        out.push({
          address: i.address,
          reason: "credentials is not set: expected a role that may only send to the route's queue",
        });
    }
    return out;
  },
};

/** Async route rules, in report order. */
export const ASYNC_ROUTE_RULES: readonly Rule[] = [apiGatewaySqsTemplateOnly];
