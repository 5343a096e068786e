/** QueueConsumer, proven on the synthesized Terraform JSON, and its props validation. */
import { QueueConsumer, type QueueConsumerProps } from "../../../modules/consumer/queue-consumer";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, one } from "../api/fixtures";

const QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:shop-orders";
const QUEUE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
const TABLE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:team-alarms";

function props(overrides: Partial<QueueConsumerProps> = {}): QueueConsumerProps {
  return {
    functionName: "shop-orders-consumer",
    queue: {
      arn: QUEUE_ARN,
      name: "shop-orders",
      visibilityTimeoutSeconds: 200,
      deadLetterQueueName: "shop-orders-dlq",
      kmsKeyArn: QUEUE_KEY,
    },
    alarmTopicArn: TOPIC,
    timeoutSeconds: 30,
    batchSize: 25,
    maximumBatchingWindowSeconds: 10,
    maximumConcurrency: 8,
    environment: { ORDERS_SERVICE_URL: "https://orders.example.com/orders" },
    ...overrides,
  };
}

function synth(p: QueueConsumerProps): TerraformJson {
  return JSON.parse(synthScratch((stack) => new QueueConsumer(stack, "orders", p)));
}

function propsErrors(p: QueueConsumerProps): string[] {
  try {
    synth(p);
  } catch (err) {
    expect(err).toBeInstanceOf(PropsError);
    return [...(err as PropsError).problems];
  }
  throw new Error("expected a PropsError");
}

const json = synth(props());
const fn = one(json, "aws_lambda_function");
const table = one(json, "aws_dynamodb_table");

