import { join } from "node:path";
import { CloudwatchEventRule } from "@cdktn/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktn/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktn/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktn/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktn/provider-aws/lib/sqs-queue-policy";
import { AssetType, TerraformAsset } from "cdktn";
import { Construct } from "constructs";
import { logsAndTracingStatements } from "../shared/function-statements";
import { faultInjectionEnvironment, faultInjectionStatements } from "../fault-injection/readiness";
import type { z } from "zod";
import { REDRIVE_ENV as ENV } from "../shared/contract/environment-names";
import { type AwsContext, awsContext } from "../shared/aws-context";
import { targetKind, targetKinds } from "../events/targets";
import type { RedriveGrant } from "../events/targets/target-kind";
import { writeBundleArchive } from "./bundle-archive";
import { locateBundle, shippedBundleDir } from "./bundle-location";
import type { DeadLetterRoute } from "../shared/dead-letter-route";
import { rawField } from "../shared/module-schema";
import { parseProps } from "../shared/parse-props";
import { RedriveFunctionSchema } from "./redrive-schema";
import type { RedriveDestination, RedriveFunctionProps } from "./redrive-schema";

export type { RedriveSchedule, RedriveDestination, RedriveFunctionProps } from "./redrive-schema";

/**
 * The redrive engine as a Lambda function: nodejs22.x from the esbuild bundle, zipped
 * deterministically (the zip's SHA-256 is `source_code_hash`, so only a changed bundle updates it), IAM scoped to exactly the DLQs it drains and the queues it replays to (and
 * their KMS keys), the Lambda functions it invokes and the event buses it puts events on, a log group with retention, X-Ray tracing, an alarm on
 * errors, and an optional schedule. The event payload takes the CLI's options (see docs/redrive.md).
 *
 * Concurrency is unreserved by default: Lambda keeps 10 executions of every account unreserved, so a
 * new account (quota 10) rejects any reservation. Runs that overlap (a schedule and an operator, or
 * two invocations) stay safe: SQS hides a received message from every other receiver for the
 * visibility timeout, which the run holding it keeps extending, so two runs take disjoint messages;
 * a run deletes a message only after replaying it, by the receipt handle of its own receive, so no
 * delete drops a message that was not replayed; and if a hold lapses anyway (a stalled run), the
 * second replay of that message carries the same redriveId (the FIFO deduplication id and the
 * consumers' idempotency key): at least once, never lost. Set
 * `reservedConcurrency` where the quota allows, to cap the runs (and their SQS/KMS calls) anyway.
 */
