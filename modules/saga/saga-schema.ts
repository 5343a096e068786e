import { z } from "zod";
import { tagsSchema } from "../shared/aws-tags";
import {
  type Assert,
  type SchemaMatchesProps,
  kmsKeyArnSchema,
  snsTopicArnSchema,
  tokenOr,
} from "../shared/module-schema";
import { logRetentionDaysSchema } from "../redrive/redrive-schema";
import { valueChecks } from "../shared/zod-problems";
import { SAGA_DEFAULTS } from "./defaults";
import { SAGA_STATES, STATE_PREFIXES, stepKey } from "./saga-names";

const RESERVED_TEXT = `${Object.values(SAGA_STATES).join(", ")}, or starting ${Object.values(STATE_PREFIXES)
  .map((p) => `"${p}"`)
  .join(", ")}`;

/** Whether a step name would clash with a state the saga adds. */
function reservedStepName(name: string): boolean {
  const n = name.toLowerCase();
  return (
    Object.values(SAGA_STATES).some((s) => s.toLowerCase() === n) ||
    Object.values(STATE_PREFIXES).some((p) => n.startsWith(p.toLowerCase()))
  );
}

/** A Lambda function a step invokes (synchronously, or handing it a task token and waiting for it). */
export interface SagaLambdaTask {
  readonly kind: "lambda";
  /** ARN of the function (unqualified, or with a version or alias); required. */
  readonly functionArn: string;
  /** Hand the function `$$.Task.Token` and wait for SendTaskSuccess/Failure (`.waitForTaskToken`). @default false */
  readonly waitForTaskToken?: boolean;
}

