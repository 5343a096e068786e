import { z } from "zod";
import { LAMBDA_ARN } from "../events/eventbridge-rules";
import { intIn, keyed } from "./route-schema";

/**
 * Who may call a method besides the API key: API Gateway authorizers (Cognito user pools, Lambda TOKEN and REQUEST)
 * and IAM (SigV4). The limits are API Gateway's
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html: 10 authorizers per API; a result is
 * cached 0-3600 s) and the identity sources its authorizers take
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html).
 */

/** API Gateway's bounds of an API's authorizers. */
export const AUTHORIZER_LIMITS = Object.freeze({
  authorizersPerApi: 10,
  resultTtlSeconds: Object.freeze({ min: 0, max: 3600 }),
  userPoolsPerAuthorizer: 1000,
});

/** What a method may name as its authorization besides an authorizer: IAM (SigV4) or none (the API key alone). */
export const BUILT_IN_AUTHORIZATIONS = ["AWS_IAM", "NONE"] as const;

/** An authorizer's name: also its Terraform name (letters, digits, '-', '_'). */
export const AUTHORIZER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** A header a TOKEN (or Cognito) authorizer reads the token from. */
export const HEADER_SOURCE_PATTERN = /^method\.request\.header\.[A-Za-z0-9-]+$/;
/** A REQUEST authorizer's identity source: a header, a query string, a stage variable or a context variable. */
export const REQUEST_SOURCE_PATTERN =
  /^(method\.request\.(header|querystring)\.[A-Za-z0-9._-]+|stageVariables\.[A-Za-z0-9_]+|context\.[A-Za-z0-9._]+)$/;
/** A Cognito user pool by ARN. */
export const USER_POOL_ARN_PATTERN = /^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_[A-Za-z0-9]+$/;

const ttl = intIn(AUTHORIZER_LIMITS.resultTtlSeconds).optional();
const lambdaArn = z.string().regex(LAMBDA_ARN, {
  message: "expected a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:authorize",
});
const headerSource = z.string().regex(HEADER_SOURCE_PATTERN, {
  message: "expected method.request.header.<name> (the header the token is in)",
});

/** One authorizer, by `type`. */
export const apiAuthorizerSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("COGNITO_USER_POOLS"),
      userPoolArns: z
        .array(z.string().regex(USER_POOL_ARN_PATTERN, { message: "expected a Cognito user pool ARN" }))
        .min(1)
        .max(AUTHORIZER_LIMITS.userPoolsPerAuthorizer),
      identitySource: headerSource.optional(),
      resultTtlSeconds: ttl,
    }),
    z.strictObject({
      type: z.literal("TOKEN"),
      functionArn: lambdaArn,
      identitySource: headerSource.optional(),
      identityValidationExpression: z.string().min(1).max(1024).optional(),
      resultTtlSeconds: ttl,
    }),
    z.strictObject({
      type: z.literal("REQUEST"),
      functionArn: lambdaArn,
      identitySources: z
        .array(
          z.string().regex(REQUEST_SOURCE_PATTERN, {
            message:
              "expected method.request.header.<name>, method.request.querystring.<name>, stageVariables.<name> or context.<name>",
          }),
        )
        .min(1)
        .optional(),
      resultTtlSeconds: ttl,
    }),
  ],
  {
    error: (issue) => {
      const type = (issue.input as { type?: unknown } | undefined)?.type;
      return `expected an authorizer type of "COGNITO_USER_POOLS", "TOKEN", "REQUEST"${type === undefined ? "" : `, got ${JSON.stringify(type)}`}`;
    },
  },
);

/** Authorizers by name. */
export const apiAuthorizersSchema = keyed(
  apiAuthorizerSchema,
  AUTHORIZER_NAME_PATTERN,
  "expected an authorizer name of 1-64 letters, digits, '-' or '_'",
).refine((a) => Object.keys(a).length <= AUTHORIZER_LIMITS.authorizersPerApi, {
  message: `expected at most ${AUTHORIZER_LIMITS.authorizersPerApi} authorizers (API Gateway's limit per API)`,
});