export class RedriveFunction extends Construct {
  readonly function: LambdaFunction;
  readonly functionName: string;
  readonly functionArn: string;
  readonly role: IamRole;
  readonly roleArn: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly errorsAlarm: CloudwatchMetricAlarm;
  /** The schedule rule, when `schedule` was given. */
  readonly scheduleRule?: CloudwatchEventRule;
  /** Where scheduled invocations EventBridge could not deliver go, when `schedule` was given. */
  readonly scheduleDeadLetterQueue?: SqsQueue;
  /** The environment variables the function reads (the handler's defaults). */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RedriveFunctionProps) {
    super(scope, id);
    const bundle = locateBundle(rawField(props, "bundleDir"), shippedBundleDir);
    const p = parseProps(`RedriveFunction ${id}`, RedriveFunctionSchema, props, { contextProblems: bundle.problems });
    const aws = awsContext(this);
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${p.functionName}`,
      retentionInDays: p.logRetentionDays,
    });
    this.role = this.createRole(p.functionName, aws);
    this.roleArn = this.role.arn;
    const policy = new IamRolePolicy(this, "policy", {
      name: `${p.functionName}-redrive`,
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          ...redriveStatements(p.routes, p.additionalDestinations, this.logGroup.arn, aws),
          ...(p.faultInjection ? faultInjectionStatements(p.faultInjection, aws) : []),
        ],
      }),
    });
    this.environment = functionEnvironment(p);
    this.function = this.createFunction(p, bundle.path, policy);
    this.functionName = this.function.functionName;
    this.functionArn = this.function.arn;
    this.errorsAlarm = this.createErrorsAlarm(p);
    if (p.schedule) {
      const schedule = this.createSchedule(p.functionName, p.schedule, p.alarmTopicArn);
      this.scheduleRule = schedule.rule;
      this.scheduleDeadLetterQueue = schedule.deadLetterQueue;
    }
  }

  /** The function's role: only Lambda in this account may assume it. */
  private createRole(name: string, aws: AwsContext): IamRole {
    return new IamRole(this, "role", {
      name: `${name}-role`,
      description: `Runs the ${name} redrive function`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": aws.accountId } },
          },
        ],
      }),
    });
  }

  /** The function from the zipped bundle (its SHA-256 the source hash), traced, logging to its group. */
  private createFunction(p: ParsedProps, bundlePath: string, policy: IamRolePolicy): LambdaFunction {
    const archive = writeBundleArchive(join(bundlePath, "index.js"), `${bundlePath}.zip`);
    const asset = new TerraformAsset(this, "bundle", { path: archive.path, type: AssetType.FILE });
    return new LambdaFunction(this, "function", {
      functionName: p.functionName,
      description: "Replays dead-lettered messages with their error context (redrive)",
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: archive.sha256,
      memorySize: p.memorySize,
      timeout: p.timeoutSeconds,
      // -1 is the provider's "unreserved": written out, so removing a reservation is a visible change in the plan.
      reservedConcurrentExecutions: p.reservedConcurrency ?? UNRESERVED,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      layers: p.faultInjection ? [p.faultInjection.layerArn] : undefined,
      environment: {
        variables: { ...this.environment, ...(p.faultInjection ? faultInjectionEnvironment(p.faultInjection) : {}) },
      },
      dependsOn: [this.logGroup, policy],
    });
  }

  /** Any error of the function (a replay failed or a run could not finish) alarms, and its recovery too. */
  private createErrorsAlarm(p: ParsedProps): CloudwatchMetricAlarm {
    const name = p.functionName;
    return new CloudwatchMetricAlarm(this, "errors-alarm", {
      alarmName: `${name}-errors`,
      alarmDescription: `The ${name} redrive function failed: a replay failed or a run could not finish. See its log group ${this.logGroup.name} (event redrive.summary).`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: name },
      statistic: "Sum",
      period: p.alarmPeriodSeconds,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
      alarmActions: [p.alarmTopicArn],
      okActions: [p.alarmTopicArn],
    });
  }

  /** The periodic run: a schedule rule, a DLQ (alarmed) for runs it could not deliver or that failed, the target. */
  private createSchedule(
    name: string,
    s: ParsedSchedule,
    alarmTopicArn: string,
  ): { rule: CloudwatchEventRule; deadLetterQueue: SqsQueue } {
    const rule = new CloudwatchEventRule(this, "schedule", {
      name: `${name}-schedule`,
      description: `Periodic redrive of ${s.errorCodes.join(", ")} messages`,
      scheduleExpression: s.expression,
      state: s.enabled ? "ENABLED" : "DISABLED",
    });
    const deadLetterQueue = this.createScheduleDeadLetterQueue(name, rule, alarmTopicArn);
    new CloudwatchEventTarget(this, "schedule-target", {
      rule: rule.name,
      targetId: "redrive",
      arn: this.function.arn,
      input: JSON.stringify({
        errorCodes: s.errorCodes,
        ...(s.maxMessages !== undefined ? { maxMessages: s.maxMessages } : {}),
      }),
      retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      deadLetterConfig: { arn: deadLetterQueue.arn },
    });
    this.keepFailedScheduledRuns(name, deadLetterQueue);
    new LambdaPermission(this, "schedule-permission", {
      statementId: "AllowScheduleInvoke",
      action: "lambda:InvokeFunction",
      functionName: this.function.functionName,
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    });
    return { rule, deadLetterQueue };
  }

  /** Invocations EventBridge cannot deliver (throttled, function missing) are kept, not dropped, and alarmed. */
  private createScheduleDeadLetterQueue(name: string, rule: CloudwatchEventRule, alarmTopicArn: string): SqsQueue {
    const queue = new SqsQueue(this, "schedule-dlq", {
      name: `${name}-schedule-dlq`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1_209_600,
    });
    new SqsQueuePolicy(this, "schedule-dlq-policy", {
      queueUrl: queue.url,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ScheduleRuleDeadLetters",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: queue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
          },
        ],
      }),
    });
    new CloudwatchMetricAlarm(this, "schedule-dlq-alarm", {
      alarmName: `${name}-schedule-dlq-visible-messages`,
      alarmDescription: `A scheduled run of ${name} could not be delivered to the function, or the run failed (see ${name}-schedule-dlq, and the function's log).`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      treatMissingData: "notBreaching",
      alarmActions: [alarmTopicArn],
      okActions: [alarmTopicArn],
    });
    return queue;
  }

  /** A scheduled run Lambda accepted and that then failed is kept too: its on-failure record goes to the same queue. */
  private keepFailedScheduledRuns(name: string, queue: SqsQueue): void {
    const sendFailures = new IamRolePolicy(this, "schedule-failures-policy", {
      name: `${name}-schedule-failures`,
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Sid: "SendFailedScheduledRuns", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: queue.arn },
        ],
      }),
    });
    new LambdaFunctionEventInvokeConfig(this, "schedule-invoke-config", {
      functionName: this.function.functionName,
      // No Lambda retries: a failed run has already alarmed (Errors) and left its messages in place; the next scheduled run tries again.
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 3600,
      destinationConfig: { onFailure: { destination: queue.arn } },
      dependsOn: [sendFailures],
    });
  }
}

