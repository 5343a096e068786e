import type { Rule } from "../rule";
import { API_GATEWAY_RULES } from "./api-gateway";
import { BOOTSTRAP_RULES } from "./bootstrap";
import { CLOUDFRONT_RULES } from "./cloudfront";
import { EVENTBRIDGE_RULES } from "./eventbridge";
import { IAM_RULES } from "./iam";
import { LAMBDA_RULES } from "./lambda";
import { MULTI_ACCOUNT_RULES } from "./multi-account";
import { SQS_RULES } from "./sqs";

export * from "./api-gateway";
export * from "./bootstrap";
export * from "./cloudfront";
export * from "./eventbridge";
export * from "./iam";
export * from "./lambda";
export * from "./multi-account";
export * from "./sqs";

/** Every rule `npm test` and `npm run check` run over every stack, in report order. */
export const RULES: readonly Rule[] = [
  ...API_GATEWAY_RULES,
  ...CLOUDFRONT_RULES,
  ...SQS_RULES,
  ...EVENTBRIDGE_RULES,
  ...LAMBDA_RULES,
  ...IAM_RULES,
  ...MULTI_ACCOUNT_RULES,
  ...BOOTSTRAP_RULES,
];
