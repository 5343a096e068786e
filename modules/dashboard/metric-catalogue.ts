import {
  REDRIVE_METRICS,
  REDRIVE_METRICS_DIMENSION,
  REDRIVE_METRICS_NAMESPACE,
} from "../shared/contract/redrive-metrics";

/**
 * The metrics a dashboard may graph, as AWS documents them: per namespace, each metric with the dimension sets it is
 * published with. A graph of a metric under a dimension set AWS does not publish is empty forever, with no error
 * anywhere, so the body is checked against this catalogue at synth (body-checks.ts).
 */

/** One namespace: where AWS documents it, and its metrics with their dimension sets (names, sorted). */
export interface NamespaceEntry {
  readonly source: string;
  readonly metrics: Readonly<Record<string, readonly (readonly string[])[]>>;
}

const each = (names: readonly string[], sets: readonly (readonly string[])[]) =>
  Object.fromEntries(names.map((n) => [n, sets]));

/** The catalogue, by namespace. */
export const METRIC_CATALOGUE: Readonly<Record<string, NamespaceEntry>> = Object.freeze({
  "AWS/ApiGateway": {
    source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html",
    metrics: each(
      ["4XXError", "5XXError", "CacheHitCount", "CacheMissCount", "Count", "IntegrationLatency", "Latency"],
      [["ApiName"], ["ApiName", "Stage"], ["ApiName", "Method", "Resource", "Stage"]],
    ),
  },
  "AWS/SQS": {
    source:
      "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html",
    metrics: each(
      [
        "ApproximateAgeOfOldestMessage",
        "ApproximateNumberOfMessagesDelayed",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesVisible",
        "NumberOfEmptyReceives",
        "NumberOfMessagesDeleted",
        "NumberOfMessagesReceived",
        "NumberOfMessagesSent",
        "SentMessageSize",
      ],
      [["QueueName"]],
    ),
  },
  "AWS/Lambda": {
    source: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
    metrics: each(
      [
        "Invocations",
        "Errors",
        "DeadLetterErrors",
        "DestinationDeliveryFailures",
        "Throttles",
        "Duration",
        "ConcurrentExecutions",
        "AsyncEventsReceived",
        "AsyncEventAge",
        "AsyncEventsDropped",
      ],
      [["FunctionName"], ["FunctionName", "Resource"], ["ExecutedVersion", "FunctionName", "Resource"]],
    ),
  },
  "AWS/Events": {
    // "Metrics that specify only the RuleName dimension refer to the default event bus. Metrics that specify both the
    // EventBusName and RuleName dimensions refer to a custom event bus."
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html",
    metrics: each(
      [
        "Invocations",
        "FailedInvocations",
        "RetryInvocationAttempts",
        "InvocationsSentToDlq",
        "InvocationsFailedToBeSentToDlq",
        "MatchedEvents",
        "TriggeredRules",
        "ThrottledRules",
      ],
      [["RuleName"], ["EventBusName", "RuleName"]],
    ),
  },
  "AWS/EventBridge/Pipes": {
    // The table lists "AwsAccountId, PipeName" for ExecutionThrottled and Invocations: read as published per account and
    // per pipe (Concurrency, account-wide, lists AwsAccountId alone).
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-monitoring.html",
    metrics: {
      ...each(
        [
          "Duration",
          "EventCount",
          "ExecutionTimeout",
          "ExecutionFailed",
          "ExecutionPartiallyFailed",
          "TargetStageFailed",
          "TargetStagePartiallyFailed",
        ],
        [["PipeName"]],
      ),
      ...each(["ExecutionThrottled", "Invocations"], [["AwsAccountId"], ["PipeName"]]),
    },
  },
  "AWS/States": {
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html",
    metrics: each(
      [
        "ExecutionTime",
        "ExecutionThrottled",
        "ExecutionsAborted",
        "ExecutionsFailed",
        "ExecutionsStarted",
        "ExecutionsSucceeded",
        "ExecutionsTimedOut",
        "ExecutionsRedriven",
      ],
      [["StateMachineArn"]],
    ),
  },
  [REDRIVE_METRICS_NAMESPACE]: {
    source: "modules/shared/contract/redrive-metrics.ts (published by every redrive run, CLI and Lambda)",
    metrics: each(Object.keys(REDRIVE_METRICS), [[REDRIVE_METRICS_DIMENSION]]),
  },
});

/**
 * CloudWatch's statistics (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html):
 * the five basic ones and percentiles pNN or pNN.NN.
 */
export const STATISTIC = /^(SampleCount|Average|Sum|Minimum|Maximum|p(\d{1,2}(\.\d{1,2})?|100))$/;
