/**
 * The consumer function's environment: the QueueConsumer module writes these variables and the
 * runtime (consumer.ts) reads them; names are shared from here so the two cannot drift.
 */
import { CONSUMER_ENV } from "../../modules/shared/contract/environment-names";

export { CONSUMER_ENV };

/** What the runtime needs from the environment. */
export interface ConsumerEnvironment {
  readonly tableName: string;
  readonly expiresAfterSeconds: number;
}

/** Reads and checks the CONSUMER_* variables; every problem is named at once. */
export function readConsumerEnvironment(env: Readonly<Record<string, string | undefined>>): ConsumerEnvironment {
  const problems: string[] = [];
  const tableName = env[CONSUMER_ENV.idempotencyTable] ?? "";
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName))
    problems.push(
      `${CONSUMER_ENV.idempotencyTable}: expected a DynamoDB table name, got ${JSON.stringify(env[CONSUMER_ENV.idempotencyTable] ?? null)}`,
    );
  const ttlText = env[CONSUMER_ENV.idempotencyTtlSeconds];
  const expiresAfterSeconds = ttlText === undefined ? 86400 : Number(ttlText);
  if (!Number.isInteger(expiresAfterSeconds) || expiresAfterSeconds < 1)
    problems.push(
      `${CONSUMER_ENV.idempotencyTtlSeconds}: expected a whole number of seconds >= 1, got ${JSON.stringify(ttlText)}`,
    );
  if (problems.length > 0) throw new Error(`invalid consumer function environment:\n  ${problems.join("\n  ")}`);
  return { tableName, expiresAfterSeconds };
}
