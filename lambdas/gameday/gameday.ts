/**
 * The game day, one engine for the CLI and the tests: start the environment's experiment, send synthetic orders
 * through its API while the faults run, follow the experiment and its alarms, wait for the system to settle, then
 * account for every accepted order; what sits in the DLQ is redriven (when the operator agrees) and counted again.
 */
import { follow, type FollowResult } from "./follow";
import { newRunId, orderIds } from "./orders";
import type { GamedayPlan } from "./plan";
import type { GamedayPorts } from "./ports";
import { clean, type Reconciliation, reconcile } from "./reconcile";
import { type SendResult, sendOrders } from "./send";
import { settle } from "./settle";

export interface GamedayOptions {
  readonly requests: number;
  readonly concurrency: number;
  readonly rate: number;
  readonly attempts: number;
  /** Seconds between the experiment running and the first order (the extension's slow poll: faults start that late). */
  readonly sendAfterSeconds: number;
  readonly pollSeconds: number;
  readonly settleTimeoutSeconds: number;
  /** Redrive what the DLQ holds: ask (a terminal), yes, or no. */
  readonly redrive: "ask" | "yes" | "no";
}

export interface GamedayIo {
  /** A line for the operator (progress). */
  tell(line: string): void;
  /** Asks a yes/no question (only with redrive "ask"). */
  ask(question: string): Promise<boolean>;
}

export interface GamedayReport {
  readonly runId: string;
  readonly env: string;
  readonly experiment: { readonly name: string; readonly id: string; readonly templateId: string } & FollowResult;
  readonly route: string;
  readonly sent: number;
  readonly reconciliation: Reconciliation;
  /** The first account, when a redrive ran and the reconciliation above is the second one. */
  readonly beforeRedrive?: Reconciliation;
  readonly redrive?: { readonly replayed: number; readonly failed: number };
  readonly clean: boolean;
}

/** A run that could not start (no template, no queue): the message says what to do. */
export class GamedayError extends Error {}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every accepted order accounted for, once the queue settled. */
async function account(
  plan: GamedayPlan,
  ports: GamedayPorts,
  urls: Urls,
  results: SendResult[],
  runId: string,
  o: Timing,
) {
  const settled = await settle(ports.queues, urls.queue, o);
  const accepted = results.filter((r) => r.accepted).map((r) => r.orderId);
  const processed = await ports.table.found(plan.stateTable, accepted);
  const ids = await ports.queues.scan(urls.dlq, runId);
  return reconcile(results, { processed, settled, deadLetterQueue: { name: plan.deadLetterQueueName, ids } });
}

type Urls = { queue: string; dlq: string };
type Timing = {
  pollMs: number;
  quietPolls: number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  tell: (l: string) => void;
};

async function start(plan: GamedayPlan, ports: GamedayPorts, runId: string, io: GamedayIo) {
  const template = await ports.experiments.findTemplate(plan.env, plan.experiment);
  if (!template)
    throw new GamedayError(
      `no FIS experiment template tagged resilient-edge:experiment=${plan.env}/${plan.experiment} in account ${plan.accountId} (${plan.region}): deploy the environment first (npx cdktn deploy ${plan.env})`,
    );
  const urls = { queue: await ports.queues.url(plan.queueName), dlq: await ports.queues.url(plan.deadLetterQueueName) };
  const id = await ports.experiments.start(template.id, runId);
  io.tell(`run ${runId}: experiment ${plan.experiment} started as ${id} (template ${template.id})`);
  return { template, urls, id };
}

export async function runGameday(
  plan: GamedayPlan,
  o: GamedayOptions,
  ports: GamedayPorts,
  io: GamedayIo,
  signal?: AbortSignal,
): Promise<GamedayReport> {
  const sleep = ports.sleep ?? timer;
  const runId = newRunId();
  const { template, urls, id } = await start(plan, ports, runId, io);
  const timing: Timing = {
    pollMs: o.pollSeconds * 1000,
    quietPolls: 3,
    timeoutMs: o.settleTimeoutSeconds * 1000,
    sleep,
    tell: io.tell,
  };
  const follower = follow(id, template.stopAlarmArns, ports, { pollMs: timing.pollMs, sleep, tell: io.tell });
  signal?.addEventListener("abort", () => void follower.stop(), { once: true });
  await follower.running;
  if (o.sendAfterSeconds > 0 && !signal?.aborted) {
    io.tell(`waiting ${o.sendAfterSeconds} s for the faults to start (the FIS extension polls that often)`);
    await sleep(o.sendAfterSeconds * 1000);
  }
  io.tell(`sending ${o.requests} orders to ${plan.route}`);
  const results = await sendOrders(ports.api, orderIds(runId, o.requests), runId, { ...o, sleep, signal });
  const experiment = await follower.done;
  let reconciliation = await account(plan, ports, urls, results, runId, timing);
  const first = reconciliation;
  const held = Object.values(reconciliation.inDeadLetterQueue).flat().length;
  let redrive: GamedayReport["redrive"];
  if (held > 0 && (o.redrive === "yes" || (o.redrive === "ask" && (await io.ask(redriveQuestion(plan, held)))))) {
    redrive = await ports.redrive.redrive(urls.dlq, urls.queue);
    io.tell(`redrive: ${redrive.replayed} replayed, ${redrive.failed} failed; counting again`);
    reconciliation = await account(plan, ports, urls, results, runId, timing);
  }
  return {
    runId,
    env: plan.env,
    experiment: { name: plan.experiment, id, templateId: template.id, ...experiment },
    route: plan.route,
    sent: results.length,
    reconciliation,
    ...(redrive ? { beforeRedrive: first, redrive } : {}),
    clean: clean(reconciliation),
  };
}

const redriveQuestion = (plan: GamedayPlan, held: number) =>
  `${held} order(s) of this run sit in ${plan.deadLetterQueueName}. Redrive the DLQ to ${plan.queueName} now and count again? [y/N] `;
