import type { Rule } from "../rule";
import { API_GATEWAY_RULES } from "./api-gateway";
import { BOOTSTRAP_RULES } from "./bootstrap";
import { CLOUDFRONT_RULES } from "./cloudfront";
import { ASYNC_ROUTE_RULES } from "./async-routes";
import { CONSUMER_RULES } from "./consumers";
import { EVENTBRIDGE_RULES } from "./eventbridge";
import { IAM_RULES } from "./iam";
import { KMS_RULES } from "./kms";
import { LAMBDA_RULES } from "./lambda";
import { MULTI_ACCOUNT_RULES } from "./multi-account";
import { PIPE_RULES } from "./pipes";
import { FIS_RULES } from "./fis";
import { SQS_RULES } from "./sqs";
import { TERRAFORM_LITERAL_RULES } from "./terraform-literals";

export * from "./api-gateway";
export * from "./bootstrap";
export * from "./cloudfront";
export * from "./async-routes";
export * from "./consumers";
export * from "./eventbridge";
export * from "./iam";
export * from "./kms";
export * from "./lambda";
export * from "./multi-account";
export * from "./pipes";
export * from "./fis";
export * from "./sqs";
export * from "./terraform-literals";

/** Every rule `npm test` and `npm run check` run over every stack, in report order. */
export const RULES: readonly Rule[] = [
  ...API_GATEWAY_RULES,
  ...CLOUDFRONT_RULES,
  ...SQS_RULES,
  ...EVENTBRIDGE_RULES,
  ...PIPE_RULES,
  ...FIS_RULES,
  ...LAMBDA_RULES,
  ...IAM_RULES,
  ...KMS_RULES,
  ...MULTI_ACCOUNT_RULES,
  ...CONSUMER_RULES,
  ...ASYNC_ROUTE_RULES,
  ...BOOTSTRAP_RULES,
  ...TERRAFORM_LITERAL_RULES,
];
