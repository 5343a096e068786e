import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { ENV } from "../../lambdas/redrive/environment";
import { awsContext } from "../shared/aws-context";
import { writeBundleArchive } from "./bundle-archive";
import { shippedBundleDir } from "./bundle-location";
import { DEAD_LETTER_ROUTE_SHAPE, type DeadLetterRoute } from "../shared/dead-letter-route";
import { arrayOf, boolean, number, object, optional, string } from "../shared/props-shape";
import { PropsValidator } from "../shared/validation";

/** A periodic redrive run (EventBridge schedule rule invoking the function). */
export interface RedriveSchedule {
  /** `rate(...)` or `cron(...)` expression; required. */
  readonly expression: string;
  /** Only messages with one of these ERROR_CODEs are replayed; required (a schedule never replays everything blindly). */
  readonly errorCodes: readonly string[];
  /** At most this many messages per run. @default the function's maxMessages */
  readonly maxMessages?: number;
  /** Whether the schedule rule is enabled. @default true */
  readonly enabled?: boolean;
}

/** An extra queue the function may replay to (an explicit `to` destination), beyond the routes' SQS targets. */
export interface RedriveDestination {
  /** ARN of the queue; required. */
  readonly queueArn: string;
  /** Customer KMS key of the queue, when it is not SQS-managed SSE. @default none */
  readonly kmsKeyArn?: string;
}

/** Props of RedriveFunction. */
export interface RedriveFunctionProps {
  /** Function name (also names its role, log group and alarm); required. */
  readonly functionName: string;
  /** The DLQs the function drains and where their messages were going (from the event delivery module); at least one. */
  readonly routes: readonly DeadLetterRoute[];
  /** SNS topic the errors alarm publishes to; required. */
  readonly alarmTopicArn: string;
  /** More queues an event's `to` may name. @default none (only the routes' SQS targets) */
  readonly additionalDestinations?: readonly RedriveDestination[];
  /** Folder holding the esbuild bundle (index.js), relative to the working directory; zipped to `<bundleDir>.zip`. @default the bundle shipped in the package (`<package>/dist/lambdas/redrive`) */
  readonly bundleDir?: string;
  /** Memory in MB (128-10240). @default 512 */
  readonly memorySize?: number;
  /** Timeout in seconds (60-900). The run stops taking messages 15 s before it. @default 300 */
  readonly timeoutSeconds?: number;
  /** Reserved concurrent executions (1-100). @default unreserved (-1): a reservation is refused in accounts whose concurrency quota is 10, and overlapping runs are safe (see the class comment) */
  readonly reservedConcurrency?: number;
  /** Log retention in days (a CloudWatch Logs retention value). @default 90 */
  readonly logRetentionDays?: number;
  /** Default cap on redrives per message (1-1000). @default 3 */
  readonly maxRedrives?: number;
  /** Default parallel workers per run (1-64). @default 8 */
  readonly concurrency?: number;
  /** Default messages per second (1-100000). @default unlimited */
  readonly rate?: number;
  /** Default visibility timeout in seconds for taken messages (1-43200). @default 60 */
  readonly visibilityTimeoutSeconds?: number;
  /** Default maximum messages per run (1-10000000). @default unlimited */
  readonly maxMessages?: number;
  /** Default MessageGroupId for FIFO destinations. @default "redrive" */
  readonly fifoGroupId?: string;
  /** Periodic runs. @default none (runs only when invoked) */
  readonly schedule?: RedriveSchedule;
  /** Errors-alarm evaluation period in seconds (60-86400, a multiple of 60). @default 300 */
  readonly alarmPeriodSeconds?: number;
}

/** Retention values CloudWatch Logs accepts (for the redrive function's log group). */
export const REDRIVE_LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._/-]{1,256}$/;
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SCHEDULE = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/;
const isToken = (s: string) => s.includes("${");

/** The structure of RedriveFunctionProps, checked before the value rules. */
const REDRIVE_FUNCTION_SHAPE = object({
  functionName: string,
  routes: arrayOf(DEAD_LETTER_ROUTE_SHAPE),
  alarmTopicArn: string,
  additionalDestinations: optional(arrayOf(object({ queueArn: string, kmsKeyArn: optional(string) }))),
  bundleDir: optional(string),
  memorySize: optional(number),
  timeoutSeconds: optional(number),
  reservedConcurrency: optional(number),
  logRetentionDays: optional(number),
  maxRedrives: optional(number),
  concurrency: optional(number),
  rate: optional(number),
  visibilityTimeoutSeconds: optional(number),
  maxMessages: optional(number),
  fifoGroupId: optional(string),
  schedule: optional(
    object({
      expression: string,
      errorCodes: arrayOf(string),
      maxMessages: optional(number),
      enabled: optional(boolean),
    }),
  ),
  alarmPeriodSeconds: optional(number),
});

