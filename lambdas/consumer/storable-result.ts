/**
 * What the runtime remembers of a business step's result. Powertools stores the result, as JSON, in
 * the idempotency record; DynamoDB refuses an item over 400 KB
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items),
 * and a result JSON cannot encode (a cycle, a BigInt) fails the save. A failed save is not a failed
 * step: the step already ran and did its work, so failing the record would run it again on every
 * receive, dead-letter a message that succeeded, and run it once more on redrive. The runtime
 * therefore checks the result before the step is counted done and, when it cannot be stored, stores
 * a small marker in its place (the step is done, once) and logs the reason as an error.
 */

/** The largest result (UTF-8 bytes of its JSON) stored: DynamoDB's 400 KB item less room for the key, hashes and status. */
export const MAX_RESULT_BYTES = 350 * 1024;

/** Stored instead of a result that could not be stored; a duplicate delivery gets this. */
export interface ResultNotStored {
  readonly resultNotStored: string;
}

/** Why `result` cannot be stored, or undefined when it can. */
export function unstorableReason(result: unknown): string | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (error) {
    return `the result is not JSON-serializable (${(error as Error).message.split("\n")[0]})`;
  }
  const bytes = json === undefined ? 0 : Buffer.byteLength(json, "utf8");
  if (bytes > MAX_RESULT_BYTES)
    return `the result is ${bytes} bytes of JSON, over the ${MAX_RESULT_BYTES} bytes an idempotency record can hold (DynamoDB items are at most 400 KB)`;
  return undefined;
}

/** The result to store: `result` itself, or a marker naming why it was not stored (and the log line saying so). */
export function storableResult<R>(
  result: R,
  where: { readonly messageId: string; readonly idempotencyKey: string },
): R | ResultNotStored {
  const reason = unstorableReason(result);
  if (reason === undefined) return result;
  console.error(
    JSON.stringify({
      level: "ERROR",
      event: "consumer.result-not-stored",
      messageId: where.messageId,
      idempotencyKey: where.idempotencyKey,
      reason: `${reason}: the step is done and will not run again for this key; a duplicate gets {"resultNotStored": ...}. Return a smaller result (an id, a status).`,
    }),
  );
  return { resultNotStored: reason };
}
