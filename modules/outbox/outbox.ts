import type { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { grantTable } from "../shared/grants";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import type { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import type { PipesPipe } from "@cdktn/provider-aws/lib/pipes-pipe";
import type { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { Construct } from "constructs";
import { QueueAlarms } from "../events/queue-alarms";
import { type AwsContext, awsContext } from "../shared/aws-context";
import type { DeadLetterRoute } from "../shared/dead-letter-route";
import { parseProps } from "../shared/parse-props";
import { TimeSleep } from "../shared/time-sleep";
import { OUTBOX_DEFAULTS } from "./defaults";
import { createOutboxKey } from "./outbox-key";
import { createPipeAlarms } from "./outbox-alarms";
import { createOutboxPipe } from "./outbox-pipe";
import { type OutboxProps, outboxPropsSchema } from "./outbox-schema";
import { pipeSettings } from "./outbox-settings";
import { createPipeDeadLetterQueue } from "./pipe-dead-letter-queue";
import { attachPipePolicy, createPipeRole, type PipeRoleScope } from "./pipe-role";
import { createStateTable, existingTableRef, type OutboxTableRef } from "./state-table";

export type { OutboxExistingTable, OutboxKeyAttribute, OutboxNewTable, OutboxProps } from "./outbox-schema";

type Parsed = ReturnType<typeof outboxPropsSchema.parse>;

/**
 * Change events that are never lost: a DynamoDB table whose stream is the outbox, and per business event one
 * EventBridge Pipe that filters the stream to that event's records, maps each into the event (declared once as data:
 * field -> path and type) and puts it on the bus, where the event routing takes over. Retries and record age are
 * bounded, a failing batch is bisected, what the pipe gives up on reaches an encrypted DLQ that the redrive replays
 * from the stream (`deadLetterRoute`), and every pipe and the DLQ are alarmed. The pipes are created only after their
 * role's policy has propagated (terraform-provider-aws issue #40572).
 */
export class Outbox extends Construct {
  /** The table whose stream is read: created, or the existing one. */
  readonly table: OutboxTableRef;
  /** ARN of the outbox's customer key. */
  readonly keyArn: string;
  readonly deadLetterQueue: SqsQueue;
  readonly role: IamRole;
  /** The pipes by event name. */
  readonly pipes: Readonly<Record<string, PipesPipe>>;
  /** Where the pipes' failures go and how the redrive replays them (from the stream, onto the bus). */
  readonly deadLetterRoute: DeadLetterRoute;

  constructor(scope: Construct, id: string, props: OutboxProps) {
    super(scope, id);
    const p = parseProps(`Outbox ${id}`, outboxPropsSchema, props);
    const aws = awsContext(this);
    const tags = p.tags ? { ...p.tags } : undefined;
    this.keyArn = p.kmsKeyArn ?? createOutboxKey(this, p.name, tags).arn;
    this.table =
      p.table.kind === "new" ? createStateTable(this, p.name, p.table, this.keyArn, tags) : existingTableRef(p.table);
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/vendedlogs/pipes/${p.name}`,
      retentionInDays: p.logRetentionDays ?? OUTBOX_DEFAULTS.logRetentionDays,
      tags,
    });
    this.role = createPipeRole(this, p, aws, tags);
    this.deadLetterQueue = createPipeDeadLetterQueue(this, p.name, this.keyArn, this.role.arn, tags);
    const roleScope: PipeRoleScope = {
      name: p.name,
      table: this.table,
      busArn: p.eventBusArn,
      dlqArn: this.deadLetterQueue.arn,
      keyArn: this.keyArn,
      logGroupArn: logGroup.arn,
    };
    this.pipes = this.createPipes(p, roleScope, aws, logGroup.arn);
    this.deadLetterRoute = this.routeOf(p);
    new QueueAlarms(this, "dlq-alarms", {
      queueName: `${p.name}-pipe-dlq`,
      purpose: `stream records the ${p.name} outbox's pipes gave up on (redrive them within the stream's 24 h)`,
      alarmTopicArn: p.alarmTopicArn,
      oldestMessageAgeSeconds: p.dlqOldestMessageAgeAlarmSeconds ?? OUTBOX_DEFAULTS.dlqOldestMessageAgeAlarmSeconds,
    });
  }

  /** The role's policy, the wait for it, then one pipe (and its alarms) per event. */
  /**
   * Lets a role (by name) write the state table the outbox publishes from (get, put, update, delete and condition-check
   * items; the table's key through DynamoDB): a team's own function that records state once per change.
   */
  grantWriteState(roleName: string): IamRolePolicy {
    return grantTable(this, this.table, roleName, "write");
  }

  /** Lets a role (by name) read the state table (get, batch get, query; the table's key through DynamoDB). */
  grantReadState(roleName: string): IamRolePolicy {
    return grantTable(this, this.table, roleName, "read");
  }

  private createPipes(p: Parsed, s: PipeRoleScope, aws: AwsContext, logGroupArn: string): Record<string, PipesPipe> {
    const policy = attachPipePolicy(this, this.role, s, aws);
    const propagation = new TimeSleep(this, "iam-propagation", {
      createSeconds: p.iamPropagationSeconds ?? OUTBOX_DEFAULTS.iamPropagationSeconds,
      triggers: { role: this.role.arn, policy: policy.policy },
      dependsOn: [policy, ...(this.table.table ? [this.table.table] : [])],
    });
    const settings = pipeSettings(p);
    const ends = {
      roleArn: this.role.arn,
      streamArn: this.table.streamArn,
      busArn: p.eventBusArn,
      dlqArn: s.dlqArn,
      keyArn: this.keyArn,
      logGroupArn,
      propagation,
    };
    const pipes: Record<string, PipesPipe> = {};
    for (const [event, spec] of Object.entries(p.events)) {
      const pipeName = `${p.name}-${event}`;
      pipes[event] = createOutboxPipe(this, pipeName, spec, ends, settings);
      createPipeAlarms(this, pipeName, p.alarmTopicArn);
    }
    return pipes;
  }

  /** The redrive's route: the DLQ, the bus the events go to, and the pipes and stream it reads them back with. */
  private routeOf(p: Parsed): DeadLetterRoute {
    return {
      targetName: `outbox-${p.name}`,
      targetKind: "event-bus",
      targetArn: p.eventBusArn,
      dlqArn: this.deadLetterQueue.arn,
      dlqUrl: this.deadLetterQueue.url,
      dlqName: this.deadLetterQueue.name,
      dlqKmsKeyArn: this.keyArn,
      source: "pipe-stream",
      pipe: {
        pipeArns: Object.values(this.pipes).map((pipe) => pipe.arn),
        streamArn: this.table.streamArn,
        streamKmsKeyArn: this.table.kmsKeyArn,
      },
    };
  }
}