/**
 * The redrive engine as a Lambda function: nodejs22.x from the esbuild bundle, zipped
 * deterministically (the zip's SHA-256 is `source_code_hash`, so only a changed bundle updates it), IAM scoped to exactly the DLQs it drains and the queues it replays to (and
 * their KMS keys), the Lambda functions it invokes and the event buses it puts events on, a log group with retention, X-Ray tracing, an alarm on
 * errors, and an optional schedule. The event payload takes the CLI's options (see README).
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
    const v = new PropsValidator(`RedriveFunction ${id}`);
    v.requireShape(props, REDRIVE_FUNCTION_SHAPE);
    v.check(
      FUNCTION_NAME.test(props.functionName ?? ""),
      "functionName",
      `expected 1-64 letters, digits, '-' or '_', got ${JSON.stringify(props.functionName)}`,
    );
    v.check(
      Array.isArray(props.routes) && props.routes.length > 0,
      "routes",
      "expected at least one dead-letter route",
    );
    const seen = new Set<string>();
    for (const [i, r] of (props.routes ?? []).entries()) {
      // A Lambda target has two routes: its EventBridge DLQ and its on-failure destination queue.
      const key = `${r.targetName}\n${r.source ?? "eventbridge"}`;
      v.check(
        !seen.has(key),
        `routes[${i}].targetName`,
        `expected a unique target name, got a second "${r.targetName}"${r.source ? ` (${r.source})` : ""}`,
      );
      seen.add(key);
      v.check(
        isToken(r.dlqArn) || SQS_ARN.test(r.dlqArn),
        `routes[${i}].dlqArn`,
        `expected an SQS queue ARN, got ${JSON.stringify(r.dlqArn)}`,
      );
      v.check(
        isToken(r.dlqUrl) || /^https?:\/\/\S+\/\d{12}\/\S+$/.test(r.dlqUrl),
        `routes[${i}].dlqUrl`,
        `expected an SQS queue URL, got ${JSON.stringify(r.dlqUrl)}`,
      );
      if (r.targetKind === "sqs")
        v.check(
          isToken(r.targetArn) || SQS_ARN.test(r.targetArn),
          `routes[${i}].targetArn`,
          `expected an SQS queue ARN for an sqs target, got ${JSON.stringify(r.targetArn)}`,
        );
      if (r.targetKind === "lambda")
        v.check(
          isToken(r.targetArn) || FUNCTION_ARN.test(r.targetArn),
          `routes[${i}].targetArn`,
          `expected a Lambda function ARN for a lambda target, got ${JSON.stringify(r.targetArn)}`,
        );
      if (r.targetKind === "event-bus")
        v.check(
          isToken(r.targetArn) || BUS_ARN.test(r.targetArn),
          `routes[${i}].targetArn`,
          `expected an event bus ARN for an event-bus target, got ${JSON.stringify(r.targetArn)}`,
        );
    }
    for (const [i, d] of (props.additionalDestinations ?? []).entries()) {
      v.check(
        isToken(d.queueArn) || SQS_ARN.test(d.queueArn),
        `additionalDestinations[${i}].queueArn`,
        `expected an SQS queue ARN, got ${JSON.stringify(d.queueArn)}`,
      );
    }
    v.check(
      /^arn:/.test(props.alarmTopicArn ?? "") || isToken(props.alarmTopicArn ?? ""),
      "alarmTopicArn",
      "expected an SNS topic ARN",
    );
    v.integerInRange(props.memorySize, "memorySize", 128, 10240);
    v.integerInRange(props.timeoutSeconds, "timeoutSeconds", 60, 900);
    v.integerInRange(props.reservedConcurrency, "reservedConcurrency", 1, 100);
    v.check(
      props.logRetentionDays === undefined ||
        (REDRIVE_LOG_RETENTION_DAYS as readonly number[]).includes(props.logRetentionDays),
      "logRetentionDays",
      `expected one of ${REDRIVE_LOG_RETENTION_DAYS.join(", ")}, got ${props.logRetentionDays}`,
    );
    v.integerInRange(props.maxRedrives, "maxRedrives", 1, 1000);
    v.integerInRange(props.concurrency, "concurrency", 1, 64);
    v.integerInRange(props.rate, "rate", 1, 100_000);
    v.integerInRange(props.visibilityTimeoutSeconds, "visibilityTimeoutSeconds", 1, 43_200);
    v.integerInRange(props.maxMessages, "maxMessages", 1, 10_000_000);
    v.check(
      props.fifoGroupId === undefined || /^[\x21-\x7e]{1,128}$/.test(props.fifoGroupId),
      "fifoGroupId",
      "expected 1-128 printable ASCII characters",
    );
    v.check(
      props.alarmPeriodSeconds === undefined ||
        (Number.isInteger(props.alarmPeriodSeconds) &&
          props.alarmPeriodSeconds >= 60 &&
          props.alarmPeriodSeconds <= 86_400 &&
          props.alarmPeriodSeconds % 60 === 0),
      "alarmPeriodSeconds",
      `expected a multiple of 60 from 60 to 86400, got ${props.alarmPeriodSeconds}`,
    );
    if (props.schedule) {
      v.check(
        SCHEDULE.test(props.schedule.expression),
        "schedule.expression",
        `expected rate(<n> <unit>) or cron(...), got ${JSON.stringify(props.schedule.expression)}`,
      );
      v.check(
        props.schedule.errorCodes.length > 0 &&
          props.schedule.errorCodes.every((c) => /^[A-Za-z0-9_.-]{1,128}$/.test(c)),
        "schedule.errorCodes",
        "expected at least one error code such as TIMEOUT",
      );
      v.integerInRange(props.schedule.maxMessages, "schedule.maxMessages", 1, 10_000_000);
    }
    const bundleDir = props.bundleDir ?? shippedBundleDir();
    const bundlePath = isAbsolute(bundleDir) ? bundleDir : resolve(bundleDir);
    v.check(
      existsSync(join(bundlePath, "index.js")),
      "bundleDir",
      `expected the esbuild bundle at ${join(bundleDir, "index.js")}; run \`npm run build\` (npm test and npm run synth build it)`,
    );
    v.throwIfInvalid();

    const aws = awsContext(this);
    const name = props.functionName;
    const timeout = props.timeoutSeconds ?? 300;

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${name}`,
      retentionInDays: props.logRetentionDays ?? 90,
    });

    this.role = new IamRole(this, "role", {
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
    this.roleArn = this.role.arn;

    const dlqArns = unique(props.routes.map((r) => r.dlqArn));
    const destinationArns = unique([
      ...props.routes.filter((r) => r.targetKind === "sqs").map((r) => r.targetArn),
      ...(props.additionalDestinations ?? []).map((d) => d.queueArn),
    ]);
    const functionArns = unique(props.routes.filter((r) => r.targetKind === "lambda").map((r) => r.targetArn));
    const busArns = unique(props.routes.filter((r) => r.targetKind === "event-bus").map((r) => r.targetArn));
    const decryptKeys = unique(props.routes.flatMap((r) => (r.dlqKmsKeyArn ? [r.dlqKmsKeyArn] : [])));
    const encryptKeys = unique([
      ...props.routes.flatMap((r) => (r.targetKind === "sqs" && r.targetKmsKeyArn ? [r.targetKmsKeyArn] : [])),
      ...(props.additionalDestinations ?? []).flatMap((d) => (d.kmsKeyArn ? [d.kmsKeyArn] : [])),
    ]);
    const viaSqs = { StringEquals: { "kms:ViaService": `sqs.${aws.region}.${aws.dnsSuffix}` } };
    const statements: Record<string, unknown>[] = [
      {
        Sid: "DrainDeadLetterQueues",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
        Resource: dlqArns,
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${this.logGroup.arn}:*`,
      },
      // X-Ray has no resource-level permissions for these two actions.
      {
        Sid: "XRayTracing",
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      },
    ];
    if (destinationArns.length > 0) {
      statements.push({
        Sid: "ReplayToTargets",
        Effect: "Allow",
        Action: ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
        Resource: destinationArns,
      });
    }
    // Lambda targets are replayed by an asynchronous invoke of exactly the ARN EventBridge invoked (qualifier included).
    if (functionArns.length > 0)
      statements.push({
        Sid: "InvokeLambdaTargets",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: functionArns,
      });
    // Event-bus targets are replayed by PutEvents; a bus in another account must also allow this role in its resource policy.
    if (busArns.length > 0)
      statements.push({
        Sid: "PutEventsOnBusTargets",
        Effect: "Allow",
        Action: ["events:PutEvents"],
        Resource: busArns,
      });
    if (decryptKeys.length > 0)
      statements.push({
        Sid: "DecryptDeadLetters",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: decryptKeys,
        Condition: viaSqs,
      });
    if (encryptKeys.length > 0)
      statements.push({
        Sid: "EncryptReplays",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: encryptKeys,
        Condition: viaSqs,
      });
    const policy = new IamRolePolicy(this, "policy", {
      name: `${name}-redrive`,
      role: this.role.id,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });

    const environment: Record<string, string> = {
      [ENV.sourceQueueUrls]: JSON.stringify(props.routes.map((r) => r.dlqUrl)),
      [ENV.maxRedrives]: String(props.maxRedrives ?? 3),
      [ENV.concurrency]: String(props.concurrency ?? 8),
      [ENV.visibilityTimeout]: String(props.visibilityTimeoutSeconds ?? 60),
      [ENV.fifoGroupId]: props.fifoGroupId ?? "redrive",
      [ENV.deadlineMarginMs]: "15000",
      ...(props.rate !== undefined ? { [ENV.rate]: String(props.rate) } : {}),
      ...(props.maxMessages !== undefined ? { [ENV.maxMessages]: String(props.maxMessages) } : {}),
    };
    this.environment = environment;

    const archive = writeBundleArchive(join(bundlePath, "index.js"), `${bundlePath}.zip`);
    const asset = new TerraformAsset(this, "bundle", { path: archive.path, type: AssetType.FILE });
    this.function = new LambdaFunction(this, "function", {
      functionName: name,
      description: "Replays dead-lettered messages with their error context (redrive)",
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: archive.sha256,
      memorySize: props.memorySize ?? 512,
      timeout,
      // -1 is the provider's "unreserved": written out, so removing a reservation is a visible change in the plan.
      reservedConcurrentExecutions: props.reservedConcurrency ?? -1,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      environment: { variables: environment },
      dependsOn: [this.logGroup, policy],
    });
    this.functionName = this.function.functionName;
    this.functionArn = this.function.arn;

    const period = props.alarmPeriodSeconds ?? 300;
    this.errorsAlarm = new CloudwatchMetricAlarm(this, "errors-alarm", {
      alarmName: `${name}-errors`,
      alarmDescription: `The ${name} redrive function failed: a replay failed or a run could not finish. See its log group ${this.logGroup.name} (event redrive.summary).`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: name },
      statistic: "Sum",
      period,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      treatMissingData: "notBreaching",
      alarmActions: [props.alarmTopicArn],
      okActions: [props.alarmTopicArn],
    });

    if (props.schedule) {
      const s = props.schedule;
      this.scheduleRule = new CloudwatchEventRule(this, "schedule", {
        name: `${name}-schedule`,
        description: `Periodic redrive of ${s.errorCodes.join(", ")} messages`,
        scheduleExpression: s.expression,
        state: s.enabled === false ? "DISABLED" : "ENABLED",
      });
      // Invocations EventBridge cannot deliver (throttled, function missing) are kept, not dropped.
      this.scheduleDeadLetterQueue = new SqsQueue(this, "schedule-dlq", {
        name: `${name}-schedule-dlq`,
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: 1_209_600,
      });
      new SqsQueuePolicy(this, "schedule-dlq-policy", {
        queueUrl: this.scheduleDeadLetterQueue.url,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ScheduleRuleDeadLetters",
              Effect: "Allow",
              Principal: { Service: "events.amazonaws.com" },
              Action: "sqs:SendMessage",
              Resource: this.scheduleDeadLetterQueue.arn,
              Condition: { ArnEquals: { "aws:SourceArn": this.scheduleRule.arn } },
            },
          ],
        }),
      });
      new CloudwatchMetricAlarm(this, "schedule-dlq-alarm", {
        alarmName: `${name}-schedule-dlq-visible-messages`,
        alarmDescription: `A scheduled run of ${name} could not be delivered to the function, or the run failed (see ${name}-schedule-dlq, and the function's log).`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: this.scheduleDeadLetterQueue.name },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
        alarmActions: [props.alarmTopicArn],
        okActions: [props.alarmTopicArn],
      });
      new CloudwatchEventTarget(this, "schedule-target", {
        rule: this.scheduleRule.name,
        targetId: "redrive",
        arn: this.function.arn,
        input: JSON.stringify({
          errorCodes: s.errorCodes,
          ...(s.maxMessages !== undefined ? { maxMessages: s.maxMessages } : {}),
        }),
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.scheduleDeadLetterQueue.arn },
      });
      // A scheduled run Lambda accepted and that then failed is kept too: its on-failure record goes to the same queue.
      const sendFailures = new IamRolePolicy(this, "schedule-failures-policy", {
        name: `${name}-schedule-failures`,
        role: this.role.id,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "SendFailedScheduledRuns",
              Effect: "Allow",
              Action: ["sqs:SendMessage"],
              Resource: this.scheduleDeadLetterQueue.arn,
            },
          ],
        }),
      });
      new LambdaFunctionEventInvokeConfig(this, "schedule-invoke-config", {
        functionName: this.function.functionName,
        // No Lambda retries: a failed run has already alarmed (Errors) and left its messages in place; the next scheduled run tries again.
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: 3600,
        destinationConfig: { onFailure: { destination: this.scheduleDeadLetterQueue.arn } },
        dependsOn: [sendFailures],
      });
      new LambdaPermission(this, "schedule-permission", {
        statementId: "AllowScheduleInvoke",
        action: "lambda:InvokeFunction",
        functionName: this.function.functionName,
        principal: "events.amazonaws.com",
        sourceArn: this.scheduleRule.arn,
      });
    }
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
