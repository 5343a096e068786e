/**
 * Each kind of task a saga step can run, as a small table (one entry per kind): its Step Functions resource, its
 * parameters (every task gets the saga's input and the results of the steps before it), the IAM the state machine's
 * role needs for it, and the errors it retries by default.
 */
import { TRANSIENT_ERRORS } from "./defaults";
import type { SagaTask } from "./saga-schema";

/** What the state machine's role needs for a task. */
export interface TaskGrant {
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

interface TaskKind<T extends SagaTask> {
  resource(task: T): string;
  parameters(task: T): Record<string, unknown>;
  grant(task: T): TaskGrant;
  readonly transientErrors: readonly string[];
}

/** The saga's input and the results so far, as every Lambda step receives them. */
const SAGA_PAYLOAD = { "input.$": "$.input", "results.$": "$.results" };

type KindOf<K extends SagaTask["kind"]> = TaskKind<Extract<SagaTask, { kind: K }>>;

const TASK_KINDS: { [K in SagaTask["kind"]]: KindOf<K> } = {
  lambda: {
    resource: (t) => `arn:aws:states:::lambda:invoke${t.waitForTaskToken ? ".waitForTaskToken" : ""}`,
    parameters: (t) => ({
      FunctionName: t.functionArn,
      Payload: t.waitForTaskToken ? { ...SAGA_PAYLOAD, "taskToken.$": "$$.Task.Token" } : SAGA_PAYLOAD,
    }),
    // An unqualified ARN grants the function; `:*` its versions and aliases (Lambda matches them apart).
    grant: (t) => ({ actions: ["lambda:InvokeFunction"], resources: [t.functionArn, `${t.functionArn}:*`] }),
    transientErrors: TRANSIENT_ERRORS.lambda,
  },
  dynamodb: {
    resource: (t) => `arn:aws:states:::dynamodb:${t.action === "PutItem" ? "putItem" : "updateItem"}`,
    // DynamoDB takes the table ARN as TableName (a reference stays a reference).
    parameters: (t) => ({ TableName: t.tableArn, ...t.parameters }),
    grant: (t) => ({ actions: [`dynamodb:${t.action}`], resources: [t.tableArn] }),
    transientErrors: TRANSIENT_ERRORS.dynamodb,
  },
  sqs: {
    resource: () => "arn:aws:states:::sqs:sendMessage",
    parameters: (t) => ({ QueueUrl: t.queueUrl, "MessageBody.$": "$.input" }),
    grant: (t) => ({ actions: ["sqs:SendMessage"], resources: [t.queueArn] }),
    transientErrors: TRANSIENT_ERRORS.sqs,
  },
  eventbridge: {
    resource: () => "arn:aws:states:::events:putEvents",
    parameters: (t) => ({
      Entries: [{ EventBusName: t.busArn, Source: t.source, DetailType: t.detailType, "Detail.$": "$.input" }],
    }),
    grant: (t) => ({ actions: ["events:PutEvents"], resources: [t.busArn] }),
    transientErrors: TRANSIENT_ERRORS.eventbridge,
  },
};

/** The kind entry of a task. */
export function taskKind(task: SagaTask): TaskKind<SagaTask> {
  return TASK_KINDS[task.kind] as unknown as TaskKind<SagaTask>;
}
