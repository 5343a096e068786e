/**
 * The decision half of a run: every message of a receive classified (filters, cap, route), its destination
 * resolved and its replay prepared; the replays then go out by destination (replay.ts), FIFO groups held back behind
 * a message that stays. Each message gets exactly one outcome.
 */
import {
  classify,
  type DeadLetterInfo,
  messageSize,
  prepareInvoke,
  preparePutEvent,
  prepareReplay,
  prepareStart,
  redriveContextOf,
} from "./decide";
import type { EngineDeps } from "./deps";
import { routeName } from "./destinations";
import type { Destination, DlqMessage, RedriveContext, SkipReason } from "./model";
import type { RedriveOptions } from "./options";
import { destinationName, groupOf, logged, type Pending, type Replay } from "./pending";
import type { Replayer } from "./replay";
import { describeError } from "./retry";
import type { RunCounters } from "./run-counters";
import type { Tally } from "./tally";
import type { Route } from "./decide";
import type { QueueDescription } from "../ports/port";

/** What one receive's decisions come to: the replays to send, and the FIFO groups that must wait. */
interface Decisions {
  readonly pending: Pending[];
  /** FIFO destination + group -> receive position of its first message that stays behind. */
  readonly barriers: Map<string, number>;
  /** Messages left in place (skipped), not counted as taken. */
  left: number;
}

/** The clients a route kind's replays need besides SQS (a run without them leaves those messages in place). */
const CLIENTS_NEEDED: Record<Exclude<Route["kind"], "queue-url" | "sqs">, [keyof EngineDeps, string][]> = {
  lambda: [["functions", "Lambda"]],
  "event-bus": [["buses", "EventBridge"]],
  "step-functions": [["machines", "Step Functions"]],
  "outbox-pipe": [
    ["pipes", "Pipes"],
    ["streams", "DynamoDB Streams"],
    ["buses", "EventBridge"],
  ],
};

export class BatchDecider {
  constructor(
    private readonly options: RedriveOptions,
    private readonly deps: EngineDeps,
    private readonly source: QueueDescription,
    private readonly tally: Tally,
    private readonly counters: RunCounters,
    private readonly resolve: (route: Route) => Promise<Destination>,
    private readonly replayer: Replayer,
    private readonly now: () => Date,
  ) {}

  /** Decides every message of a receive and replays those to replay; resolves with how many were taken for replay. */
  async process(messages: DlqMessage[]): Promise<number> {
    const d: Decisions = { pending: [], barriers: new Map(), left: 0 };
    for (const msg of messages) await this.decide(msg, messages, d);
    const byDestination = new Map<string, Pending[]>();
    for (const p of d.pending) {
      const key = destinationName(p.destination);
      byDestination.set(key, [...(byDestination.get(key) ?? []), p]);
    }
    const heldBack = (p: Pending) =>
      messages.indexOf(p.msg) > (d.barriers.get(`${destinationName(p.destination)}\n${groupOf(p)}`) ?? Infinity);
    await Promise.all([...byDestination.entries()].map(([name, list]) => this.replayer.replay(name, list, heldBack)));
    return messages.length - d.left;
  }

  /** One message: its outcome now (failed, skipped, would-replay), or its replay added to the pending ones. */
  private async decide(msg: DlqMessage, messages: readonly DlqMessage[], d: Decisions): Promise<void> {
    const skip = (info: DeadLetterInfo, reason: SkipReason, detail: string) => {
      d.left++;
      this.tally.emit(msg, info, { outcome: "skipped", reason, detail });
    };
    const c = classify(msg, this.options);
    this.tally.receivedOne(msg, c.info);
    this.counters.addReceived(1);
    if (c.action === "fail") return this.tally.emit(msg, c.info, { outcome: "failed", error: c.error });
    if (c.action === "skip") return skip(c.info, c.reason, c.detail);
    const missing = this.missingClient(c.route);
    if (missing) return skip(c.info, "unsupported-target", missing);
    const destination = await this.destinationOf(msg, c.info, c.route);
    if (!destination) return;
    const prepared = this.prepare(msg, c.info, destination);
    if (prepared.action === "skip") return skip(c.info, prepared.reason, prepared.detail);
    if (prepared.action === "fail") return this.failed(msg, c.info, destination, prepared.error, messages, d);
    if (this.options.dryRun) return this.wouldReplay(msg, c.info, destination, prepared.context);
    d.pending.push({ msg, info: c.info, destination, ...prepared });
  }

