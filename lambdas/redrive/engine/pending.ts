/** A message on its way back: what is sent, to which destination, with which context. */
import type { DeadLetterInfo } from "./decide";
import type { BusEntry, Destination, DlqMessage, RedriveContext, ReplayEntry } from "./model";

/** What is sent, by kind of destination. */
export type Replay =
  | { readonly kind: "sqs"; readonly entry: ReplayEntry }
  | { readonly kind: "lambda"; readonly payload: Uint8Array }
  | { readonly kind: "event-bus"; readonly entry: BusEntry }
  | { readonly kind: "stream-range" }
  | { readonly kind: "step-functions"; readonly input: string; readonly name: string };

export interface Pending {
  readonly msg: DlqMessage;
  readonly info: DeadLetterInfo;
  readonly replay: Replay;
  readonly context: RedriveContext;
  readonly destination: Destination;
  /** Size the destination counts for the replay (SQS: body + attribute names, types and values; PutEvents: the entry). */
  readonly size: number;
}

/** The name a destination goes by in outcomes: a queue URL, a function ARN, a bus ARN or a pipe ARN. */
export function destinationName(d: Destination): string {
  if (d.kind === "sqs") return d.queueUrl;
  if (d.kind === "lambda") return d.functionArn;
  if (d.kind === "step-functions") return d.stateMachineArn;
  return d.kind === "outbox-pipe" ? d.pipeArn : d.busArn;
}

/** The redrive-context of a replay that cannot carry it (Lambda, event bus), for the audit record; nothing for SQS. */
export function logged(d: Destination, context: RedriveContext): { context?: RedriveContext } {
  return d.kind === "sqs" ? {} : { context };
}

/** The MessageGroupId a FIFO replay is sent with. */
export function groupOf(p: Pending): string {
  return p.replay.kind === "sqs" ? (p.replay.entry.messageGroupId ?? "") : "";
}
