import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktn/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedriveAllowPolicy } from "@cdktn/provider-aws/lib/sqs-queue-redrive-allow-policy";
import type { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { grantQueue } from "../shared/grants";
import { RETENTION_SECONDS } from "../events/eventbridge-rules";
import { denyInsecureTransport, queueEncryption } from "../events/queue-encryption";
import { z } from "zod";
import type { AsyncQueueEncryption } from "./api-definition";
import { ASYNC_QUEUE_DEFAULTS } from "./front-door-rules";
import { type Parsed, parseProps } from "../shared/parse-props";
import { API_PARSE_OPTIONS } from "../shared/reference-samples";
import { asyncQueueOptionsSchema } from "./route-schema";
import { API_DEFAULTS } from "./defaults";
import type { ConsumedQueue } from "../consumer/queue-consumer-schema";
import type { DeadLetterRoute } from "../shared/dead-letter-route";

/** Props of AsyncRouteQueue. */
export interface AsyncRouteQueueProps {
  /** Queue name (1-76 letters, digits, '-' or '_'; its DLQ is `<name>-dlq`); required. */
  readonly name: string;
  /** Visibility timeout in seconds. @default 180 (a consumer with a 30 s timeout fits 6x) */
  readonly visibilityTimeoutSeconds?: number;
  /** Retention in seconds; the DLQ keeps messages 14 days. @default 345600 (4 days) */
  readonly messageRetentionSeconds?: number;
  /** Receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** Largest message in bytes, for the queue and its DLQ. @default 1048576 */
  readonly maxMessageSizeBytes?: number;
  /** SQS-managed SSE or a customer KMS key, for both queues. @default `sqs-managed` */
  readonly encryption?: AsyncQueueEncryption;
  /** The customer KMS key; required when `encryption` is "kms". @default none */
  readonly kmsKeyArn?: string;
  /** Tags of both queues. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** AsyncRouteQueueProps as checked at construction: an async route's queue options, with the name required. */
const asyncRouteQueuePropsSchema = asyncQueueOptionsSchema.safeExtend({
  name: asyncQueueOptionsSchema.shape.name.unwrap(),
  tags: z.record(z.string(), z.string()).optional(),
});

/**
 * The queue an async route writes to, with its own dead-letter queue: encrypted, explicit
 * retention and maximum message size, `maxReceiveCount` receives before a record is dead-lettered,
 * the DLQ keeping records 14 days and accepting them only from this queue (redrive-allow policy),
 * both refusing plain HTTP. Sending is granted by identity policy (the API's integration role).
 */
export class AsyncRouteQueue extends Construct {
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  /** ARN, URL and name of the queue. */
  readonly queueArn: string;
  readonly queueUrl: string;
  readonly queueName: string;
  /** ARN, URL and name of its DLQ. */
  readonly deadLetterQueueArn: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLetterQueueName: string;
  /** The visibility timeout the queue has, in seconds (a consumer's timing is checked against it). */
  readonly visibilityTimeoutSeconds: number;
  /** The customer KMS key of both queues, when not SQS-managed SSE. */
  readonly kmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: AsyncRouteQueueProps | Parsed<AsyncRouteQueueProps>) {
    super(scope, id);
    props = parseProps(`AsyncRouteQueue ${id}`, asyncRouteQueuePropsSchema, props, API_PARSE_OPTIONS);

    const encryption = queueEncryption(props.encryption ?? API_DEFAULTS.asyncQueueEncryption, props.kmsKeyArn);
    const maxMessageSize = props.maxMessageSizeBytes ?? ASYNC_QUEUE_DEFAULTS.maxMessageSizeBytes;
    this.visibilityTimeoutSeconds = props.visibilityTimeoutSeconds ?? ASYNC_QUEUE_DEFAULTS.visibilityTimeoutSeconds;
    this.kmsKeyArn = props.encryption === "kms" ? props.kmsKeyArn : undefined;
    const tags = props.tags ? { ...props.tags } : undefined;

    this.deadLetterQueueName = `${props.name}-dlq`;
    this.deadLetterQueue = new SqsQueue(this, "dlq", {
      name: this.deadLetterQueueName,
      fifoQueue: false,
      messageRetentionSeconds: RETENTION_SECONDS.max,
      maxMessageSize,
      ...encryption,
      tags,
    });
    this.queue = new SqsQueue(this, "queue", {
      name: props.name,
      fifoQueue: false,
      visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
      messageRetentionSeconds: props.messageRetentionSeconds ?? ASYNC_QUEUE_DEFAULTS.messageRetentionSeconds,
      maxMessageSize,
      ...encryption,
      redrivePolicy: JSON.stringify({
        deadLetterTargetArn: this.deadLetterQueue.arn,
        maxReceiveCount: props.maxReceiveCount ?? ASYNC_QUEUE_DEFAULTS.maxReceiveCount,
      }),
      tags,
    });
    this.queueArn = this.queue.arn;
    this.queueUrl = this.queue.url;
    this.queueName = props.name;
    this.deadLetterQueueArn = this.deadLetterQueue.arn;
    this.deadLetterQueueUrl = this.deadLetterQueue.url;

    new SqsQueueRedriveAllowPolicy(this, "dlq-redrive-allow", {
      queueUrl: this.deadLetterQueue.url,
      redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [this.queue.arn] }),
    });
    new SqsQueuePolicy(this, "policy", {
      queueUrl: this.queue.url,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(this.queue.arn)] }),
    });
    new SqsQueuePolicy(this, "dlq-policy", {
      queueUrl: this.deadLetterQueue.url,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(this.deadLetterQueue.arn)] }),
    });
  }
  /** The queue as QueueConsumer takes it (its `queue` prop): ARN, name, visibility, DLQ and key. */
  consumedQueue(): ConsumedQueue {
    return {
      arn: this.queueArn,
      name: this.queueName,
      visibilityTimeoutSeconds: this.visibilityTimeoutSeconds,
      deadLetterQueueName: this.deadLetterQueueName,
      kmsKeyArn: this.kmsKeyArn,
    };
  }

  /** Its DLQ as a redrive route back to the queue (RedriveFunction's `routes`), named `targetName`. */
  deadLetterRoute(targetName: string): DeadLetterRoute {
    return {
      targetName,
      targetKind: "sqs",
      targetArn: this.queueArn,
      dlqArn: this.deadLetterQueueArn,
      dlqUrl: this.deadLetterQueueUrl,
      dlqName: this.deadLetterQueueName,
      dlqKmsKeyArn: this.kmsKeyArn,
      targetKmsKeyArn: this.kmsKeyArn,
    };
  }

  /** Lets a role (by name, in this account) consume the queue: receive, delete, change visibility, and its key through SQS. */
  grantConsumeMessages(roleName: string): IamRolePolicy {
    return grantQueue(this, this, roleName, "consume");
  }

  /** Lets a role (by name, in this account) send to the queue, and use its key through SQS. */
  grantSendMessages(roleName: string): IamRolePolicy {
    return grantQueue(this, this, roleName, "send");
  }
}
