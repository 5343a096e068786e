import { z } from "zod";
import { LAMBDA_ARN } from "../events/eventbridge-rules";
import { CACHE_TTL_SECONDS, HTTP_METHODS, TIMEOUT_MS } from "./api-definition";
import {
  ASYNC_QUEUE_NAME_PATTERN,
  HTTPS_URL_PATTERN,
  KMS_KEY_ARN_PATTERN,
  MOCK_STATUS_CODES,
  MODEL_NAME_PATTERN,
  REQUEST_PARAMETER_PATTERN,
  RESOURCE_PATH_PATTERN,
} from "./front-door-rules";
import {
  MAX_RECEIVE_COUNT,
  MESSAGE_SIZE_BYTES,
  RETENTION_SECONDS,
  SQS_ARN,
  VISIBILITY_TIMEOUT_SECONDS,
} from "../events/eventbridge-rules";

/**
 * The zod schemas of an API's routes: resources by path, their methods, integrations (MOCK, HTTP_PROXY, async SQS
 * routes and their queues), request parameters, models and caching of one method. Built from the limits and patterns
 * of api-definition.ts and front-door-rules.ts; the rules between fields are cross-field-rules.ts.
 */

/** A record whose keys must match a pattern; a bad key is reported at its own path, with the key. */
export function keyed<T extends z.ZodType>(value: T, pattern: RegExp, expected: string) {
  return z.record(z.string(), value).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (!pattern.test(key))
        ctx.addIssue({ code: "custom", path: [key], message: `${expected}, got ${JSON.stringify(key)}` });
    }
  });
}

/** An integer in an inclusive range. */
export const intIn = (range: { readonly min: number; readonly max: number }) => z.int().min(range.min).max(range.max);

/** A KMS key ARN (not an alias): IAM grants and log groups name the key itself. */
export const kmsKeyArnSchema = z.string().regex(KMS_KEY_ARN_PATTERN, {
  message: "expected a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/<uuid> (not an alias)",
});

const timeoutMs = intIn(TIMEOUT_MS);

/** The queue (and DLQ) the module creates for an async route. */
export const asyncQueueOptionsSchema = z
  .strictObject({
    name: z
      .string()
      .regex(ASYNC_QUEUE_NAME_PATTERN, {
        message: "expected a standard queue name of 1-76 letters, digits, '-' or '_' (its DLQ adds \"-dlq\")",
      })
      .optional(),
    visibilityTimeoutSeconds: intIn(VISIBILITY_TIMEOUT_SECONDS).optional(),
    messageRetentionSeconds: intIn(RETENTION_SECONDS).optional(),
    maxReceiveCount: intIn(MAX_RECEIVE_COUNT).optional(),
    maxMessageSizeBytes: intIn(MESSAGE_SIZE_BYTES).optional(),
    encryption: z.enum(["sqs-managed", "kms"]).optional(),
    kmsKeyArn: kmsKeyArnSchema.optional(),
  })
  .superRefine((queue, ctx) => {
    if (queue.encryption === "kms" && !queue.kmsKeyArn)
      ctx.addIssue({ code: "custom", path: ["kmsKeyArn"], message: 'expected a KMS key ARN when encryption is "kms"' });
    if (queue.kmsKeyArn !== undefined && queue.encryption !== "kms")
      ctx.addIssue({ code: "custom", path: ["encryption"], message: 'expected "kms" when kmsKeyArn is set' });
  });

/** An existing standard queue an async route writes to. */
export const existingAsyncQueueSchema = z.strictObject({
  arn: z
    .string()
    .regex(SQS_ARN, { message: "expected an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders" })
    .refine((arn) => !arn.endsWith(".fifo"), {
      message: "expected a standard queue: an async route sends no MessageGroupId",
    }),
  kmsKeyArn: kmsKeyArnSchema.optional(),
});

/** The integration types a method may have. */
export const INTEGRATION_TYPES = ["MOCK", "HTTP_PROXY", "SQS", "LAMBDA"] as const;

