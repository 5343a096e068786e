import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { LambdaEventSourceMapping } from "@cdktn/provider-aws/lib/lambda-event-source-mapping";
import { LambdaFunction } from "@cdktn/provider-aws/lib/lambda-function";
import { AssetType, TerraformAsset } from "cdktn";
import { Construct } from "constructs";
import type { z } from "zod";
import { logsAndTracingStatements } from "../shared/function-statements";
import { boundedName } from "../shared/bounded-name";
import { CONSUMER_ENV } from "../shared/contract/environment-names";
import { writeBundleArchive } from "../redrive/bundle-archive";
import { locateBundle, shippedBundleDir } from "../redrive/bundle-location";
import { type AwsContext, awsContext } from "../shared/aws-context";
import { rawField } from "../shared/module-schema";
import { parseProps } from "../shared/parse-props";
import { faultInjectionEnvironment, faultInjectionStatements } from "../fault-injection/readiness";
import { ConsumerAlarms } from "./consumer-alarms";
import { IdempotencyTable } from "./idempotency-table";
import { QueueConsumerSchema } from "./queue-consumer-schema";
import type { QueueConsumerProps } from "./queue-consumer-schema";

export type { ConsumedQueue, QueueConsumerProps } from "./queue-consumer-schema";

/**
 * A Lambda function consuming an SQS queue in batches: an event source mapping reporting batch
 * item failures (only failed records retry), batch size and window, maximum concurrency, and
 * timing validated against the queue (visibility >= 6 x timeout + window); the function
 * (nodejs22.x, arm64, X-Ray, reserved concurrency, its own log group) from an esbuild bundle; the
 * idempotency table the runtime uses; IAM scoped to the queue, its key and the table; alarms on
 * the DLQ, the backlog's age, errors and throttles.
 */
export class QueueConsumer extends Construct {
  readonly function: LambdaFunction;
  readonly eventSourceMapping: LambdaEventSourceMapping;
  readonly table: IdempotencyTable;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly alarms: ConsumerAlarms;
  /** Name and ARN of the function. */
  readonly functionName: string;
  readonly functionArn: string;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    // The template's bundle shipped with the package (found from this file, as RedriveFunction's), not the working directory.
    const bundle = locateBundle(rawField(props, "bundleDir"), () => shippedBundleDir(__dirname, "consumer"));
    const p = parseProps(`QueueConsumer ${id}`, QueueConsumerSchema, props, { contextProblems: bundle.problems });
    const bundlePath = bundle.path;

