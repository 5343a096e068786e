import type { SQSClient } from "@aws-sdk/client-sqs";

/** Moves every message of `from` to `to` with `workers` receive 10 / send batch / delete batch loops; returns the count. */
export function batchedCopy(
  sqs: SQSClient,
  from: string,
  to: string,
  workers: number,
  onBatch?: (movedSoFar: number) => void,
): Promise<number>;
