import { PipesPipe } from "@cdktn/provider-aws/lib/pipes-pipe";
import type { Construct } from "constructs";
import type { OutboxEventSpec } from "../shared/contract/outbox-spec";
import { renderFilterPattern, renderInputTemplate } from "../shared/contract/outbox-template";
import type { TimeSleep } from "../shared/time-sleep";
import type { OutboxPipeSettings } from "./outbox-settings";

/** Where one pipe reads, writes and fails to. */
export interface PipeEnds {
  readonly roleArn: string;
  readonly streamArn: string;
  readonly busArn: string;
  readonly dlqArn: string;
  readonly keyArn: string;
  readonly logGroupArn: string;
  /** The wait for the role's policy to propagate (the pipe is created after it). */
  readonly propagation: TimeSleep;
}

/**
 * One pipe per business event: the stream -> filter (the event's records only) -> the template (the business event,
 * no DynamoDB wrappers) -> the bus, with the event's detail-type and source. Bounded retries and record age,
 * bisection of a failing batch, the DLQ, the customer key, ERROR logs without execution data by default.
 */
export function createOutboxPipe(
  scope: Construct,
  pipeName: string,
  spec: OutboxEventSpec,
  ends: PipeEnds,
  s: OutboxPipeSettings,
): PipesPipe {
  return new PipesPipe(scope, `pipe-${pipeName}`, {
    name: pipeName,
    description: `Outbox: ${spec.eventNames.join("/")} records -> ${spec.detailType} events`,
    roleArn: ends.roleArn,
    source: ends.streamArn,
    target: ends.busArn,
    desiredState: "RUNNING",
    kmsKeyIdentifier: ends.keyArn,
    sourceParameters: {
      dynamodbStreamParameters: {
        startingPosition: s.startingPosition,
        batchSize: s.batchSize,
        maximumBatchingWindowInSeconds: s.maximumBatchingWindowSeconds,
        maximumRetryAttempts: s.maximumRetryAttempts,
        maximumRecordAgeInSeconds: s.maximumRecordAgeSeconds,
        onPartialBatchItemFailure: "AUTOMATIC_BISECT",
        parallelizationFactor: s.parallelizationFactor,
        deadLetterConfig: { arn: ends.dlqArn },
      },
      filterCriteria: { filter: [{ pattern: JSON.stringify(renderFilterPattern(spec)) }] },
    },
    targetParameters: {
      inputTemplate: renderInputTemplate(spec),
      eventbridgeEventBusParameters: { detailType: spec.detailType, source: spec.source },
    },
    logConfiguration: {
      level: s.logLevel,
      includeExecutionData: s.includeExecutionData ? ["ALL"] : undefined,
      cloudwatchLogsLogDestination: { logGroupArn: ends.logGroupArn },
    },
    dependsOn: [ends.propagation],
    tags: s.tags,
  });
}
