import { CloudwatchEventArchive } from "@cdktn/provider-aws/lib/cloudwatch-event-archive";
import { CloudwatchEventBus } from "@cdktn/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventRule } from "@cdktn/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktn/provider-aws/lib/cloudwatch-event-target";
import type { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { grantPutEvents } from "../shared/grants";
import { type AwsContext, awsContext } from "../shared/aws-context";
import type { DeadLetterRoute } from "../shared/dead-letter-route";
import { DeliveryDeadLetterQueue } from "./delivery-dead-letter-queue";
import { literalStackPlace, validateEventRoutingProps } from "./event-routing-checks";
import { arnParts, eventPatternJson } from "./eventbridge-rules";
import { EventsKey } from "./events-key";
import { QueueAlarms } from "./queue-alarms";
import { RuleAlarms } from "./rule-alarms";
import { type EventTargetOptions, targetKind } from "./targets";
import type { BindContext, TargetKindResources } from "./targets/target-kind";
import { keyFor, queueUrlOfArn } from "./targets/util";
import type { QueueEncryption, RetryPolicy } from "./types";
import type { EventArchiveOptions, EventBusOptions, EventRuleOptions, EventRoutingProps } from "./event-routing-schema";
import { EVENTS_DEFAULTS } from "./defaults";

export type { EventRoutingProps } from "./event-routing-schema";

/** Everything the module created for one target: the rule, the target, its delivery DLQ and what its kind created. */
export interface EventTargetResources extends TargetKindResources {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  /** The DLQ the module created (absent when the target uses an existing queue). */
  readonly deliveryDeadLetterQueue?: DeliveryDeadLetterQueue;
}

/**
 * Event routing that never drops an event silently: a bus (custom or default), optional archive,
 * rules with event patterns, and targets (SQS queues it creates, existing Lambda functions,
 * other event buses). Every target has an explicit retry policy (except event buses, which take
 * none) and its own encrypted dead-letter queue that only its rule may write to; target queues
 * have their own DLQ for consumer failures. A Lambda target's events that Lambda accepted and
 * then failed go to an on-failure destination queue (created per function, or named when another
 * stack configures the function). Alarms on every DLQ, destination, function and rule go to one
 * SNS topic. `deadLetterRoutes` tells the redrive module where each target's failed events are.
 */
export class EventRouting extends Construct {
  /** Name of the bus the rules are on (`default` for the default bus). */
  readonly eventBusName: string;
  /** ARN of the bus the rules are on. */
  readonly eventBusArn: string;
  /** The custom bus, when the module created one. */
  readonly bus?: CloudwatchEventBus;
  /** The archive, when configured. */
  readonly archive?: CloudwatchEventArchive;
  /** The KMS key of queues with "kms" encryption, when any queue uses it. */
  readonly key?: EventsKey;
  /** Rule ARNs by rule name (as given in props, without the prefix). */
  readonly ruleArns: Readonly<Record<string, string>>;
  /** Resources of every target, by target name. */
  readonly targets: Readonly<Record<string, EventTargetResources>>;
  /** For every target, in props order: where its failed events go (the redrive module's input). */
  readonly deadLetterRoutes: readonly DeadLetterRoute[];

  private readonly routesByName: ReadonlyMap<string, DeadLetterRoute>;
  /** The bus the rules and targets name (`event_bus_name`); none for the default bus. */
  private readonly ruleBus?: string;

  /**
   * Throws the PropsError the constructor would throw for these props (every problem, props paths),
   * without creating anything: lets a caller such as the environment config reject what this module
   * rejects, in its own terms. `region`/`accountId` are the stack's (as the constructor reads them).
   */
  static validateProps(id: string, props: EventRoutingProps, region?: string, accountId?: string): void {
    validateEventRoutingProps(`EventRouting ${id}`, props, { region, accountId });
  }

  constructor(scope: Construct, id: string, props: EventRoutingProps) {
    super(scope, id);
    // Validated once (schema, then the rules that need the stack's region and account); read as validated.
    const p = validateEventRoutingProps(`EventRouting ${id}`, props, literalStackPlace(this));
    const aws = awsContext(this);
    const rules = p.rules ?? [];
    const bus = this.createBus(p.namePrefix, p.eventBus ?? { kind: "custom" }, aws);
    this.bus = bus.created;
    this.eventBusName = bus.name;
    this.eventBusArn = bus.arn;
    this.ruleBus = bus.ruleBus;
    if (p.archive) this.archive = this.createArchive(p.namePrefix, p.archive);
    // Rules first: the queue policies and roles name their ARNs.
    const ruleResources = this.createRules(p, rules);
    this.ruleArns = Object.fromEntries([...ruleResources].map(([name, r]) => [name, r.arn]));
    const defaultEncryption = p.defaultEncryption ?? EVENTS_DEFAULTS.encryption;
    this.key = this.createKey(p, rules, defaultEncryption, aws);
    const build: Build = {
      prefix: p.namePrefix,
      aws,
      defaultEncryption,
      defaultRetry: p.defaultRetryPolicy ?? EVENTS_DEFAULTS.retryPolicy,
      defaultMaxReceiveCount: p.defaultMaxReceiveCount,
      alarmTopicArn: p.alarmTopicArn,
      ageAlarm: p.dlqOldestMessageAgeAlarmSeconds,
      busRef: this.ruleBus,
      keyArn: this.key?.keyArn,
      alarmedQueues: new Set<string>(),
    };
    const targets: Record<string, EventTargetResources> = {};
    const routes: DeadLetterRoute[] = [];
    for (const rule of rules) {
      for (const t of rule.targets) {
        const built = this.createTarget(build, rule, ruleResources.get(rule.name)!, t);
        targets[t.name] = built.resources;
        routes.push(...built.routes);
      }
    }
    this.targets = targets;
    this.deadLetterRoutes = routes;
    this.routesByName = new Map(routes.filter((r) => r.source !== "lambda-on-failure").map((r) => [r.targetName, r]));
  }

  /** The bus: a custom one created here, the account's default, or an existing one (by ARN, its name read from it). */
  private createBus(
    prefix: string,
    options: EventBusOptions,
    aws: AwsContext,
  ): { created?: CloudwatchEventBus; name: string; arn: string; ruleBus?: string } {
    if (options.kind === "custom") {
      const name = options.name ?? `${prefix}-events`;
      const created = new CloudwatchEventBus(this, "bus", { name, description: `Events of ${prefix}` });
      return { created, name, arn: created.arn, ruleBus: created.name };
    }
    if (options.kind === "existing") {
      const name = options.arn.slice(options.arn.indexOf(":event-bus/") + ":event-bus/".length);
      return { name, arn: options.arn, ruleBus: name };
    }
    return { name: "default", arn: `arn:${aws.partition}:events:${aws.region}:${aws.accountId}:event-bus/default` };
  }

  private createArchive(prefix: string, archive: EventArchiveOptions): CloudwatchEventArchive {
    return new CloudwatchEventArchive(this, "archive", {
      name: `${prefix}-events-archive`,
      description: `Events of ${this.eventBusName}, for replay`,
      eventSourceArn: this.eventBusArn,
      retentionDays: archive.retentionDays,
      eventPattern: archive.eventPattern === undefined ? undefined : eventPatternJson(archive.eventPattern),
    });
  }

  /** Every rule, with its alarms; by rule name as given in props. */
  private createRules(p: EventRoutingProps, rules: readonly EventRuleOptions[]): Map<string, CloudwatchEventRule> {
    const resources = new Map<string, CloudwatchEventRule>();
    for (const rule of rules) {
      const ruleName = `${p.namePrefix}-${rule.name}`;
      const resource = new CloudwatchEventRule(this, `rule-${rule.name}`, {
        name: ruleName,
        description: rule.description,
        eventBusName: this.ruleBus,
        eventPattern: eventPatternJson(rule.eventPattern),
        state: rule.enabled === false ? "DISABLED" : "ENABLED",
      });
      resources.set(rule.name, resource);
      new RuleAlarms(this, `rule-${rule.name}-alarms`, {
        ruleName,
        eventBusName: this.ruleBus === undefined ? undefined : this.eventBusName,
        alarmTopicArn: p.alarmTopicArn,
      });
    }
    return resources;
  }

  /** The module's KMS key, when any queue it creates uses "kms" encryption. */
  private createKey(
    p: EventRoutingProps,
    rules: readonly EventRuleOptions[],
    defaultEncryption: QueueEncryption,
    aws: AwsContext,
  ): EventsKey | undefined {
    const kms = (e: QueueEncryption | undefined) => (e ?? defaultEncryption) === "kms";
    const createdDlq = (t: EventTargetOptions) => !t.deadLetterQueue?.existingQueue;
    const dlqUsesKms = (t: EventTargetOptions) => createdDlq(t) && kms(t.deadLetterQueue?.encryption);
    const all = rules.flatMap((r) => r.targets);
    if (!all.some((t) => dlqUsesKms(t) || targetKind(t.kind).keyUse(t, kms).uses)) return undefined;
    // The queues EventBridge sends to under the key, by ARN built from their names (a reference to the
    // queues would be a cycle: each queue names the key). A kind's queues that others write (Lambda's
    // on-failure queues: the function's execution role, through IAM and the key's account delegation) are not among them.
    const queueArns = all
      .flatMap((t) => [
        ...targetKind(t.kind)
          .keyUse(t, kms)
          .eventBridgeQueueStems.map((stem) => `${p.namePrefix}-${stem}`),
        ...(dlqUsesKms(t) ? [`${p.namePrefix}-${t.name}-delivery-dlq`] : []),
      ])
      .map((name) => `arn:${aws.partition}:sqs:${aws.region}:${aws.accountId}:${name}`);
    return new EventsKey(this, "key", {
      alias: `${p.namePrefix}-events`,
      queueArns,
      deletionWindowDays: p.keyDeletionWindowDays,
    });
  }

  /** One target: what it delivers to, its dead-letter queue, alarms and the EventBridge target itself. */
  private createTarget(
    b: Build,
    rule: EventRuleOptions,
    ruleResource: CloudwatchEventRule,
    t: EventTargetOptions,
  ): { resources: EventTargetResources; routes: DeadLetterRoute[] } {
    const kind = targetKind(t.kind);
    const endpoint = kind.bind(this, { ...b, rule: { name: rule.name, arn: ruleResource.arn } }, t);
    const dlq = this.deliveryDeadLetterQueue(b, ruleResource.arn, t);
    if (!b.alarmedQueues.has(dlq.name)) {
      b.alarmedQueues.add(dlq.name);
      new QueueAlarms(this, `${t.name}-delivery-dlq-alarms`, {
        queueName: dlq.name,
        purpose: `events rule ${b.prefix}-${rule.name} could not deliver to ${t.kind} target ${t.name} (redrive them with the redrive tool)`,
        alarmTopicArn: b.alarmTopicArn,
        oldestMessageAgeSeconds: b.ageAlarm,
      });
    }
    const retry = kind.takesRetryPolicy ? { ...b.defaultRetry, ...definedOnly(t.retryPolicy ?? {}) } : undefined;
    const target = new CloudwatchEventTarget(this, `${t.name}-target`, {
      rule: ruleResource.name,
      eventBusName: b.busRef,
      targetId: t.name,
      arn: endpoint.targetArn,
      roleArn: endpoint.roleArn,
      retryPolicy: retry && {
        maximumRetryAttempts: retry.maximumRetryAttempts,
        maximumEventAgeInSeconds: retry.maximumEventAgeInSeconds,
      },
      deadLetterConfig: { arn: dlq.arn },
      inputTransformer: t.inputTransformer && {
        inputPaths: t.inputTransformer.inputPaths ? { ...t.inputTransformer.inputPaths } : undefined,
        inputTemplate: t.inputTransformer.inputTemplate,
      },
    });
    const { targetArn, targetKmsKeyArn, failureRoute, resources } = endpoint;
    const route: DeadLetterRoute = {
      targetName: t.name,
      targetKind: t.kind,
      ruleArn: ruleResource.arn,
      targetArn,
      dlqArn: dlq.arn,
      dlqUrl: dlq.url,
      dlqName: dlq.name,
      ...(dlq.kmsKeyArn ? { dlqKmsKeyArn: dlq.kmsKeyArn } : {}),
      ...(targetKmsKeyArn ? { targetKmsKeyArn } : {}),
    };
    return {
      resources: { rule: ruleResource, target, deliveryDeadLetterQueue: dlq.created, ...resources },
      routes: failureRoute ? [route, failureRoute] : [route],
    };
  }

  /** The target's dead-letter queue: created here, or an existing one. */
  private deliveryDeadLetterQueue(b: Build, ruleArn: string, t: EventTargetOptions): DeliveryDlq {
    const existing = t.deadLetterQueue?.existingQueue;
    if (existing) {
      return {
        name: arnParts(existing.arn).resource,
        arn: existing.arn,
        url: queueUrlOfArn(existing.arn, b.aws.dnsSuffix),
        kmsKeyArn: existing.kmsKeyArn,
      };
    }
    const encryption = t.deadLetterQueue?.encryption ?? b.defaultEncryption;
    const kmsKeyArn = keyFor(encryption, b.keyArn);
    const created = new DeliveryDeadLetterQueue(this, `${t.name}-delivery-dlq`, {
      name: `${b.prefix}-${t.name}-delivery-dlq`,
      ruleArn,
      encryption,
      kmsKeyArn,
      maxMessageSizeBytes: t.deadLetterQueue?.maxMessageSizeBytes,
    });
    return { created, name: created.queueName, arn: created.queueArn, url: created.queueUrl, kmsKeyArn };
  }

  /** Lets a role (by name, in this account) put events on the bus the rules listen on (`events:PutEvents` on it only). */
  grantPutEvents(roleName: string): IamRolePolicy {
    return grantPutEvents(this, { busArn: this.eventBusArn, busName: this.eventBusName }, roleName);
  }

  /** The dead-letter route of one target, by target name; throws naming the known targets if there is none. */
  deadLetterRoute(targetName: string): DeadLetterRoute {
    const route = this.routesByName.get(targetName);
    if (!route) {
      throw new Error(
        `EventRouting ${this.node.id}: no target named "${targetName}" (targets: ${[...this.routesByName.keys()].join(", ") || "none"})`,
      );
    }
    return route;
  }
}

/** What the target loop shares: the construct's settings and context (what kinds bind with), and the DLQs already alarmed. */
interface Build extends Omit<BindContext, "rule"> {
  readonly defaultRetry: RetryPolicy;
  readonly busRef?: string;
  readonly alarmedQueues: Set<string>;
}

/** A target's delivery DLQ: the one created (absent for an existing queue), and how it is addressed. */
interface DeliveryDlq {
  readonly created?: DeliveryDeadLetterQueue;
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly kmsKeyArn?: string;
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
