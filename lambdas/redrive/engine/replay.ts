/**
 * The replay half of a run: sends the replays of one destination (in batches its limits accept; FIFO queues in
 * group order), retries what failed retryably, then deletes from the DLQ exactly what the destination acknowledged,
 * and records one outcome per message.
 */
import type { EngineDeps, RetryPolicy, Warn } from "./deps";
import { batchBudget, deleteAll, deliver, splitByPayload } from "./delivery";
import type { Holds } from "./holds";
import type { Outcome } from "./model";
import type { Pacer } from "./pacer";
import { groupOf, logged, type Pending } from "./pending";
import { backoff, describeError, isRetryable, sleep } from "./retry";
import type { Tally } from "./tally";
import type { BatchFailure, QueuePort } from "../ports/port";

export class Replayer {
  constructor(
    private readonly deps: EngineDeps,
    private readonly queueUrl: string,
    private readonly retry: RetryPolicy,
    private readonly warn: Warn,
    private readonly holds: Holds,
    private readonly tally: Tally,
    private readonly pacer: Pacer,
  ) {}

  private get port(): QueuePort {
    return this.deps.port;
  }

  private failOutcome(p: Pending, url: string, error: string): Outcome {
    return {
      outcome: "failed",
      error,
      destination: url,
      redriveId: p.context.redriveId,
      ...logged(p.destination, p.context),
    };
  }

  /**
   * Sends (in batches whose total payload the destination accepts; FIFO queues in group order),
   * then deletes exactly the acknowledged messages. A message whose receipt handle lapsed is not
   * sent; one that lapsed after sending is reported not deleted (the delete cannot be trusted).
   */
  async replay(url: string, list: Pending[], heldBack: (p: Pending) => boolean): Promise<void> {
    const d = list[0].destination;
    const fresh = list.filter((p) => {
      if (!this.holds.lapsed(p.msg.receiptHandle, this.holds.margin)) return true;
      this.tally.emit(
        p.msg,
        p.info,
        this.failOutcome(
          p,
          url,
          `its hold had less than ${this.holds.margin} ms of visibility left before the replay was sent (not enough to send and delete safely); left in the DLQ`,
        ),
      );
      return false;
    });
    // A batch of asynchronous invokes is not one request: no payload budget applies to it.
    const acked =
      d.kind === "sqs" && d.fifo
        ? await this.sendInGroupOrder(url, fresh, batchBudget(d), heldBack)
        : (await Promise.all(splitByPayload(fresh, batchBudget(d)).map((batch) => this.send(url, batch)))).flat();
    if (acked.length === 0) return;

    const deleted = await deleteAll(
      this.port,
      this.queueUrl,
      this.retry,
      this.warn,
      acked.map((p) => p.msg),
    );
    // Judged when the delete has returned: a hold that ended before then may have let another receiver replay the
    // message too, and SQS accepts a delete with a stale handle without deleting anything.
    const lapsed = new Set(acked.filter((p) => this.holds.lapsed(p.msg.receiptHandle)).map((p) => p.msg.receiptHandle));
    if (lapsed.size > 0) {
      this.warn(
        "replayed, but the hold on the message may have lapsed before the delete returned: possible duplicates (same redriveId), delete not confirmed",
        {
          messageIds: acked.filter((p) => lapsed.has(p.msg.receiptHandle)).map((p) => p.msg.messageId),
        },
      );
    }
    for (const p of acked) {
      if (deleted.has(p.msg.receiptHandle)) this.holds.deleted(p.msg.receiptHandle);
      const holdLapsed = lapsed.has(p.msg.receiptHandle);
      this.tally.emit(p.msg, p.info, {
        outcome: "replayed",
        destination: url,
        redriveId: p.context.redriveId,
        redriveCount: p.context.redriveCount,
        deleted: deleted.has(p.msg.receiptHandle) && !holdLapsed,
        ...(holdLapsed ? { holdLapsed: true as const } : {}),
        ...logged(d, p.context),
      });
    }
  }

  /**
   * FIFO destination: messages of one group are sent in the order they were received, one per
   * group per round, each round after the previous one's retries. Once a message of a group
   * fails, the group's later messages are not sent (they would overtake it) and stay in the DLQ.
   */
  private async sendInGroupOrder(
    url: string,
    list: Pending[],
    budget: number,
    heldBack: (p: Pending) => boolean,
  ): Promise<Pending[]> {
    const groups = new Map<string, Pending[]>();
    for (const p of list) groups.set(groupOf(p), [...(groups.get(groupOf(p)) ?? []), p]);
    const acked: Pending[] = [];
    const broken = new Set<string>();
    for (let round = 0; ; round++) {
      const batch = [...groups.values()].map((q) => q[round]).filter((p): p is Pending => p !== undefined);
      if (batch.length === 0) return acked;
      const go = batch.filter((p) => {
        if (!broken.has(groupOf(p)) && !heldBack(p)) return true;
        broken.add(groupOf(p));
        this.tally.emit(
          p.msg,
          p.info,
          this.failOutcome(
            p,
            url,
            `not sent: an earlier message of MessageGroupId ${JSON.stringify(groupOf(p))} failed, and sending this one would reorder the group`,
          ),
        );
        return false;
      });
      const sent = (await Promise.all(splitByPayload(go, budget).map((b) => this.send(url, b)))).flat();
      for (const p of go) if (!sent.includes(p)) broken.add(groupOf(p));
      acked.push(...sent);
    }
  }

  /** Sends one batch, retrying what failed retryably; resolves with the entries the destination acknowledged. */
  private async send(url: string, list: Pending[]): Promise<Pending[]> {
    const destination = list[0].destination;
    let todo = list.map((p, i) => ({ id: String(i), p }));
    const acked: Pending[] = [];
    let lastError = new Map<string, string>();
    for (let attempt = 0; attempt < this.retry.attempts && todo.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoff(this.retry.baseDelayMs, attempt - 1));
      const errors = new Map<string, string>();
      let result: { ok: readonly string[]; failed: readonly BatchFailure[] };
      try {
        result = await deliver(this.deps, destination, todo);
      } catch (err) {
        this.pacer.trouble();
        for (const t of todo) errors.set(t.id, describeError(err));
        lastError = errors;
        if (!isRetryable(err)) break;
        continue;
      }
      const ok = new Set(result.ok);
      const next: typeof todo = [];
      for (const t of todo) {
        if (ok.has(t.id)) {
          acked.push(t.p);
          continue;
        }
        const f = result.failed.find((x) => x.id === t.id);
        const error = f ? `${f.code}: ${f.message}` : "not acknowledged by the destination";
        if (f?.senderFault) this.tally.emit(t.p.msg, t.p.info, this.failOutcome(t.p, url, error));
        else {
          errors.set(t.id, error);
          next.push(t);
        }
      }
      // Entries the destination could not take now (throttled, internal errors): fewer lanes.
      if (next.length > 0) this.pacer.trouble();
      lastError = errors;
      todo = next;
    }
    for (const t of todo)
      this.tally.emit(t.p.msg, t.p.info, this.failOutcome(t.p, url, lastError.get(t.id) ?? "not sent"));
    return acked;
  }
}
