import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { LambdaFunctionEventInvokeConfig } from "@cdktn/provider-aws/lib/lambda-function-event-invoke-config";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktn/provider-aws/lib/sqs-queue-policy";
import { Fn, Token } from "cdktn";
import { Construct } from "constructs";
import { type AwsContext, awsContext } from "../shared/aws-context";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import {
  LAMBDA_ASYNC_EVENT_AGE_SECONDS,
  LAMBDA_ASYNC_RETRY_ATTEMPTS,
  MESSAGE_SIZE_BYTES,
  RETENTION_SECONDS,
  ROLE_ARN,
  STANDARD_QUEUE_NAME,
  standardQueueNameExpected,
} from "./eventbridge-rules";
import { denyInsecureTransport, queueEncryption } from "./queue-encryption";
import type { QueueEncryption } from "./types";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { EVENTS_DEFAULTS } from "./defaults";

/** Props of LambdaFailureDestination. */
export interface LambdaFailureDestinationProps {
  /** Queue name (1-80 letters, digits, '-' or '_'; standard queue); required. */
  readonly name: string;
  /** Name or ARN of the function, without a qualifier; required. */
  readonly functionName: string;
  /** Version or alias whose asynchronous invocations are configured. @default none (the unqualified function, i.e. $LATEST) */
  readonly qualifier?: string;
  /** ARN of the function's execution role (Lambda sends failure records with it); required. */
  readonly executionRoleArn: string;
  /** Lambda's retries after a failed attempt (0-2). @default 2 (Lambda's own default: rides out transient errors) */
  readonly maximumRetryAttempts?: number;
  /** Seconds Lambda keeps an accepted event (60-21600). @default 3600 (failures surface within the hour, not after Lambda's 6 h) */
  readonly maximumEventAgeInSeconds?: number;
  /** SQS-managed SSE or a customer KMS key. @default `sqs-managed` */
  readonly encryption?: QueueEncryption;
  /** The customer KMS key; required when `encryption` is "kms" (the role gets kms:GenerateDataKey/kms:Decrypt on it through SQS). @default none */
  readonly kmsKeyArn?: string;
}

/** LambdaFailureDestinationProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const lambdaFailureDestinationPropsSchema = z
  .strictObject({
    name: z.string(),
    functionName: z.string(),
    qualifier: z.string().optional(),
    executionRoleArn: z.string(),
    maximumRetryAttempts: z.number().optional(),
    maximumEventAgeInSeconds: z.number().optional(),
    encryption: z.enum(["sqs-managed", "kms"]).optional(),
    kmsKeyArn: z.string().optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(STANDARD_QUEUE_NAME.test(props.name), "name", standardQueueNameExpected(props.name));
    v.check(!!props.functionName, "functionName", "expected the function's name or unqualified ARN");
    v.check(
      Token.isUnresolved(props.executionRoleArn) || ROLE_ARN.test(String(props.executionRoleArn)),
      "executionRoleArn",
      `expected an IAM role ARN such as arn:aws:iam::123456789012:role/cancel-order, got "${props.executionRoleArn}"`,
    );
    v.integerInRange(
      props.maximumRetryAttempts,
      "maximumRetryAttempts",
      LAMBDA_ASYNC_RETRY_ATTEMPTS.min,
      LAMBDA_ASYNC_RETRY_ATTEMPTS.max,
    );
    v.integerInRange(
      props.maximumEventAgeInSeconds,
      "maximumEventAgeInSeconds",
      LAMBDA_ASYNC_EVENT_AGE_SECONDS.min,
      LAMBDA_ASYNC_EVENT_AGE_SECONDS.max,
    );
    v.check(
      props.encryption !== "kms" || !!props.kmsKeyArn,
      "kmsKeyArn",
      'expected a KMS key ARN when encryption is "kms"',
    );
  });

/**
 * The on-failure destination of one function's asynchronous invocations: the function's
 * `aws_lambda_function_event_invoke_config` (explicit retries and event age) sending every event
 * Lambda gives up on, as an on-failure record, to an encrypted standard queue kept 14 days. Only
 * the function's execution role may send to the queue (queue policy), and an IAM policy on that
 * role allows exactly `sqs:SendMessage` on it (and the queue's KMS key through SQS).
 */