/** The backend of one method: MOCK, HTTP_PROXY, SQS (an async route) or LAMBDA (proxy), told apart by `type`. */
export const apiIntegrationSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("MOCK"),
      timeoutMs,
      statusCode: intIn(MOCK_STATUS_CODES).optional(),
      responseBody: z.unknown().optional(),
    }),
    z.strictObject({
      type: z.literal("HTTP_PROXY"),
      timeoutMs,
      uri: z.string().regex(HTTPS_URL_PATTERN, { message: "expected an https:// URL" }),
      httpMethod: z.enum(HTTP_METHODS).optional(),
    }),
    z.strictObject({
      type: z.literal("SQS"),
      timeoutMs,
      queue: asyncQueueOptionsSchema.optional(),
      existingQueue: existingAsyncQueueSchema.optional(),
    }),
    z
      .strictObject({
        type: z.literal("LAMBDA"),
        timeoutMs,
        functionArn: z.string().regex(LAMBDA_ARN, {
          message:
            "expected a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:orders (optionally :alias)",
        }),
        proxy: z.boolean().optional(),
        requestTemplate: z.string().min(1).max(65536).optional(),
      })
      .refine((i) => i.requestTemplate === undefined || i.proxy === false, {
        path: ["requestTemplate"],
        message: "a proxy integration (proxy unset or true) passes the request as it is: set proxy false to map it",
      }),
  ],
  {
    // Names the type that was given (a typo reads better than "got an object").
    error: (issue) => {
      const type = (issue.input as { type?: unknown } | undefined)?.type;
      const known = INTEGRATION_TYPES.map((t) => JSON.stringify(t)).join(", ");
      return type === undefined
        ? `expected an integration with a type: one of ${known}`
        : `expected an integration type of ${known}, got ${JSON.stringify(type)}`;
    },
  },
);

/** API Gateway caching of one GET method. */
export const methodCacheSchema = z.strictObject({
  ttlSeconds: intIn(CACHE_TTL_SECONDS).optional(),
  keyParameters: z
    .array(
      z.string().regex(REQUEST_PARAMETER_PATTERN, {
        message: "expected querystring.<name> or header.<name> (path parameters are always in the key)",
      }),
    )
    .optional(),
});

/** One method of one resource. */
export const apiMethodSchema = z.strictObject({
  integration: apiIntegrationSchema,
  public: z.boolean().optional(),
  parameters: keyed(
    z.boolean(),
    REQUEST_PARAMETER_PATTERN,
    "expected querystring.<name> or header.<name> (path parameters come from the resource path)",
  ).optional(),
  requestModel: z
    .string()
    .regex(MODEL_NAME_PATTERN, { message: "expected a model name of letters and digits" })
    .optional(),
  cache: methodCacheSchema.optional(),
  // An authorizer's name, AWS_IAM or NONE: which one exists is a rule between fields (cross-field-rules.ts).
  authorization: z.string().min(1).optional(),
  authorizationScopes: z.array(z.string().min(1).max(256)).min(1).optional(),
});

/** The methods of one resource, by HTTP method. */
export const apiResourceSchema = z.strictObject(
  Object.fromEntries(HTTP_METHODS.map((m) => [m, apiMethodSchema.optional()])) as Record<
    (typeof HTTP_METHODS)[number],
    z.ZodOptional<typeof apiMethodSchema>
  >,
);

/** Resources by path (`/items/{id}`, `/` for the root), each with its methods; at least one method in all. */
export const apiResourcesSchema = keyed(
  apiResourceSchema,
  RESOURCE_PATH_PATTERN,
  "expected a resource path such as /items/{id} (segments of letters, digits, '.', '_', '~', '-' or {param})",
).refine((resources) => Object.values(resources).some((methods) => Object.keys(methods).length > 0), {
  message: "expected at least one resource with a method",
});

/** JSON schemas (draft 4) by model name. */
export const apiModelsSchema = keyed(
  z.record(z.string(), z.unknown()),
  MODEL_NAME_PATTERN,
  "expected a model name of letters and digits",
);
