import { z } from "zod";
import { parseMethodKey } from "../../modules/api/api-definition";
import { ASYNC_QUEUE_DEFAULTS } from "../../modules/api/front-door-rules";
import { consumerTimingProblems } from "../../modules/consumer/consumer-rules";
import { queueConsumerFields } from "../../modules/consumer/queue-consumer-schema";
import type { ApiConfig } from "./api";

/**
 * The `consumers` section of env/<name>.json: queue consumers (modules/consumer, QueueConsumer),
 * each reading the queue of one async API route. Every tunable field is the module's own schema (limits,
 * defaults, patterns); `name` and `route` are the config's, and `memoryMb` is the module's `memorySize`. The timing
 * rule (visibility >= 6 x timeout + window) is the module's own `consumerTimingProblems`, checked against the
 * route's queue.
 */

const f = queueConsumerFields;

export const consumerSchema = z.strictObject({
  /** Consumer name; the function is `<env>-<name>` (at most 31 + 1 + 20 characters: the table adds "-idempotency"). */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, {
    message: "expected a name of at most 20 lower-case letters, digits and '-', starting with a letter",
  }),
  /** Method key of the async (SQS) route whose queue it consumes (`POST /orders`). */
  route: z
    .string()
    .refine((k) => parseMethodKey(k) !== undefined, { message: 'expected a method key such as "POST /orders"' }),
  timeoutSeconds: f.timeoutSeconds,
  memoryMb: f.memorySize,
  batchSize: f.batchSize,
  maximumBatchingWindowSeconds: f.maximumBatchingWindowSeconds,
  maximumConcurrency: f.maximumConcurrency,
  reservedConcurrency: f.reservedConcurrency,
  logRetentionDays: f.logRetentionDays,
  idempotencyTtlSeconds: f.idempotencyTtlSeconds,
  tableKmsKeyArn: f.tableKmsKeyArn,
  oldestMessageAgeAlarmSeconds: f.oldestMessageAgeAlarmSeconds,
  /** The function's own variables (the handler template reads ORDERS_SERVICE_URL). */
  environment: f.environment,
});

/** Config paths of a consumer by QueueConsumer props path, where the names differ. */
export const CONSUMER_CONFIG_NAMES: Readonly<Record<string, string>> = { memorySize: "memoryMb" };

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
