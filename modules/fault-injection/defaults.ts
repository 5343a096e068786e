import { FIS_DEFAULT_SLOW_POLL_SECONDS } from "../shared/contract/game-day";

/**
 * Every default and documented limit of the fault-injection module, in one place, each with its reason or source.
 */

/**
 * The AWS FIS Lambda extension: how a function is made ready for the aws:lambda:invocation-* actions (FIS user
 * guide, "Use the AWS FIS aws:lambda:function actions": the layer, AWS_FIS_CONFIGURATION_LOCATION as the S3 ARN of
 * the configuration folder, AWS_LAMBDA_EXEC_WRAPPER=/opt/aws-fis/bootstrap, and the optional polling variables).
 */
export const FIS_EXTENSION = Object.freeze({
  /** The wrapper script the layer ships; Lambda runs it before the runtime (AWS_LAMBDA_EXEC_WRAPPER). */
  execWrapper: "/opt/aws-fis/bootstrap",
  /**
   * The public SSM parameters holding the layer's ARN in each Region, by architecture (FIS user guide, "Available
   * versions of the AWS FIS extension for Lambda", Access Guide): AWS recommends resolving them rather than pinning an
   * ARN, so a new extension version reaches the functions on the next apply.
   */
  layerParameters: Object.freeze({
    arm64: "/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x",
    x86_64: "/aws/service/fis/lambda-extension/AWS-FIS-extension-x86_64/1.x.x",
  }),
  /** The extension's environment variables (same page, "AWS FIS Lambda environment variables"). */
  env: Object.freeze({
    configurationLocation: "AWS_FIS_CONFIGURATION_LOCATION",
    execWrapper: "AWS_LAMBDA_EXEC_WRAPPER",
    slowPollIntervalSeconds: "AWS_FIS_SLOW_POLL_INTERVAL_SECONDS",
    pollMaxWaitMilliseconds: "AWS_FIS_POLL_MAX_WAIT_MILLISECONDS",
    logLevel: "AWS_FIS_LOG_LEVEL",
  }),
});

/** The FIS Lambda actions this module templates, by their short name. */
export const FIS_LAMBDA_ACTIONS: Readonly<
  Record<"invocation-add-delay" | "invocation-error" | "invocation-http-integration-response", string>
> = Object.freeze({
  "invocation-add-delay": "aws:lambda:invocation-add-delay",
  "invocation-error": "aws:lambda:invocation-error",
  "invocation-http-integration-response": "aws:lambda:invocation-http-integration-response",
});

/** AWS's documented ranges of the actions' parameters and the service quotas a template must fit. */
export const FIS_LIMITS = Object.freeze({
  /** invocationPercentage: 1-100 (FIS actions reference). */
  invocationPercentage: [1, 100] as const,
  /** startupDelayMilliseconds: 0-900,000 (aws:lambda:invocation-add-delay). */
  startupDelayMilliseconds: [0, 900_000] as const,
  /** statusCode: 000-999 (aws:lambda:invocation-http-integration-response). */
  statusCode: [0, 999] as const,
  /** Stop conditions per experiment template (FIS quota L-872EC72B). */
  stopConditions: 5,
  /** Resources per experiment target (FIS quotas). */
  functionsPerExperiment: 5,
  /**
   * The slow poll interval the extension accepts, in seconds: it ignores values under 20 (observed and reported by
   * users; AWS documents only the default of 60), and more than 15 minutes would outlast most experiments.
   */
  slowPollIntervalSeconds: [20, 900] as const,
  /** AWS_FIS_POLL_MAX_WAIT_MILLISECONDS: 0 (off, AWS's default) to 10 s, which every invocation may wait. */
  pollMaxWaitMilliseconds: [0, 10_000] as const,
});

export const FAULT_INJECTION_DEFAULTS = Object.freeze({
  /** A quarter of the invocations: enough for every retry path to run, while most traffic still flows. */
  invocationPercentage: 25,
  /** add-delay: AWS's own default, one second. */
  startupDelayMilliseconds: 1000,
  /** error and http-integration-response: fail without running the function (no side effect to undo). */
  preventExecution: true,
  /** http-integration-response: JSON, as API Gateway's proxy integrations expect. */
  contentTypeHeader: "application/json",
  /**
   * The extension's poll while no fault runs: AWS's default, 60 s. Faults start up to this late, so a template's
   * duration is the fault window asked for plus this interval.
   */
  slowPollIntervalSeconds: FIS_DEFAULT_SLOW_POLL_SECONDS,
  /** Wait up to 2 s for an in-flight poll before an invocation: AWS's recommendation with preventExecution. */
  pollMaxWaitMilliseconds: 2000,
  /** The fault window asked for, in seconds, is bounded: one minute to one hour (a game day, not an outage). */
  faultSeconds: Object.freeze({ min: 60, max: 3600 }),
  /** The configuration bucket's folder the experiments write and the functions read. */
  configPrefix: "fis-configs",
  /** The extension logs warnings and errors only: one INFO line per invocation would double the function's logs. */
  extensionLogLevel: "WARN" as const,
  /** Experiment log retention in days. */
  logRetentionDays: 90,
  /** Days KMS waits before deleting the module's key: the longest window, to undo a mistake. */
  keyDeletionWindowDays: 30,
  /** Fault configurations are written and deleted by FIS during an experiment; anything left expires after a day. */
  configExpiryDays: 1,
});