describe("QueueConsumer", () => {
  it("maps the queue to the function reporting batch item failures, with batch size, window and maximum concurrency", () => {
    expect(one(json, "aws_lambda_event_source_mapping")).toMatchObject({
      event_source_arn: QUEUE_ARN,
      function_name: expect.stringMatching(/^\$\{aws_lambda_function\.\S+\.arn\}$/),
      function_response_types: ["ReportBatchItemFailures"],
      batch_size: 25,
      maximum_batching_window_in_seconds: 10,
      scaling_config: { maximum_concurrency: 8 },
      enabled: true,
    });
  });

  it("is unreserved by default (a new account's quota of 10 refuses any reservation; the mapping's maximum concurrency caps it), reserves when asked", () => {
    expect(fn.reserved_concurrent_executions).toBeUndefined();
    expect(one(json, "aws_lambda_event_source_mapping").scaling_config).toEqual({ maximum_concurrency: 8 });
    const reserved = one(synth(props({ reservedConcurrency: 12 })), "aws_lambda_function");
    expect(reserved.reserved_concurrent_executions).toBe(12);
  });

  it("runs the bundle on nodejs22.x arm64 with X-Ray, its log group and the runtime's variables", () => {
    expect(fn).toMatchObject({
      function_name: "shop-orders-consumer",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      timeout: 30,
      tracing_config: { mode: "Active" },
      source_code_hash: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
    });
    expect(fn.environment.variables).toEqual({
      ORDERS_SERVICE_URL: "https://orders.example.com/orders",
      CONSUMER_IDEMPOTENCY_TABLE: expect.stringMatching(/aws_dynamodb_table\.\S+\.name/),
      CONSUMER_IDEMPOTENCY_TTL_SECONDS: "86400",
      POWERTOOLS_SERVICE_NAME: "shop-orders-consumer",
    });
    expect(one(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/lambda/shop-orders-consumer",
      retention_in_days: 90,
    });
  });

  it("keeps idempotency records in an on-demand table with TTL, point-in-time recovery and encryption", () => {
    expect(table).toMatchObject({
      name: "shop-orders-consumer-idempotency",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "id",
      attribute: [{ name: "id", type: "S" }],
      ttl: { attribute_name: "expiration", enabled: true },
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
    });
    const keyed = synth(props({ tableKmsKeyArn: TABLE_KEY }));
    expect(one(keyed, "aws_dynamodb_table").server_side_encryption).toEqual({ enabled: true, kms_key_arn: TABLE_KEY });
    expect(JSON.parse(one(keyed, "aws_iam_role_policy").policy).Statement).toContainEqual({
      Sid: "UseTableKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: TABLE_KEY,
      Condition: { StringEquals: { "kms:ViaService": expect.stringMatching(/^dynamodb\./) } },
    });
  });

  it("grants exactly the queue's consumer actions, the table's four item actions and the queue key, on their ARNs", () => {
    const statements = JSON.parse(one(json, "aws_iam_role_policy").policy).Statement;
    expect(statements).toEqual([
      {
        Sid: "ConsumeQueue",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        Resource: QUEUE_ARN,
      },
      {
        Sid: "IdempotencyRecords",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
        Resource: expect.stringMatching(/^\$\{aws_dynamodb_table\.\S+\.arn\}$/),
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: expect.stringMatching(/aws_cloudwatch_log_group\.\S+\.arn\}:\*$/),
      },
      {
        Sid: "XRayTracing",
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      },
      {
        Sid: "DecryptQueue",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: QUEUE_KEY,
        Condition: { StringEquals: { "kms:ViaService": expect.stringMatching(/^sqs\./) } },
      },
    ]);
  });

  it("alarms on DLQ depth, the oldest message's age, function errors and throttles, to the topic", () => {
    const alarms = all(json, "aws_cloudwatch_metric_alarm");
    expect(alarms.map((a) => [a.alarm_name, a.metric_name, a.dimensions]).sort()).toEqual(
      [
        ["shop-orders-dlq-visible-messages", "ApproximateNumberOfMessagesVisible", { QueueName: "shop-orders-dlq" }],
        ["shop-orders-oldest-message-age", "ApproximateAgeOfOldestMessage", { QueueName: "shop-orders" }],
        ["shop-orders-consumer-errors", "Errors", { FunctionName: "shop-orders-consumer" }],
        ["shop-orders-consumer-throttles", "Throttles", { FunctionName: "shop-orders-consumer" }],
      ].sort(),
    );
    for (const a of alarms) expect(a).toMatchObject({ alarm_actions: [TOPIC], ok_actions: [TOPIC] });
  });

  it("refuses a queue visibility timeout below 6 x timeout + window, naming the fields", () => {
    expect(propsErrors(props({ queue: { ...props().queue, visibilityTimeoutSeconds: 189 } }))).toEqual([
      "queue.visibilityTimeoutSeconds: the queue's visibility timeout is 189 s, expected at least 190 s (6 x timeoutSeconds 30 + maximumBatchingWindowSeconds 10): raise it or lower timeoutSeconds",
    ]);
    expect(() => synth(props({ queue: { ...props().queue, visibilityTimeoutSeconds: 190 } }))).not.toThrow();
  });

  it("reports every bad prop at once", () => {
    expect(
      propsErrors(
        props({
          functionName: "bad name",
          maximumConcurrency: 1,
          reservedConcurrency: 4,
          batchSize: 50,
          maximumBatchingWindowSeconds: 0,
          timeoutSeconds: 901,
          environment: { AWS_REGION: "x" },
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^functionName: expected 1-52 letters/),
        "maximumConcurrency: expected a number >= 2, got 1",
        "timeoutSeconds: expected a number <= 900, got 901",
        "maximumBatchingWindowSeconds: a batchSize above 10 needs a batching window of at least 1 s, got 0",
        expect.stringMatching(
          /^environment\.AWS_REGION: invalid key "AWS_REGION": expected a name other than CONSUMER_\*, AWS_\*/,
        ),
      ]),
    );
    expect(propsErrors(props({ maximumConcurrency: 10, reservedConcurrency: 4 }))).toEqual([
      "reservedConcurrency: expected at least maximumConcurrency (10), got 4: the event source would be throttled",
    ]);
  });
});
