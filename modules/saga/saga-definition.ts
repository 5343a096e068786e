/**
 * The saga as Amazon States Language: each step a Task (its retry, timeout, heartbeat) whose failure, once retries
 * are spent, enters the compensation chain at the last completed step; compensations run in reverse order, each
 * retried harder than its action; a compensation that still fails sends the execution's whole context to the
 * needs-a-human queue and the execution fails with `Saga.CompensationFailed`; otherwise it fails with the step's own
 * error. State names come from the step names. Pure.
 */
import { SAGA_DEFAULTS } from "./defaults";
import type { SagaStep } from "./saga-schema";
import { taskKind } from "./saga-tasks";
import { SAGA_STATES, STATE_PREFIXES, stepKey } from "./saga-names";

export { SAGA_STATES, STATE_PREFIXES, stepKey } from "./saga-names";

/** The error the execution ends with when a compensation failed for good. */
export const COMPENSATION_FAILED = "Saga.CompensationFailed";

type State = Record<string, unknown>;
type Retry = { intervalSeconds: number; backoffRate: number; maxAttempts: number; maxDelaySeconds: number };

function retrier(errors: readonly string[], r: Retry): State {
  return {
    ErrorEquals: [...errors],
    IntervalSeconds: r.intervalSeconds,
    BackoffRate: r.backoffRate,
    MaxAttempts: r.maxAttempts,
    MaxDelaySeconds: r.maxDelaySeconds,
    JitterStrategy: "FULL",
  };
}

/** An action's retriers: its non-retryable errors first, never retried (the first matching retrier decides). */
function actionRetry(step: SagaStep): State[] {
  const r = { ...SAGA_DEFAULTS.actionRetry, ...step.retry };
  const never = step.nonRetryableErrors?.length ? [{ ErrorEquals: [...step.nonRetryableErrors], MaxAttempts: 0 }] : [];
  return [...never, retrier(step.retry?.errors ?? taskKind(step.action).transientErrors, r)];
}

const COMPENSATION_RETRY = [retrier(["States.ALL"], SAGA_DEFAULTS.compensationRetry)];

/** The name of the first compensation to run when step `i` fails: the closest completed step before it that has one. */
function undoFrom(steps: readonly SagaStep[], i: number): string {
  for (let j = i - 1; j >= 0; j--) if (steps[j].compensation) return `${STATE_PREFIXES.undo}${steps[j].name}`;
  return SAGA_STATES.failed;
}

function actionState(steps: readonly SagaStep[], i: number): State {
  const step = steps[i];
  const kind = taskKind(step.action);
  const syncLambda = step.action.kind === "lambda" && !step.action.waitForTaskToken;
  return {
    Type: "Task",
    Resource: kind.resource(step.action),
    Parameters: kind.parameters(step.action),
    ...(syncLambda ? { ResultSelector: { "payload.$": "$.Payload" } } : {}),
    ResultPath: `$.results.${stepKey(step.name)}`,
    TimeoutSeconds: step.timeoutSeconds ?? SAGA_DEFAULTS.timeoutSeconds,
    ...(step.heartbeatSeconds !== undefined ? { HeartbeatSeconds: step.heartbeatSeconds } : {}),
    Retry: actionRetry(step),
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: `${STATE_PREFIXES.failedAt}${step.name}` }],
    Next: i + 1 < steps.length ? steps[i + 1].name : SAGA_STATES.done,
  };
}

function failedAtState(steps: readonly SagaStep[], i: number): State {
  return {
    Type: "Pass",
    Result: { failedStep: steps[i].name, completed: steps.slice(0, i).map((s) => s.name), undone: {} },
    ResultPath: "$.saga",
    Next: undoFrom(steps, i),
  };
}

/** The compensation of step `j` and the Pass that records it done. */
function undoStates(steps: readonly SagaStep[], j: number): Record<string, State> {
  const step = steps[j];
  const kind = taskKind(step.compensation!);
  return {
    [`${STATE_PREFIXES.undo}${step.name}`]: {
      Type: "Task",
      Resource: kind.resource(step.compensation!),
      Parameters: kind.parameters(step.compensation!),
      ResultPath: null,
      TimeoutSeconds: step.timeoutSeconds ?? SAGA_DEFAULTS.timeoutSeconds,
      Retry: COMPENSATION_RETRY,
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.compensationError", Next: SAGA_STATES.human }],
      Next: `${STATE_PREFIXES.undone}${step.name}`,
    },
    [`${STATE_PREFIXES.undone}${step.name}`]: {
      Type: "Pass",
      Result: true,
      ResultPath: `$.saga.undone.${stepKey(step.name)}`,
      Next: undoFrom(steps, j),
    },
  };
}

/** The needs-a-human message (the whole context) and the failure after it: only a saga with compensations has them. */
function humanStates(needsAHumanQueueUrl: string): Record<string, State> {
  return {
    [SAGA_STATES.human]: {
      Type: "Task",
      Resource: "arn:aws:states:::sqs:sendMessage",
      Parameters: {
        QueueUrl: needsAHumanQueueUrl,
        MessageBody: {
          "executionArn.$": "$$.Execution.Id",
          "stateMachineArn.$": "$$.StateMachine.Id",
          "failedStep.$": "$.saga.failedStep",
          "error.$": "$.error",
          "compensationError.$": "$.compensationError",
          "completed.$": "$.saga.completed",
          "undone.$": "$.saga.undone",
          "input.$": "$.input",
        },
      },
      ResultPath: null,
      Retry: COMPENSATION_RETRY,
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.humanError", Next: SAGA_STATES.compensationFailed }],
      Next: SAGA_STATES.compensationFailed,
    },
    [SAGA_STATES.compensationFailed]: {
      Type: "Fail",
      Error: COMPENSATION_FAILED,
      Cause: "a compensation failed after its retries: the execution's context is in the needs-a-human queue",
    },
  };
}

/** The failure with the step's own error, and success. */
function endStates(): Record<string, State> {
  return {
    [SAGA_STATES.failed]: { Type: "Fail", ErrorPath: "$.error.Error", CausePath: "$.error.Cause" },
    [SAGA_STATES.done]: { Type: "Succeed" },
  };
}

/** The state machine definition of a saga. */
export function sagaDefinition(name: string, steps: readonly SagaStep[], needsAHumanQueueUrl: string): State {
  const states: Record<string, State> = {
    [SAGA_STATES.begin]: { Type: "Pass", Parameters: { "input.$": "$", results: {} }, Next: steps[0].name },
  };
  steps.forEach((step, i) => {
    states[step.name] = actionState(steps, i);
    states[`${STATE_PREFIXES.failedAt}${step.name}`] = failedAtState(steps, i);
    // The last step's compensation could never run (no step after it can fail): the schema refuses one.
    if (step.compensation && i < steps.length - 1) Object.assign(states, undoStates(steps, i));
  });
  if (steps.slice(0, -1).some((s) => s.compensation)) Object.assign(states, humanStates(needsAHumanQueueUrl));
  Object.assign(states, endStates());
  return {
    Comment: `Saga ${name}: ${steps.map((s) => s.name).join(" -> ")}; on failure, completed steps are undone in reverse order`,
    StartAt: SAGA_STATES.begin,
    States: states,
  };
}
