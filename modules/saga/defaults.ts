/**
 * Every default of the saga module, in one place, each with its reason; the props docs quote them.
 */
export const SAGA_DEFAULTS = Object.freeze({
  /** A step's timeout: five minutes, so a hung call fails (and is compensated) instead of holding the saga a year. */
  timeoutSeconds: 300,
  /**
   * An action's retry of transient errors: three tries, 1 s then doubling, at most 10 s apart, full jitter (callers
   * retrying in step would hit a throttled service together).
   */
  actionRetry: Object.freeze({ intervalSeconds: 1, backoffRate: 2, maxAttempts: 3, maxDelaySeconds: 10 }),
  /**
   * A compensation's retry of any error: harder than the action's (undoing is what keeps the services consistent),
   * 8 tries, 2 s then doubling, at most a minute apart, full jitter.
   */
  compensationRetry: Object.freeze({ intervalSeconds: 2, backoffRate: 2, maxAttempts: 8, maxDelaySeconds: 60 }),
  /** Execution log level: failures are visible; execution data (inputs and outputs, PII) is off by default. */
  logLevel: "ERROR" as const,
  /** Log retention in days. */
  logRetentionDays: 90,
  /** Age of the needs-a-human queue's oldest message at which its age alarm fires: a business hour. */
  needsAHumanAgeAlarmSeconds: 3600,
  /** Days KMS waits before deleting the module's key: the longest window, to undo a mistake. */
  keyDeletionWindowDays: 30,
});

/**
 * Errors each kind of task retries by default: the service's transient failures as Step Functions names them
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html for Lambda), and
 * `States.Timeout` (a missed heartbeat is `States.HeartbeatTimeout`, which it matches).
 */
export const TRANSIENT_ERRORS = Object.freeze({
  lambda: [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "States.Timeout",
  ],
  dynamodb: [
    "DynamoDB.ProvisionedThroughputExceededException",
    "DynamoDB.ThrottlingException",
    "DynamoDB.InternalServerErrorException",
    "DynamoDB.RequestLimitExceeded",
    "States.Timeout",
  ],
  sqs: ["SQS.SdkClientException", "States.Timeout"],
  eventbridge: ["EventBridge.SdkClientException", "States.Timeout"],
} as const);
