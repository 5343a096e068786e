/**
 * What the game day talks to, as small interfaces: the environment's API, its experiment (FIS), its alarms
 * (CloudWatch), the route's queue and DLQ, the state table, and the redrive. aws-ports.ts implements them on the AWS
 * SDK; tests give emulators (fauxqs, dynalite) for the queues and table and aws-sdk-client-mock for FIS and CloudWatch.
 */

/** The API's answer to one order. */
export interface SendAnswer {
  readonly status: number;
  /** The SQS message id the async route's 202 names, when it does. */
  readonly messageId?: string;
}

export interface ApiPort {
  /** POSTs `body` with the order's idempotency key; throws on a network failure or timeout. */
  send(body: string, idempotencyKey: string): Promise<SendAnswer>;
}

/** An experiment's state as FIS reports it (pending, initiating, running, completed, stopping, stopped, failed, cancelled). */
export interface ExperimentState {
  readonly status: string;
  readonly reason?: string;
}

export interface ExperimentPort {
  /** The template tagged `resilient-edge:experiment = <env>/<name>`: its id and stop-condition alarm ARNs. */
  findTemplate(env: string, name: string): Promise<{ id: string; stopAlarmArns: string[] } | undefined>;
  /** Starts it; returns the experiment id. */
  start(templateId: string, runId: string): Promise<string>;
  state(experimentId: string): Promise<ExperimentState>;
  stop(experimentId: string): Promise<void>;
}

export interface AlarmPort {
  /** The state (OK, ALARM, INSUFFICIENT_DATA) of each alarm by name. */
  states(names: readonly string[]): Promise<Map<string, string>>;
}

export interface QueuePort {
  url(queueName: string): Promise<string>;
  /** Messages visible, in flight and delayed. */
  depth(queueUrl: string): Promise<number>;
  /** The order ids (of this run) of every message in the queue, each left as it was (visible again). */
  scan(queueUrl: string, runId: string): Promise<Set<string>>;
}

export interface TablePort {
  /** Which of `orderIds` have an item (by the table's partition key). */
  found(table: string, orderIds: readonly string[]): Promise<Set<string>>;
}

/** The redrive of a DLQ back to its queue (the redrive's own engine). */
export interface RedrivePort {
  redrive(dlqUrl: string, queueUrl: string): Promise<{ replayed: number; failed: number }>;
}

export interface GamedayPorts {
  readonly api: ApiPort;
  readonly experiments: ExperimentPort;
  readonly alarms: AlarmPort;
  readonly queues: QueuePort;
  readonly table: TablePort;
  readonly redrive: RedrivePort;
  /** Waits; default a timer (tests may shorten nothing: they pass small intervals). */
  readonly sleep?: (ms: number) => Promise<void>;
}