export class LambdaFailureDestination extends Construct {
  readonly queue: SqsQueue;
  readonly invokeConfig: LambdaFunctionEventInvokeConfig;
  /** ARN of the queue. */
  readonly queueArn: string;
  /** URL of the queue. */
  readonly queueUrl: string;
  /** Name of the queue. */
  readonly queueName: string;

  constructor(scope: Construct, id: string, props: LambdaFailureDestinationProps) {
    super(scope, id);
    parseProps(`LambdaFailureDestination ${id}`, lambdaFailureDestinationPropsSchema, props);

    const aws = awsContext(this);
    const encryption = props.encryption ?? EVENTS_DEFAULTS.encryption;
    this.queue = new SqsQueue(this, "queue", {
      name: props.name,
      fifoQueue: false,
      messageRetentionSeconds: RETENTION_SECONDS.max,
      // A record holds the event (up to the async payload limit) plus Lambda's context and the error.
      maxMessageSize: MESSAGE_SIZE_BYTES.max,
      ...queueEncryption(encryption, props.kmsKeyArn),
      redriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }),
    });
    this.queueArn = this.queue.arn;
    this.queueUrl = this.queue.url;
    this.queueName = props.name;

    this.createQueuePolicy(props.executionRoleArn);
    const rolePolicy = this.grantRole(props, encryption, aws);
    this.invokeConfig = new LambdaFunctionEventInvokeConfig(this, "invoke-config", {
      functionName: props.functionName,
      qualifier: props.qualifier,
      maximumRetryAttempts: props.maximumRetryAttempts ?? EVENTS_DEFAULTS.lambdaAsyncRetryAttempts,
      maximumEventAgeInSeconds: props.maximumEventAgeInSeconds ?? EVENTS_DEFAULTS.lambdaAsyncEventAgeSeconds,
      destinationConfig: { onFailure: { destination: this.queue.arn } },
      // Lambda checks that the execution role may send to the destination when the config is put.
      dependsOn: [rolePolicy],
    });
  }

  /** Only the function's execution role may send to the queue, over TLS. */
  private createQueuePolicy(executionRoleArn: string): void {
    new SqsQueuePolicy(this, "policy", {
      queueUrl: this.queue.url,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "FunctionRoleSendsFailureRecords",
            Effect: "Allow",
            Principal: { AWS: executionRoleArn },
            Action: "sqs:SendMessage",
            Resource: this.queue.arn,
          },
          {
            // Lambda sends with the execution role, whose sessions carry aws:PrincipalArn = the role.
            Sid: "DenySendFromAnyoneElse",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:SendMessage",
            Resource: this.queue.arn,
            Condition: { ArnNotEquals: { "aws:PrincipalArn": executionRoleArn } },
          },
          denyInsecureTransport(this.queue.arn),
        ],
      }),
    });
  }

  /** The execution role may send to the queue (and use its key, through SQS only). */
  private grantRole(props: LambdaFailureDestinationProps, encryption: QueueEncryption, aws: AwsContext): IamRolePolicy {
    const statements: Record<string, unknown>[] = [
      { Sid: "SendFailureRecords", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: this.queue.arn },
    ];
    if (encryption === "kms") {
      // The key policy delegates to the account's IAM policies (account root); this grants the role, through SQS only.
      statements.push({
        Sid: "EncryptFailureRecords",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: props.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `sqs.${aws.region}.${aws.dnsSuffix}` } },
      });
    }
    return new IamRolePolicy(this, "role-policy", {
      name: `${props.name}-send`,
      role: roleNameOf(props.executionRoleArn),
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    });
  }
}

/** The role name (last path segment) of a role ARN, literal or a Terraform expression. */
function roleNameOf(roleArn: string): string {
  if (!Token.isUnresolved(roleArn)) return roleArn.slice(roleArn.lastIndexOf("/") + 1);
  return Fn.element(Fn.reverse(Fn.split("/", roleArn)), 0);
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _LambdaFailureDestinationSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof lambdaFailureDestinationPropsSchema>, LambdaFailureDestinationProps>
>;