/** A DynamoDB PutItem or UpdateItem (Step Functions' optimized integration). */
export interface SagaDynamoDbTask {
  readonly kind: "dynamodb";
  readonly action: "PutItem" | "UpdateItem";
  /** ARN of the table; required. */
  readonly tableArn: string;
  /** The request besides TableName, as Step Functions takes it (keys ending in `.$` are paths into the state); required. */
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** An SQS SendMessage of the saga's input. */
export interface SagaSqsTask {
  readonly kind: "sqs";
  /** ARN of the queue; required. */
  readonly queueArn: string;
  /** URL of the queue; required. */
  readonly queueUrl: string;
}

/** An EventBridge PutEvents of the saga's input as the detail. */
export interface SagaEventBridgeTask {
  readonly kind: "eventbridge";
  /** ARN of the bus; required. */
  readonly busArn: string;
  /** The event's detail-type; required. */
  readonly detailType: string;
  /** The event's source; required. */
  readonly source: string;
}

/** What a step's action or compensation does. */
export type SagaTask = SagaLambdaTask | SagaDynamoDbTask | SagaSqsTask | SagaEventBridgeTask;

/** Retry of named errors. */
export interface SagaRetry {
  /** Errors retried. @default the task kind's transient errors (TRANSIENT_ERRORS) */
  readonly errors?: readonly string[];
  /** Seconds before the first retry (1-99999999). @default 1 */
  readonly intervalSeconds?: number;
  /** Multiplier of the interval per retry (1-999). @default 2 */
  readonly backoffRate?: number;
  /** Retries (0-99999999). @default 3 */
  readonly maxAttempts?: number;
  /** Largest wait between retries, in seconds (1-31622400). @default 10 */
  readonly maxDelaySeconds?: number;
}

/** One step of a saga. */
export interface SagaStep {
  /** Step name (1-40 letters, digits, spaces, '-', '_'): names its states; required. */
  readonly name: string;
  /** What the step does; required. */
  readonly action: SagaTask;
  /** What undoes it when a later step fails for good. @default none (nothing to undo) */
  readonly compensation?: SagaTask;
  /** Seconds the action may take (1-31536000). @default 300 */
  readonly timeoutSeconds?: number;
  /** Seconds between heartbeats of a task-token action (1 to timeoutSeconds - 1). @default none */
  readonly heartbeatSeconds?: number;
  /** How the action retries. @default the kind's transient errors, 3 tries from 1 s doubling, at most 10 s apart, full jitter */
  readonly retry?: SagaRetry;
  /** The business's own errors the action may fail with that must never be retried (they go straight to compensation). @default none */
  readonly nonRetryableErrors?: readonly string[];
}

/** Props of Saga. */
export interface SagaProps {
  /** Name (1-40 lowercase letters, digits, '-'): names the state machine, role, queue, key and logs; required. */
  readonly name: string;
  /** The steps, in order (1-20); required. */
  readonly steps: readonly SagaStep[];
  /** SNS topic every alarm publishes to; required. */
  readonly alarmTopicArn: string;
  /** Customer KMS key of the state machine, its logs and its needs-a-human queue. @default one created by the module (rotated yearly) */
  readonly kmsKeyArn?: string;
  /** Execution log level. @default "ERROR" */
  readonly logLevel?: "ERROR" | "ALL" | "FATAL";
  /** Whether logs carry execution data (inputs, outputs: PII). @default false */
  readonly includeExecutionData?: boolean;
  /** Log retention in days (a CloudWatch Logs retention value). @default 90 */
  readonly logRetentionDays?: number;
  /** Tags of taggable resources. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const STEP_NAME = /^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$/;
const ERROR_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;
const QUEUE_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const QUEUE_URL = /^https:\/\/\S+\/\d{12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._-]{1,256}$/;

const taskSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("lambda"),
    functionArn: tokenOr(FUNCTION_ARN, "expected a Lambda function ARN"),
    waitForTaskToken: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal("dynamodb"),
    action: z.enum(["PutItem", "UpdateItem"]),
    tableArn: tokenOr(TABLE_ARN, "expected a DynamoDB table ARN"),
    parameters: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({
    kind: z.literal("sqs"),
    queueArn: tokenOr(QUEUE_ARN, "expected an SQS queue ARN"),
    queueUrl: tokenOr(QUEUE_URL, "expected an SQS queue URL"),
  }),
  z.strictObject({
    kind: z.literal("eventbridge"),
    busArn: tokenOr(BUS_ARN, "expected an event bus ARN"),
    detailType: z.string().min(1).max(128),
    source: z.string().min(1).max(256),
  }),
]);

const errorName = z.string().regex(ERROR_NAME, { message: "expected an error name such as Payment.Declined" });
const retrySchema = z.strictObject({
  errors: z.array(errorName).min(1).optional(),
  intervalSeconds: z.int().min(1).max(99_999_999).optional(),
  backoffRate: z.number().min(1).max(999).optional(),
  maxAttempts: z.int().min(0).max(99_999_999).optional(),
  maxDelaySeconds: z.int().min(1).max(31_622_400).optional(),
});

const stepSchema = z.strictObject({
  name: z.string().regex(STEP_NAME, { message: "expected 1-40 letters, digits, spaces, '-' or '_'" }),
  action: taskSchema,
  compensation: taskSchema.optional(),
  timeoutSeconds: z.int().min(1).max(31_536_000).optional(),
  heartbeatSeconds: z.int().min(1).max(31_536_000).optional(),
  retry: retrySchema.optional(),
  nonRetryableErrors: z.array(errorName).optional(),
});

/** The fields of SagaProps, each with its rule (the environment config composes its `sagas` section from them). */
export const sagaFields = {
  name: z.string().regex(NAME, { message: "expected 1-40 lowercase letters, digits and '-'" }),
  steps: z.array(stepSchema).min(1).max(20),
  alarmTopicArn: snsTopicArnSchema,
  kmsKeyArn: kmsKeyArnSchema.optional(),
  logLevel: z.enum(["ERROR", "ALL", "FATAL"]).optional(),
  includeExecutionData: z.boolean().optional(),
  logRetentionDays: logRetentionDaysSchema.optional(),
  tags: tagsSchema(0).optional(),
} as const;

/** The rules across a saga's steps: unique names, heartbeats only on task tokens and inside the timeout, no retried non-retryable error. */
export function sagaRules(props: { steps: readonly SagaStep[] }, ctx: z.RefinementCtx): void {
  const v = valueChecks(ctx);
  const seen = new Map<string, number>();
  props.steps.forEach((step, i) => {
    const key = stepKey(step.name).toLowerCase();
    v.check(
      !seen.has(key),
      `steps.${i}.name`,
      `"${step.name}" is also steps[${seen.get(key)}]'s name: state names must be unique`,
    );
    seen.set(key, i);
    v.check(
      !reservedStepName(step.name),
      `steps.${i}.name`,
      `"${step.name}" is a name the saga's own states use (${RESERVED_TEXT})`,
    );
    const tokened = step.action.kind === "lambda" && step.action.waitForTaskToken === true;
    if (step.heartbeatSeconds !== undefined) {
      v.check(
        tokened,
        `steps.${i}.heartbeatSeconds`,
        "expected a heartbeat only on an action that waits for a task token",
      );
      v.check(
        step.heartbeatSeconds < (step.timeoutSeconds ?? SAGA_DEFAULTS.timeoutSeconds),
        `steps.${i}.heartbeatSeconds`,
        `expected less than the step's timeout (${step.timeoutSeconds ?? SAGA_DEFAULTS.timeoutSeconds} s)`,
      );
    }
    if (step.compensation && i === props.steps.length - 1)
      v.check(
        false,
        `steps.${i}.compensation`,
        "the last step's compensation never runs (no step after it can fail): remove it",
      );
    for (const e of step.nonRetryableErrors ?? [])
      v.check(
        !(step.retry?.errors ?? []).includes(e),
        `steps.${i}.nonRetryableErrors`,
        `${e} is also in retry.errors: a non-retryable error is never retried`,
      );
  });
}

/** The props of Saga: each field's rule, then the rules across steps (every problem at once). */
export const sagaPropsSchema = z.strictObject(sagaFields).superRefine(sagaRules);

// Compile-time: the schema takes exactly the documented props.
export type _SagaSchemaMatchesProps = Assert<SchemaMatchesProps<z.input<typeof sagaPropsSchema>, SagaProps>>;