/** The provider's "unreserved" concurrency (`reserved_concurrent_executions = -1`). */
const UNRESERVED = -1;

type ParsedProps = z.output<typeof RedriveFunctionSchema>;
type ParsedSchedule = NonNullable<ParsedProps["schedule"]>;

/** The environment variables the function reads: the handler's defaults from props. */
function functionEnvironment(p: ParsedProps): Record<string, string> {
  return {
    [ENV.sourceQueueUrls]: JSON.stringify(p.routes.map((r) => r.dlqUrl)),
    [ENV.maxRedrives]: String(p.maxRedrives),
    [ENV.concurrency]: String(p.concurrency),
    [ENV.visibilityTimeout]: String(p.visibilityTimeoutSeconds),
    [ENV.fifoGroupId]: p.fifoGroupId,
    [ENV.deadlineMarginMs]: "15000",
    ...(p.rate !== undefined ? { [ENV.rate]: String(p.rate) } : {}),
    ...(p.maxMessages !== undefined ? { [ENV.maxMessages]: String(p.maxMessages) } : {}),
  };
}

/**
 * The redrive role's statements: drain exactly the routes' DLQs (and decrypt them), write its own logs, trace, and
 * replay to each route's target as its kind says (modules/events/targets/: send to a queue, under its key, or an
 * action on the target ARN), plus the additional destinations.
 */
function redriveStatements(
  routes: readonly DeadLetterRoute[],
  additionalDestinations: readonly RedriveDestination[],
  logGroupArn: string,
  aws: AwsContext,
): Record<string, unknown>[] {
  const grants = routes.map((r) => ({ route: r, grant: targetKind(r.targetKind).redriveGrant(r) }));
  const queues = [
    ...grants.flatMap(({ grant }) => ("queue" in grant ? [grant.queue] : [])),
    ...additionalDestinations.map((d) => ({ arn: d.queueArn, kmsKeyArn: d.kmsKeyArn })),
  ];
  const viaSqs = { StringEquals: { "kms:ViaService": `sqs.${aws.region}.${aws.dnsSuffix}` } };
  const decryptKeys = unique(routes.flatMap((r) => (r.dlqKmsKeyArn ? [r.dlqKmsKeyArn] : [])));
  const encryptKeys = unique(queues.flatMap((q) => (q.kmsKeyArn ? [q.kmsKeyArn] : [])));
  return [
    {
      Sid: "DrainDeadLetterQueues",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      Resource: unique(routes.map((r) => r.dlqArn)),
    },
    ...logsAndTracingStatements(logGroupArn),
    ...allowIfAny(
      "ReplayToTargets",
      ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
      queues.map((q) => q.arn),
    ),
    ...actionStatements(grants),
    ...allowIfAny("DecryptDeadLetters", ["kms:Decrypt"], decryptKeys, viaSqs),
    ...allowIfAny("EncryptReplays", ["kms:GenerateDataKey", "kms:Decrypt"], encryptKeys, viaSqs),
    ...pipeStreamStatements(routes, aws),
    ...targetKeyStatements(grants),
  ];
}

