/**
 * The metrics every redrive run publishes (the Lambda through the embedded metric format, the CLI with one
 * PutMetricData at the end): what a dashboard (and an operator) reads to see what was redriven and when.
 */

/** The CloudWatch namespace of the redrive's metrics. */
export const REDRIVE_METRICS_NAMESPACE = "ResilientEdge/Redrive";

/** The dimension each metric carries: the name of the DLQ the run drained. */
export const REDRIVE_METRICS_DIMENSION = "QueueName";

/** The metrics of one run, by name, with their unit. */
export const REDRIVE_METRICS = Object.freeze({
  Replayed: "Count",
  Failed: "Count",
  Skipped: "Count",
  Duration: "Milliseconds",
} as const);
