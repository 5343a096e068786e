/**
 * The redrive engine: drains one DLQ through a QueuePort, deciding each message with the pure
 * functions in decide.ts. A message is deleted from the DLQ only after its destination
 * acknowledged that exact entry; everything it takes and does not delete (skipped, failed, dry
 * run) stays invisible until the run ends and is then made visible again at once. A crash loses
 * nothing: unacknowledged messages reappear when their visibility timeout ends.
 *
 * A run is three parts, each in its own file: intake (intake.ts: receive, hold, decide when to
 * stop), decisions (batch.ts: classify, resolve, prepare) and replay (replay.ts: send, retry,
 * delete); its outcome is the tally (tally.ts) summed up (outcome.ts).
 */
import { BatchDecider } from "./batch";
import type { EngineDeps, RetryPolicy, Warn } from "./deps";
import { describeOption, destinationResolver } from "./destinations";
import { Holds, SHORT_VISIBILITY_SECONDS } from "./holds";
import { Intake } from "./intake";
import { type LaneControl, runLanes } from "./lanes";
import type { RedriveSummary } from "./model";
import { OptionsError, type RedriveOptions } from "./options";
import { summaryOf } from "./outcome";
import { Pacer } from "./pacer";
import { RateLimiter } from "./rate-limiter";
import { Replayer } from "./replay";
import { describeError } from "./retry";
import { RunCounters } from "./run-counters";
import { Tally } from "./tally";
import type { QueueDescription, QueuePort } from "../ports/port";

export type { EngineDeps, Progress } from "./deps";
export { receiveLimit } from "./intake";
export { mergeSummaries, succeeded } from "./outcome";
export { describeError } from "./retry";

/** Drains `options.queueUrl`; resolves with the run's summary. Throws only when the run cannot start. */
export async function redrive(options: RedriveOptions, deps: EngineDeps): Promise<RedriveSummary> {
  const started = Date.now();
  const retry = deps.retry ?? { attempts: 5, baseDelayMs: 100 };
  const warn = deps.warn ?? (() => undefined);
  const source = await sourceQueue(deps.port, retry, options);
  // Adaptive concurrency: lanes grow while throughput rises; throttling and errors halve them (pacer.ts).
  const pacer = new Pacer({ max: options.concurrency }, Date.now());
  const holds = new Holds(deps.port, options, retry, warn);
  warnOfShortHolds(options, warn);
  const tally = new Tally(options.queueUrl, deps.record);
  // One figure for all threads of a run: the receive limit and the progress bar must not depend on when a thread started.
  const expected = deps.expected ?? source.approximateMessages;
  // The receive limit, the --max-messages quota and the empty receive: this run's, or shared by the run's threads.
  const counters = deps.counters ?? new RunCounters();
  const intake = new Intake(
    options,
    deps,
    source,
    expected,
    counters,
    new RateLimiter(options.rate),
    holds,
    retry,
    pacer,
  );
  const replayer = new Replayer(deps, options.queueUrl, retry, warn, holds, tally, pacer);
  const resolve = destinationResolver(deps.port, retry, deps.pipes);
  const now = deps.now ?? (() => new Date());
  const batches = new BatchDecider(options, deps, source, tally, counters, resolve, replayer, now);
  const report = () => deps.progress?.(progressOf(tally, options, expected));

  const workerError = await drain(intake, batches, pacer, holds, report);
  if (workerError) warn("receiving stopped early", { error: describeError(workerError) });
  const stoppedBecause = intake.finish(workerError);
  report();
  const errors = [
    ...(workerError ? [describeError(workerError)] : []),
    ...(stoppedBecause === "receive-limit"
      ? [
          `stopped after receiving ${counters.received} messages, twice the ${expected ?? "unknown number"} the DLQ held at the start plus 100: messages came back (visibility lapsing) or kept arriving; run again`,
        ]
      : []),
  ];
  return summaryOf(options, tally, stoppedBecause, errors, Date.now() - started);
}

/** The DLQ to drain, described; a `to` queue that is the DLQ itself is an OptionsError. */
async function sourceQueue(port: QueuePort, retry: RetryPolicy, options: RedriveOptions): Promise<QueueDescription> {
  const source = await describeOption(port, retry, "queueUrl", options.queueUrl);
  if (options.to !== undefined) {
    const to = await describeOption(port, retry, "to", options.to);
    if (to.queueArn === source.queueArn) {
      throw new OptionsError([{ field: "to", message: "expected a queue other than the DLQ being drained" }]);
    }
  }
  return source;
}

function warnOfShortHolds(options: RedriveOptions, warn: Warn): void {
  if (!options.dryRun && options.visibilityTimeout < SHORT_VISIBILITY_SECONDS)
    warn(
      `a visibility timeout of ${options.visibilityTimeout} s is short for a batch (receive, send to the destination, delete): a hold that lapses lets another run or thread replay the same message; such replays are reported hold-lapsed and not deleted. Use at least ${SHORT_VISIBILITY_SECONDS} s`,
    );
}

function progressOf(tally: Tally, options: RedriveOptions, expected: number | undefined) {
  return {
    received: tally.received,
    replayed: tally.replayed,
    wouldReplay: tally.wouldReplay,
    skipped: tally.skippedTotal,
    failed: tally.failed,
    expected: expected === undefined ? options.maxMessages : Math.min(expected, options.maxMessages ?? Infinity),
  };
}

/** Runs the lanes until the intake stops; releases every hold left; resolves with the first lane error, if any. */
async function drain(
  intake: Intake,
  batches: BatchDecider,
  pacer: Pacer,
  holds: Holds,
  report: () => void,
): Promise<unknown> {
  try {
    const errors = await runLanes(
      pacer,
      (lane) => worker(lane, intake, batches, report),
      () => intake.open(),
    );
    return errors.length > 0 ? errors[0] : undefined;
  } finally {
    await holds.release();
  }
}

/** A lane: receive, send, delete, with its next receive in flight while the current batch is sent and deleted. */
async function worker(lane: LaneControl, intake: Intake, batches: BatchDecider, report: () => void): Promise<void> {
  let next: ReturnType<Intake["take"]> | undefined;
  try {
    for (;;) {
      const batch = await (next ?? intake.take());
      next = undefined;
      if (!batch) return;
      const more = lane.keep();
      if (more) {
        next = intake.take();
        // Awaited on the next turn (or below); marked handled so a failure meanwhile is not an unhandled rejection.
        next.catch(() => undefined);
      }
      let taken = 0;
      try {
        taken = await batches.process(batch.messages);
      } finally {
        intake.settle(batch.want, taken, batch.messages.length);
      }
      lane.done(batch.messages.length);
      report();
      if (!more) return;
    }
  } finally {
    // A lane that ends with a receive in flight: what that receive took is held, and released with the rest at the end.
    const left = next ? await next.catch(() => undefined) : undefined;
    if (left) intake.settle(left.want, 0, left.messages.length);
  }
}