/**
 * The customer keys of targets the redrive calls by an action (a state machine's: StartExecution encrypts the input
 * with it), each used only under that target's encryption context. Queue targets' keys are granted through SQS above.
 */
function targetKeyStatements(grants: ReadonlyArray<{ route: DeadLetterRoute; grant: RedriveGrant }>) {
  return grants.flatMap(({ route, grant }, i) =>
    "action" in grant && route.targetKmsKeyArn && grant.action.keyContext
      ? [
          {
            Sid: `UseTargetKey${i}`,
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: route.targetKmsKeyArn,
            Condition: { StringEquals: { [`kms:EncryptionContext:${grant.action.keyContext}`]: route.targetArn } },
          },
        ]
      : [],
  );
}

/**
 * What replaying an outbox pipe's failures takes (routes of source "pipe-stream"): read each pipe's filter and template
 * (DescribePipe), read the failed range back from its stream, and decrypt the stream records through DynamoDB. The
 * events go to the route's bus, granted with the event-bus kind's PutEvents above.
 */
function pipeStreamStatements(routes: readonly DeadLetterRoute[], aws: AwsContext): Record<string, unknown>[] {
  const pipes = routes.flatMap((r) => (r.pipe ? [r.pipe] : []));
  const viaDynamoDb = { StringEquals: { "kms:ViaService": `dynamodb.${aws.region}.${aws.dnsSuffix}` } };
  return [
    ...allowIfAny(
      "DescribeOutboxPipes",
      ["pipes:DescribePipe"],
      pipes.flatMap((p) => p.pipeArns),
    ),
    ...allowIfAny(
      "ReadOutboxStreams",
      ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"],
      pipes.map((p) => p.streamArn),
    ),
    ...allowIfAny(
      "DecryptStreamRecords",
      ["kms:Decrypt"],
      pipes.flatMap((p) => (p.streamKmsKeyArn ? [p.streamKmsKeyArn] : [])),
      viaDynamoDb,
    ),
  ];
}

/** One statement per action grant (in registry order), on the target ARNs of the routes that need it. */
function actionStatements(
  grants: ReadonlyArray<{ route: DeadLetterRoute; grant: RedriveGrant }>,
): Record<string, unknown>[] {
  const bySid = new Map<string, { actions: readonly string[]; arns: string[] }>();
  for (const kind of targetKinds()) {
    for (const { route, grant } of grants) {
      if (route.targetKind !== kind.kind || !("action" in grant)) continue;
      const entry = bySid.get(grant.action.sid) ?? { actions: grant.action.actions, arns: [] };
      entry.arns.push(route.targetArn);
      bySid.set(grant.action.sid, entry);
    }
  }
  return [...bySid].flatMap(([sid, { actions, arns }]) => allowIfAny(sid, actions, unique(arns)));
}

/** An Allow statement on `resources`, or none when there are none. */
function allowIfAny(
  sid: string,
  actions: readonly string[],
  resources: readonly string[],
  condition?: Record<string, unknown>,
): Record<string, unknown>[] {
  if (resources.length === 0) return [];
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Action: actions,
      Resource: unique(resources),
      ...(condition ? { Condition: condition } : {}),
    },
  ];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
