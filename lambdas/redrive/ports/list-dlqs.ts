/**
 * `--list`: an environment's dead-letter queues, read from SQS itself (no Terraform, no state):
 * ListQueues by the environment's name prefix, then each queue's attributes. A queue is a DLQ when
 * its name follows the modules' convention (`<env>-<target>-delivery-dlq` for EventBridge target
 * DLQs, `<queue>-dlq` for a queue's own DLQ, `<env>-<target>-async-failures` for a Lambda target's
 * on-failure destination, `<env>-<outbox>-pipe-dlq` for an outbox's pipes) or another listed queue's RedrivePolicy names it.
 */
import type { SqsPort } from "./sqs-port";

/** One dead-letter queue as SQS reports it. */
export interface ListedDlq {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  /** ApproximateNumberOfMessages. */
  readonly visible: number;
  /** ApproximateNumberOfMessagesNotVisible (taken by a consumer or a redrive run right now). */
  readonly inFlight: number;
  /** Age in seconds of the oldest of up to 10 sampled visible messages (SentTimestamp); null when empty or not sampled. */
  readonly oldestSampledAgeSeconds: number | null;
  /** "eventbridge-target" (a rule target's delivery DLQ), "lambda-on-failure", "outbox-pipe" (an outbox's pipes' failures) or "queue" (the DLQ of the queues in `sources`). */
  readonly kind: "eventbridge-target" | "lambda-on-failure" | "outbox-pipe" | "queue";
  /** Names of the listed queues whose RedrivePolicy sends to this one. */
  readonly sources: readonly string[];
}

const ATTRIBUTES = [
  "QueueArn",
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "RedrivePolicy",
] as const;

/** The part of the SQS port listing needs. */
export type ListPort = Pick<SqsPort, "listQueueUrls" | "attributes" | "peekSentTimestamps">;

/** Lists the DLQs whose names start with `prefix`, sorted by name. `now` is the clock for ages. */
export async function listDeadLetterQueues(port: ListPort, prefix: string, now = Date.now()): Promise<ListedDlq[]> {
  const urls = await port.listQueueUrls(prefix);
  const queues = await Promise.all(
    urls.map(async (url) => ({
      url,
      name: url.slice(url.lastIndexOf("/") + 1),
      attrs: await port.attributes(url, ATTRIBUTES),
    })),
  );
  const sources = new Map<string, string[]>();
  for (const q of queues) {
    const target = deadLetterTarget(q.attrs.RedrivePolicy);
    if (target) sources.set(target, [...(sources.get(target) ?? []), q.name]);
  }
  const dlqs = queues.filter(
    (q) => /-(dlq|async-failures)(\.fifo)?$/.test(q.name) || sources.has(q.attrs.QueueArn ?? ""),
  );
  const listed = await Promise.all(
    dlqs.map(async (q): Promise<ListedDlq> => {
      const visible = Number(q.attrs.ApproximateNumberOfMessages ?? 0);
      const inFlight = Number(q.attrs.ApproximateNumberOfMessagesNotVisible ?? 0);
      // A peek is a receive: never on a queue that itself moves messages after maxReceiveCount receives.
      const stamps = visible + inFlight > 0 && !q.attrs.RedrivePolicy ? await port.peekSentTimestamps(q.url) : [];
      return {
        name: q.name,
        url: q.url,
        arn: q.attrs.QueueArn ?? "",
        visible,
        inFlight,
        oldestSampledAgeSeconds: stamps.length > 0 ? Math.max(0, Math.floor((now - Math.min(...stamps)) / 1000)) : null,
        kind: kindOf(q.name),
        sources: (sources.get(q.attrs.QueueArn ?? "") ?? []).sort(),
      };
    }),
  );
  return listed.sort((a, b) => a.name.localeCompare(b.name));
}

/** The kind of a DLQ by the modules' naming convention. */
function kindOf(name: string): ListedDlq["kind"] {
  if (/-delivery-dlq$/.test(name)) return "eventbridge-target";
  if (/-async-failures$/.test(name)) return "lambda-on-failure";
  return /-pipe-dlq$/.test(name) ? "outbox-pipe" : "queue";
}

function deadLetterTarget(policy: string | undefined): string | undefined {
  if (!policy) return undefined;
  try {
    const p = JSON.parse(policy) as { deadLetterTargetArn?: unknown };
    return typeof p.deadLetterTargetArn === "string" ? p.deadLetterTargetArn : undefined;
  } catch {
    return undefined;
  }
}

/** "3d 4h", "2h 5m", "7m 3s", "12s". */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return "-";
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/** The text table `--list` prints. */
export function listTable(title: string, dlqs: readonly ListedDlq[]): string {
  if (dlqs.length === 0) return `${title}\n  (no dead-letter queues found)\n`;
  const width = Math.max(5, ...dlqs.map((q) => q.name.length));
  const rows = dlqs.map(
    (q) =>
      `  ${q.name.padEnd(width)}  ${String(q.visible).padStart(8)}  ${String(q.inFlight).padStart(9)}  ${formatAge(q.oldestSampledAgeSeconds).padStart(15)}  ${q.url}`,
  );
  return `${title}\n  ${"queue".padEnd(width)}  ${"visible".padStart(8)}  ${"in flight".padStart(9)}  ${"oldest (sample)".padStart(15)}  url\n${rows.join("\n")}\n`;
}