    const aws = awsContext(this);
    const name = p.functionName;
    const tags = p.tags ? { ...p.tags } : undefined;

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${name}`,
      retentionInDays: p.logRetentionDays,
      tags,
    });
    this.table = new IdempotencyTable(this, "idempotency", {
      name: `${name}-idempotency`,
      kmsKeyArn: p.tableKmsKeyArn,
      tags,
    });

    this.role = this.createRole(p, aws, tags);
    const statements = policyStatements(p, this.table.tableArn, this.logGroup.arn, aws);
    const policy = new IamRolePolicy(this, "policy", {
      name: `${name}-consumer`,
      role: this.role.id,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });
    this.function = this.createFunction(p, bundlePath, policy, tags);
    this.functionName = this.function.functionName;
    this.functionArn = this.function.arn;
    this.eventSourceMapping = this.createEventSourceMapping(p, policy, tags);
    this.alarms = new ConsumerAlarms(this, "alarms", {
      functionName: name,
      queueName: p.queue.name,
      deadLetterQueueName: p.queue.deadLetterQueueName,
      alarmTopicArn: p.alarmTopicArn,
      oldestMessageAgeSeconds: p.oldestMessageAgeAlarmSeconds,
    });
  }

  /** The function's role: only Lambda in this account may assume it. */
  private createRole(p: ParsedProps, aws: AwsContext, tags: Record<string, string> | undefined): IamRole {
    const name = p.functionName;
    return new IamRole(this, "role", {
      name: boundedName(name, "-role", 64),
      description: `Runs the ${name} consumer of ${p.queue.name}`,
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
      tags,
    });
  }

  /** The function from the template's bundle, traced, logging JSON to its group, with the idempotency table's name. */
  private createFunction(
    p: ParsedProps,
    bundlePath: string,
    policy: IamRolePolicy,
    tags: Record<string, string> | undefined,
  ): LambdaFunction {
    const name = p.functionName;
    const archive = writeBundleArchive(join(bundlePath, "index.js"), `${bundlePath}.zip`);
    const asset = new TerraformAsset(this, "bundle", { path: archive.path, type: AssetType.FILE });
    return new LambdaFunction(this, "function", {
      functionName: name,
      description: `Consumes ${p.queue.name} in batches (partial batch responses, idempotent)`,
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: archive.sha256,
      memorySize: p.memorySize,
      timeout: p.timeoutSeconds,
      // Unreserved unless asked: the event source mapping's maximum_concurrency caps it (a reservation fails in a new account).
      reservedConcurrentExecutions: p.reservedConcurrency,
      tracingConfig: { mode: "Active" },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      layers: p.faultInjection ? [p.faultInjection.layerArn] : undefined,
      environment: {
        variables: {
          ...p.environment,
          ...(p.faultInjection ? faultInjectionEnvironment(p.faultInjection) : {}),
          [CONSUMER_ENV.idempotencyTable]: this.table.tableName,
          [CONSUMER_ENV.idempotencyTtlSeconds]: String(p.idempotencyTtlSeconds),
          ...(p.stateTable ? { [CONSUMER_ENV.stateTable]: p.stateTable.name } : {}),
          POWERTOOLS_SERVICE_NAME: name,
        },
      },
      dependsOn: [this.logGroup, policy],
      tags,
    });
  }

  /** The queue feeding the function: partial batch responses, the mapping's maximum concurrency. */
  private createEventSourceMapping(
    p: ParsedProps,
    policy: IamRolePolicy,
    tags: Record<string, string> | undefined,
  ): LambdaEventSourceMapping {
    return new LambdaEventSourceMapping(this, "event-source", {
      eventSourceArn: p.queue.arn,
      functionName: this.function.arn,
      enabled: true,
      batchSize: p.batchSize,
      maximumBatchingWindowInSeconds: p.maximumBatchingWindowSeconds,
      // Only the records the handler reports failed are retried; the others are deleted.
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: { maximumConcurrency: p.maximumConcurrency },
      dependsOn: [policy],
      tags,
    });
  }
}

type ParsedProps = z.output<typeof QueueConsumerSchema>;

/** Writing the outbox's state table: get, conditional put and update of its items, and its key through DynamoDB. */
function stateTableStatements(props: QueueConsumerProps, aws: AwsContext): Record<string, unknown>[] {
  const t = props.stateTable;
  if (!t) return [];
  return [
    {
      Sid: "WriteOutboxState",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
      Resource: t.arn,
    },
    ...(t.kmsKeyArn
      ? [
          {
            Sid: "UseStateTableKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            Resource: t.kmsKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `dynamodb.${aws.region}.${aws.dnsSuffix}` } },
          },
        ]
      : []),
  ];
}

/** The consumer role's statements: the queue, its key, the table (and its key), its own logs, X-Ray. */
function policyStatements(
  props: QueueConsumerProps,
  tableArn: string,
  logGroupArn: string,
  aws: AwsContext,
): Record<string, unknown>[] {
  const statements: Record<string, unknown>[] = [
    {
      Sid: "ConsumeQueue",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      Resource: props.queue.arn,
    },
    {
      Sid: "IdempotencyRecords",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
      Resource: tableArn,
    },
    ...logsAndTracingStatements(logGroupArn),
  ];
  if (props.queue.kmsKeyArn) {
    statements.push({
      Sid: "DecryptQueue",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: props.queue.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `sqs.${aws.region}.${aws.dnsSuffix}` } },
    });
  }
  statements.push(...stateTableStatements(props, aws));
  if (props.faultInjection) statements.push(...faultInjectionStatements(props.faultInjection, aws));
  if (props.tableKmsKeyArn) {
    // As AWS's own grants for tables with a customer key: DynamoDB uses the key on the caller's behalf.
    statements.push({
      Sid: "UseTableKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: props.tableKmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `dynamodb.${aws.region}.${aws.dnsSuffix}` } },
    });
  }
  return statements;
}
