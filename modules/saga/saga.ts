import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import type { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { SfnStateMachine } from "@cdktn/provider-aws/lib/sfn-state-machine";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktn/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { RETENTION_SECONDS } from "../events/eventbridge-rules";
import { QueueAlarms } from "../events/queue-alarms";
import { denyInsecureTransport } from "../events/queue-encryption";
import { type AwsContext, awsContext } from "../shared/aws-context";
import { createModuleKey } from "../shared/module-key";
import { parseProps } from "../shared/parse-props";
import { SAGA_DEFAULTS } from "./defaults";
import { createSagaAlarms } from "./saga-alarms";
import { sagaDefinition } from "./saga-definition";
import { attachSagaPolicy, createSagaRole } from "./saga-role";
import { NEEDS_A_HUMAN_SUFFIX } from "./saga-names";
import { type SagaProps, sagaPropsSchema } from "./saga-schema";

export type { SagaProps, SagaRetry, SagaStep, SagaTask } from "./saga-schema";

type Parsed = ReturnType<typeof sagaPropsSchema.parse>;

/**
 * A saga on Step Functions: ordered steps, each an action and an optional compensation (a Lambda function, with or
 * without a task token, or a DynamoDB, SQS or EventBridge call), retried by named error with backoff and full jitter,
 * with timeouts and heartbeats. A step that fails for good undoes the completed steps in reverse order; a
 * compensation that still fails puts the execution's whole context on the encrypted needs-a-human queue and the
 * execution fails. STANDARD type, a customer key, ERROR logs without execution data to an encrypted log group,
 * X-Ray, a role holding exactly the steps' calls on their resources, alarms on failed, timed-out, throttled and
 * aborted executions and on the queue.
 */
export class Saga extends Construct {
  readonly stateMachine: SfnStateMachine;
  /** ARN of the state machine. */
  readonly stateMachineArn: string;
  readonly role: IamRole;
  readonly needsAHumanQueue: SqsQueue;
  /** ARN of the saga's customer key. */
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: SagaProps) {
    super(scope, id);
    const p = parseProps(`Saga ${id}`, sagaPropsSchema, props);
    const aws = awsContext(this);
    const tags = p.tags ? { ...p.tags } : undefined;
    const logGroupName = `/aws/vendedlogs/states/${p.name}`;
    this.keyArn = p.kmsKeyArn ?? this.createKey(p, aws, logGroupName, tags);
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: logGroupName,
      retentionInDays: p.logRetentionDays ?? SAGA_DEFAULTS.logRetentionDays,
      kmsKeyId: this.keyArn,
      tags,
    });
    this.role = createSagaRole(this, p.name, aws, tags);
    this.needsAHumanQueue = this.createQueue(p, tags);
    const policy = attachSagaPolicy(this, this.role, p.steps, {
      name: p.name,
      keyArn: this.keyArn,
      needsAHumanQueueArn: this.needsAHumanQueue.arn,
    });
    this.stateMachine = new SfnStateMachine(this, "state-machine", {
      name: p.name,
      type: "STANDARD",
      roleArn: this.role.arn,
      definition: JSON.stringify(sagaDefinition(p.name, p.steps, this.needsAHumanQueue.url)),
      loggingConfiguration: {
        logDestination: `${logGroup.arn}:*`,
        level: p.logLevel ?? SAGA_DEFAULTS.logLevel,
        includeExecutionData: p.includeExecutionData ?? false,
      },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: {
        type: "CUSTOMER_MANAGED_KMS_KEY",
        kmsKeyId: this.keyArn,
        kmsDataKeyReusePeriodSeconds: 300,
      },
      dependsOn: [policy],
      tags,
    });
    this.stateMachineArn = this.stateMachine.arn;
    createSagaAlarms(this, p.name, this.stateMachine.arn, p.alarmTopicArn);
    new QueueAlarms(this, "needs-a-human-alarms", {
      queueName: `${p.name}-needs-a-human`,
      purpose: `executions of the ${p.name} saga whose compensation failed: a person must finish undoing them`,
      alarmTopicArn: p.alarmTopicArn,
      oldestMessageAgeSeconds: SAGA_DEFAULTS.needsAHumanAgeAlarmSeconds,
    });
  }

  /** The saga's key; CloudWatch Logs may use it for this saga's log group only. */
  private createKey(p: Parsed, aws: AwsContext, logGroupName: string, tags?: Record<string, string>): string {
    const logGroupArn = `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}:log-group:${logGroupName}`;
    return createModuleKey(this, {
      alias: `saga/${p.name}`,
      description: `Encrypts the ${p.name} saga: its state machine's data, logs and needs-a-human queue`,
      deletionWindowDays: SAGA_DEFAULTS.keyDeletionWindowDays,
      // CloudWatch Logs encrypts the log group itself, scoped by its context key (CloudWatch Logs user guide,
      // "Encrypt log data in CloudWatch Logs using AWS KMS").
      serviceStatements: [
        {
          Sid: "LogsEncryptTheSagaLogGroup",
          Effect: "Allow",
          Principal: { Service: `logs.${aws.region}.${aws.dnsSuffix}` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
        },
      ],
      tags,
    }).arn;
  }

  /** The needs-a-human queue: encrypted, 14 days, only the saga's role may send to it. */
  private createQueue(p: Parsed, tags?: Record<string, string>): SqsQueue {
    const queue = new SqsQueue(this, "needs-a-human", {
      name: `${p.name}${NEEDS_A_HUMAN_SUFFIX}`,
      messageRetentionSeconds: RETENTION_SECONDS.max,
      kmsMasterKeyId: this.keyArn,
      kmsDataKeyReusePeriodSeconds: 300,
      tags,
    });
    new SqsQueuePolicy(this, "needs-a-human-policy", {
      queueUrl: queue.url,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "OnlyTheSagaSends",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:SendMessage",
            Resource: queue.arn,
            Condition: { ArnNotEquals: { "aws:PrincipalArn": this.role.arn } },
          },
          denyInsecureTransport(queue.arn),
        ],
      }),
    });
    return queue;
  }
}