  /** Why a route cannot be replayed by this run (no client for its kind), if it cannot. */
  private missingClient(route: Route): string | undefined {
    if (route.kind === "queue-url" || route.kind === "sqs") return undefined;
    const needs = CLIENTS_NEEDED[route.kind];
    if (needs.every(([dep]) => this.deps[dep])) return undefined;
    return `this run has no ${needs.map(([, what]) => what).join(", ")} client for target ${route.arn.raw}`;
  }

  /** The destination a route resolves to; undefined (the failure recorded) when it cannot be or is the DLQ itself. */
  private async destinationOf(msg: DlqMessage, info: DeadLetterInfo, route: Route): Promise<Destination | undefined> {
    let destination: Destination;
    try {
      destination = await this.resolve(route);
    } catch (err) {
      this.tally.emit(msg, info, {
        outcome: "failed",
        error: `destination ${routeName(route)} not resolved: ${describeError(err)}`,
      });
      return undefined;
    }
    if (destination.kind === "sqs" && destination.queueArn === this.source.queueArn) {
      this.tally.emit(msg, info, { outcome: "failed", error: `destination ${destination.queueUrl} is the DLQ itself` });
      return undefined;
    }
    return destination;
  }

  /** A replay wanted and impossible: failed; a FIFO group whose message stays behind sends none of its later ones. */
  private failed(
    msg: DlqMessage,
    info: DeadLetterInfo,
    destination: Destination,
    error: string,
    messages: readonly DlqMessage[],
    d: Decisions,
  ): void {
    this.tally.emit(msg, info, { outcome: "failed", error, destination: destinationName(destination) });
    // Later messages of the group would overtake it.
    if (destination.kind === "sqs" && destination.fifo) {
      const key = `${destinationName(destination)}\n${msg.attributes.MessageGroupId ?? this.options.fifoGroupId}`;
      if (!d.barriers.has(key)) d.barriers.set(key, messages.indexOf(msg));
    }
  }

  /** A dry run's outcome: what would be replayed, where, with which redrive id. */
  private wouldReplay(msg: DlqMessage, info: DeadLetterInfo, destination: Destination, context: RedriveContext): void {
    this.tally.emit(msg, info, {
      outcome: "would-replay",
      destination: destinationName(destination),
      redriveId: context.redriveId,
      redriveCount: context.redriveCount,
      ...logged(destination, context),
    });
  }

  private prepare(
    msg: DlqMessage,
    info: DeadLetterInfo,
    destination: Destination,
  ):
    | { action: "skip"; reason: SkipReason; detail: string }
    | { action: "fail"; error: string }
    | { action: "replay"; replay: Replay; context: RedriveContext; size: number } {
    const ctx = { sourceQueueArn: this.source.queueArn, now: this.now(), fifoGroupId: this.options.fifoGroupId };
    if (destination.kind === "sqs") {
      const p = prepareReplay(msg, info, destination, ctx);
      if (p.action === "skip") return { action: "fail", error: `${p.reason}: ${p.detail}` };
      return {
        action: "replay",
        replay: { kind: "sqs", entry: p.entry },
        context: p.context,
        size: messageSize(p.entry.body, p.entry.messageAttributes),
      };
    }
    if (destination.kind === "lambda") {
      const p = prepareInvoke(msg, info, destination, ctx);
      if (p.action === "skip") return p;
      return {
        action: "replay",
        replay: { kind: "lambda", payload: p.payload },
        context: p.context,
        size: p.payload.byteLength,
      };
    }
    if (destination.kind === "step-functions") {
      const p = prepareStart(msg, info, destination, ctx);
      if (p.action === "skip") return p;
      const replay = { kind: "step-functions" as const, input: p.input, name: p.name };
      return { action: "replay", replay, context: p.context, size: Buffer.byteLength(p.input, "utf8") };
    }
    // A pipe's failure is replayed from its stream when delivered (../outbox/replay-range.ts): nothing to build here.
    if (destination.kind === "outbox-pipe")
      return { action: "replay", replay: { kind: "stream-range" }, context: redriveContextOf(msg, info, ctx), size: 0 };
    const p = preparePutEvent(msg, info, destination, ctx);
    if (p.action === "skip") return p;
    return { action: "replay", replay: { kind: "event-bus", entry: p.event }, context: p.context, size: p.size };
  }
}
