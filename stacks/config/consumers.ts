import { z } from "zod";
import { parseMethodKey } from "../../modules/api/api-definition";
import { ASYNC_QUEUE_DEFAULTS, KMS_KEY_ARN_PATTERN } from "../../modules/api/front-door-rules";
import {
  BATCH_SIZE,
  BATCHING_WINDOW_SECONDS,
  consumerTimingProblems,
  FUNCTION_TIMEOUT_SECONDS,
  MAXIMUM_CONCURRENCY,
} from "../../modules/consumer/consumer-rules";
import { REDRIVE_LOG_RETENTION_DAYS } from "../../modules/redrive/redrive-function";
import type { ApiConfig } from "./api";

/**
 * The `consumers` section of env/<name>.json: queue consumers (modules/consumer, QueueConsumer),
 * each reading the queue of one async API route. The timing rule (visibility >= 6 x timeout +
 * window) is the module's own `consumerTimingProblems`, checked against the route's queue.
 */

const int = (min: number, max: number) => z.int().min(min).max(max);

export const consumerSchema = z.strictObject({
  /** Consumer name; the function is `<env>-<name>` (at most 31 + 1 + 20 characters: the table adds "-idempotency"). */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, {
    message: "expected a name of at most 20 lower-case letters, digits and '-', starting with a letter",
  }),
  /** Method key of the async (SQS) route whose queue it consumes (`POST /orders`). */
  route: z
    .string()
    .refine((k) => parseMethodKey(k) !== undefined, { message: 'expected a method key such as "POST /orders"' }),
  timeoutSeconds: int(FUNCTION_TIMEOUT_SECONDS.min, FUNCTION_TIMEOUT_SECONDS.max).optional(),
  memoryMb: int(128, 10240).optional(),
  batchSize: int(BATCH_SIZE.min, BATCH_SIZE.max).optional(),
  maximumBatchingWindowSeconds: int(BATCHING_WINDOW_SECONDS.min, BATCHING_WINDOW_SECONDS.max).optional(),
  maximumConcurrency: int(MAXIMUM_CONCURRENCY.min, MAXIMUM_CONCURRENCY.max).optional(),
  reservedConcurrency: int(1, 1000).optional(),
  logRetentionDays: z
    .int()
    .refine((d) => (REDRIVE_LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `expected one of ${REDRIVE_LOG_RETENTION_DAYS.join(", ")}`,
    })
    .optional(),
  idempotencyTtlSeconds: int(60, 2_592_000).optional(),
  tableKmsKeyArn: z
    .string()
    .regex(KMS_KEY_ARN_PATTERN, { message: "expected a KMS key ARN (not an alias)" })
    .optional(),
  oldestMessageAgeAlarmSeconds: int(60, 1_209_600).optional(),
  /** The function's own variables (the handler template reads ORDERS_SERVICE_URL). */
  environment: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, { message: "expected a variable name of letters, digits and '_'" }),
      z.string(),
    )
    .optional(),
});

export const consumersSchema = z.array(consumerSchema);

/** A validated consumer. */
export type ConsumerConfig = z.infer<typeof consumerSchema>;

/** Problems of consumers against the API: each names an async route with a queue the module creates, once, and fits its timing. */
export function consumerProblems(
  consumers: readonly ConsumerConfig[],
  api: ApiConfig | undefined,
): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const names = new Map<string, number>();
  const routes = new Map<string, number>();
  consumers.forEach((c, i) => {
    const first = names.get(c.name);
    if (first !== undefined)
      out.push({ path: [i, "name"], message: `duplicate consumer name "${c.name}" (also consumers[${first}])` });
    else names.set(c.name, i);
    const parsed = parseMethodKey(c.route);
    if (!parsed) return;
    const method = api?.resources[parsed.path]?.[parsed.method];
    if (method?.integration.type !== "SQS") {
      out.push({
        path: [i, "route"],
        message: `${c.route} is not an async (SQS) route of api.resources; a consumer reads the queue of one`,
      });
      return;
    }
    if (method.integration.existingQueue) {
      out.push({
        path: [i, "route"],
        message: `${c.route} writes to an existing queue (existingQueue): its consumer belongs with the queue's owner`,
      });
      return;
    }
    const other = routes.get(c.route);
    if (other !== undefined)
      out.push({
        path: [i, "route"],
        message: `${c.route} already has a consumer (consumers[${other}]): two consumers would each get half of the records`,
      });
    else routes.set(c.route, i);
    const visibilityTimeoutSeconds =
      method.integration.queue?.visibilityTimeoutSeconds ?? ASYNC_QUEUE_DEFAULTS.visibilityTimeoutSeconds;
    for (const p of consumerTimingProblems({ ...c, visibilityTimeoutSeconds })) {
      out.push({ path: [i, p.field === "visibilityTimeoutSeconds" ? "timeoutSeconds" : p.field], message: p.message });
    }
  });
  return out;
}
