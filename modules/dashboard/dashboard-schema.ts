import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { DASHBOARD_DEFAULTS, DASHBOARD_LIMITS } from "./defaults";

/** The API a dashboard shows: its name and stage as API Gateway's metrics name them. */
export interface DashboardApi {
  /** The REST API's name (the ApiName dimension); required. */
  readonly apiName: string;
  /** The stage's name (the Stage dimension); required. */
  readonly stageName: string;
  /** The stage's access log group: throttled requests (429) are counted from it, API Gateway has no metric for them. @default none (no throttling graph) */
  readonly accessLogGroupName?: string;
}

/** A queue consumer: its queue and function. */
export interface DashboardConsumer {
  /** What the dashboard calls it; required. */
  readonly name: string;
  /** The queue it consumes (the QueueName dimension); required. */
  readonly queueName: string;
  /** Its function (the FunctionName dimension); required. */
  readonly functionName: string;
  /** Its log group: records reported failed (partial batch failures) are counted from the consumer runtime's `consumer.record-failed` lines. @default none (no partial-failure graph) */
  readonly logGroupName?: string;
}

/** A state machine (a saga). */
export interface DashboardStateMachine {
  /** What the dashboard calls it; required. */
  readonly name: string;
  /** Its ARN (the StateMachineArn dimension); required. */
  readonly stateMachineArn: string;
}

/** An event rule and the Lambda functions among its targets. */
export interface DashboardRule {
  /** The rule's name; required. */
  readonly ruleName: string;
  /** Its bus, when not the account's default bus (AWS/Events then publishes with EventBusName and RuleName). @default the default bus */
  readonly eventBusName?: string;
  /** Lambda targets' function names, graphed for errors, throttles and dropped async events. @default none */
  readonly lambdaFunctionNames?: readonly string[];
}

/** A dead-letter queue, with the text that tells an operator how to replay it. */
export interface DashboardDeadLetterQueue {
  /** What the dashboard calls it (the target or consumer it serves); required. */
  readonly name: string;
  /** The queue's name (the QueueName dimension); required. */
  readonly queueName: string;
  /** The queue's URL, for the redrive command; required. */
  readonly queueUrl: string;
  /** What the text tells an operator instead of the redrive command, for a queue the redrive does not replay (a saga's needs-a-human queue). @default the redrive command, dry run first */
  readonly instructions?: string;
}

/** Props of OperationsDashboard. */
export interface OperationsDashboardProps {
  /** Dashboard name: up to 255 letters, digits, '-' or '_', unique in the account; required. */
  readonly name: string;
  /** The API's requests, errors, latency, cache and throttling. @default none (no API rows) */
  readonly api?: DashboardApi;
  /** Queue consumers: depth, oldest age, errors, throttles, duration, partial failures. @default none */
  readonly consumers?: readonly DashboardConsumer[];
  /** EventBridge pipes (an outbox's): executions failed, timed out, throttled, target failures. @default none */
  readonly pipeNames?: readonly string[];
  /** Step Functions state machines (sagas): executions started, succeeded, failed, timed out, aborted. @default none */
  readonly stateMachines?: readonly DashboardStateMachine[];
  /** Event rules: invocations, failed invocations, retries, sent to and failed to reach the DLQ. @default none */
  readonly rules?: readonly DashboardRule[];
  /** Every DLQ: depth and oldest age, and the redrive command for it. @default none */
  readonly deadLetterQueues?: readonly DashboardDeadLetterQueue[];
  /** The redrive function, graphed with the redrive runs' metrics (ResilientEdge/Redrive) per DLQ. @default none (the runs' metrics are still graphed when there are DLQs: the CLI publishes them too) */
  readonly redriveFunctionName?: string;
  /** The command the DLQ texts tell an operator to run. @default "npx resilient-edge redrive" (the package's bin) */
  readonly redriveCommand?: string;
  /** Alarms whose states the dashboard shows. @default every CloudWatch metric alarm in the stack, found at synth */
  readonly alarmArns?: readonly string[];
  /** Each graph's period in seconds, a multiple of 60. @default 300 (a spike shows; a day reads at a glance) */
  readonly periodSeconds?: number;
}

const text = z.string().min(1);
const names = z.array(text);

/** The props of OperationsDashboard. */
export const OperationsDashboardSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { message: "expected letters, digits, '-' or '_'" })
    .max(DASHBOARD_LIMITS.nameLength),
  api: z.strictObject({ apiName: text, stageName: text, accessLogGroupName: text.optional() }).optional(),
  consumers: z
    .array(z.strictObject({ name: text, queueName: text, functionName: text, logGroupName: text.optional() }))
    .default([]),
  pipeNames: names.default([]),
  stateMachines: z.array(z.strictObject({ name: text, stateMachineArn: text })).default([]),
  rules: z
    .array(z.strictObject({ ruleName: text, eventBusName: text.optional(), lambdaFunctionNames: names.default([]) }))
    .default([]),
  deadLetterQueues: z
    .array(z.strictObject({ name: text, queueName: text, queueUrl: text, instructions: text.optional() }))
    .default([]),
  redriveFunctionName: text.optional(),
  redriveCommand: text.default(DASHBOARD_DEFAULTS.redriveCommand),
  alarmArns: names.optional(),
  periodSeconds: z
    .int()
    .positive()
    .refine((n) => n % 60 === 0, { message: "expected a multiple of 60 (AWS publishes its metrics each minute)" })
    .default(DASHBOARD_DEFAULTS.periodSeconds),
});

/** The props as parsed: defaults applied. */
export type ParsedDashboardProps = z.output<typeof OperationsDashboardSchema>;

// Compile-time: the schema takes exactly the documented props.
export type OperationsDashboardSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof OperationsDashboardSchema>, OperationsDashboardProps>
>;
