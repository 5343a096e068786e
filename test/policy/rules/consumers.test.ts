import { DynamodbTable, type DynamodbTableConfig } from "@cdktn/provider-aws/lib/dynamodb-table";
import {
  LambdaEventSourceMapping,
  type LambdaEventSourceMappingConfig,
} from "@cdktn/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktn/provider-aws/lib/lambda-function";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import type { TerraformStack } from "cdktn";
import {
  dynamodbEncrypted,
  dynamodbPointInTimeRecovery,
  lambdaSqsPartialBatch,
  sqsConsumerVisibility,
} from "../../../policy/rules/consumers";
import { finding, findings } from "../scratch";

function table(stack: TerraformStack, extra: Partial<DynamodbTableConfig> = {}): DynamodbTable {
  return new DynamodbTable(stack, "table", {
    name: "idempotency",
    billingMode: "PAY_PER_REQUEST",
    hashKey: "id",
    attribute: [{ name: "id", type: "S" }],
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true },
    ...extra,
  });
}

/** A queue, a consumer function (timeout 30 s) and the mapping between them. */
function consumer(
  stack: TerraformStack,
  visibility: number | undefined,
  mapping: Partial<LambdaEventSourceMappingConfig> = {},
): void {
  const queue = new SqsQueue(stack, "queue", {
    name: "orders",
    sqsManagedSseEnabled: true,
    visibilityTimeoutSeconds: visibility,
  });
  const fn = new LambdaFunction(stack, "fn", {
    functionName: "orders",
    role: "arn:aws:iam::111111111111:role/c",
    runtime: "nodejs22.x",
    handler: "index.handler",
    filename: "c.zip",
    timeout: 30,
  });
  new LambdaEventSourceMapping(stack, "mapping", {
    eventSourceArn: queue.arn,
    functionName: fn.arn,
    functionResponseTypes: ["ReportBatchItemFailures"],
    maximumBatchingWindowInSeconds: 5,
    ...mapping,
  });
}

describe("dynamodb-pitr (CKV_AWS_28)", () => {
  it("fails a table without point-in-time recovery", () => {
    expect(findings(dynamodbPointInTimeRecovery, (s) => table(s, { pointInTimeRecovery: undefined }))).toEqual([
      finding(
        dynamodbPointInTimeRecovery,
        "aws_dynamodb_table.table",
        'point_in_time_recovery.enabled is "unset", expected true',
      ),
    ]);
    expect(findings(dynamodbPointInTimeRecovery, (s) => table(s, { pointInTimeRecovery: { enabled: false } }))).toEqual(
      [
        finding(
          dynamodbPointInTimeRecovery,
          "aws_dynamodb_table.table",
          "point_in_time_recovery.enabled is false, expected true",
        ),
      ],
    );
  });

  it("passes a table with it", () => {
    expect(findings(dynamodbPointInTimeRecovery, (s) => table(s))).toEqual([]);
  });
});

describe("dynamodb-encrypted", () => {
  it("fails a table left on the AWS owned key", () => {
    expect(findings(dynamodbEncrypted, (s) => table(s, { serverSideEncryption: undefined }))).toEqual([
      finding(
        dynamodbEncrypted,
        "aws_dynamodb_table.table",
        'server_side_encryption.enabled is "unset": the table uses an AWS owned key, expected true (aws/dynamodb or kms_key_arn)',
      ),
    ]);
  });

  it("passes the AWS managed key and a customer key", () => {
    expect(findings(dynamodbEncrypted, (s) => table(s))).toEqual([]);
    expect(
      findings(dynamodbEncrypted, (s) =>
        table(s, {
          serverSideEncryption: {
            enabled: true,
            kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-4333-8444-555555555555",
          },
        }),
      ),
    ).toEqual([]);
  });
});

describe("lambda-sqs-partial-batch", () => {
  it("fails an SQS mapping without ReportBatchItemFailures, in the stack or by ARN", () => {
    expect(findings(lambdaSqsPartialBatch, (s) => consumer(s, 300, { functionResponseTypes: undefined }))).toEqual([
      finding(
        lambdaSqsPartialBatch,
        "aws_lambda_event_source_mapping.mapping",
        'function_response_types is "unset", expected ["ReportBatchItemFailures"]',
      ),
    ]);
    const byArn = findings(lambdaSqsPartialBatch, (s) => {
      new LambdaEventSourceMapping(s, "mapping", {
        eventSourceArn: "arn:aws:sqs:eu-west-1:111111111111:other",
        functionName: "orders",
        functionResponseTypes: [],
      });
    });
    expect(byArn).toEqual([
      finding(
        lambdaSqsPartialBatch,
        "aws_lambda_event_source_mapping.mapping",
        'function_response_types is [], expected ["ReportBatchItemFailures"]',
      ),
    ]);
  });

  it("passes a reporting SQS mapping and ignores other event sources", () => {
    expect(findings(lambdaSqsPartialBatch, (s) => consumer(s, 300))).toEqual([]);
    const kinesis = findings(lambdaSqsPartialBatch, (s) => {
      new LambdaEventSourceMapping(s, "mapping", {
        eventSourceArn: "arn:aws:kinesis:eu-west-1:111111111111:stream/s",
        functionName: "orders",
        startingPosition: "LATEST",
      });
    });
    expect(kinesis).toEqual([]);
  });
});

describe("sqs-consumer-visibility", () => {
  it("fails a consumed queue whose visibility timeout is below 6 x timeout + window, and the 30 s default", () => {
    expect(findings(sqsConsumerVisibility, (s) => consumer(s, 184))).toEqual([
      finding(
        sqsConsumerVisibility,
        "aws_sqs_queue.queue",
        "visibility_timeout_seconds is 184, expected at least 185 (6 x aws_lambda_function.fn timeout 30 + aws_lambda_event_source_mapping.mapping batching window 5)",
      ),
    ]);
    expect(findings(sqsConsumerVisibility, (s) => consumer(s, undefined))).toEqual([
      finding(
        sqsConsumerVisibility,
        "aws_sqs_queue.queue",
        "visibility_timeout_seconds is 30, expected at least 185 (6 x aws_lambda_function.fn timeout 30 + aws_lambda_event_source_mapping.mapping batching window 5)",
      ),
    ]);
  });

  it("passes a queue with enough visibility", () => {
    expect(findings(sqsConsumerVisibility, (s) => consumer(s, 185))).toEqual([]);
  });
});
