import type { QueueEncryption } from "./types";

/** The `aws_sqs_queue` arguments for one encryption choice (KMS needs the key's ARN). */
export function queueEncryption(
  encryption: QueueEncryption,
  kmsKeyArn: string | undefined,
): { sqsManagedSseEnabled?: boolean; kmsMasterKeyId?: string; kmsDataKeyReusePeriodSeconds?: number } {
  if (encryption === "kms") {
    if (!kmsKeyArn) throw new Error("queueEncryption: KMS encryption needs a key ARN");
    return { kmsMasterKeyId: kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 };
  }
  return { sqsManagedSseEnabled: true };
}

/** Statement denying every SQS action over plain HTTP on one queue. */
export function denyInsecureTransport(queueArn: string): Record<string, unknown> {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:*",
    Resource: queueArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** EventBridge's service principal. */
export const EVENTS_PRINCIPAL = "events.amazonaws.com";
