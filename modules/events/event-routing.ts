import { CloudwatchEventArchive } from "@cdktf/provider-aws/lib/cloudwatch-event-archive";
import { CloudwatchEventBus } from "@cdktf/provider-aws/lib/cloudwatch-event-bus";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Fn, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { awsContext } from "../shared/aws-context";
import type { DeadLetterRoute } from "../shared/dead-letter-route";
import { PropsValidator } from "../shared/validation";
import { DeliveryDeadLetterQueue } from "./delivery-dead-letter-queue";
import { EventBusTargetRole } from "./event-bus-target-role";
import { EVENT_ROUTING_SHAPE } from "./event-routing-shape";
import {
  arnParts,
  createdQueueStems,
  EVENT_AGE_SECONDS,
  EVENT_BUS_ARN,
  eventPatternJson,
  eventPatternProblem,
  LAMBDA_ARN,
  LAMBDA_NAME,
  MAX_RECEIVE_COUNT,
  MAX_TARGETS_PER_RULE,
  MESSAGE_SIZE_BYTES,
  EVENTS_NAME_EXPECTED,
  EVENTS_NAME_PATTERN,
  LAMBDA_ASYNC_EVENT_AGE_SECONDS,
  LAMBDA_ASYNC_RETRY_ATTEMPTS,
  lambdaFailureQueueStem,
  RETENTION_SECONDS,
  ROLE_ARN,
  RETRY_ATTEMPTS,
  SQS_ARN,
  VISIBILITY_TIMEOUT_SECONDS,
} from "./eventbridge-rules";
import { EventsKey } from "./events-key";
import { LambdaAsyncAlarms } from "./lambda-async-alarms";
import { LambdaFailureDestination } from "./lambda-failure-destination";
import { EVENTS_PRINCIPAL } from "./queue-encryption";
import { QueueAlarms } from "./queue-alarms";
import { RuleAlarms } from "./rule-alarms";
import { TargetQueue } from "./target-queue";
import type {
  EventArchiveOptions,
  EventBusOptions,
  EventRuleOptions,
  EventTargetOptions,
  LambdaTargetOptions,
  QueueEncryption,
  RetryPolicy,
} from "./types";

/** Props of EventRouting. */
export interface EventRoutingProps {
  /** Prefix of every name the module gives (bus, rules, queues, roles, alarms, key alias), e.g. the environment name: 1-31 lower-case letters, digits and '-'; required. */
  readonly namePrefix: string;
  /** SNS topic every alarm (and recovery) publishes to; required. */
  readonly alarmTopicArn: string;
  /** Bus the rules listen on. @default a custom bus named `<namePrefix>-events` */
  readonly eventBus?: EventBusOptions;
  /** Archive of the bus's events, for replay. @default none */
  readonly archive?: EventArchiveOptions;
  /** Rules and their targets. @default none */
  readonly rules?: readonly EventRuleOptions[];
  /** Retry policy of every target that overrides nothing (never EventBridge's implicit 185 attempts / 24 h). @default 24 attempts within 3600 s */
  readonly defaultRetryPolicy?: RetryPolicy;
  /** Encryption of every queue the module creates that sets none. @default "sqs-managed" (SSE-SQS) */
  readonly defaultEncryption?: QueueEncryption;
  /** `maxReceiveCount` of every target queue that sets none (1-1000). @default 5 */
  readonly defaultMaxReceiveCount?: number;
  /** Age in seconds of the oldest message in any DLQ at which its age alarm fires (60-1209600). @default 3600 */
  readonly dlqOldestMessageAgeAlarmSeconds?: number;
  /** Days KMS waits before deleting the module's key, when one is needed (7-30). @default 30 */
  readonly keyDeletionWindowDays?: number;
  /** Region of the stack, to check existing DLQ and Lambda ARNs against. @default the AWS provider's region when literal, else unchecked */
  readonly region?: string;
  /** Account of the stack, to check existing DLQ and Lambda ARNs against. @default the provider's only allowed account, else unchecked */
  readonly accountId?: string;
}

/** Default retry policy of a target: give up (to the DLQ) within an hour, not EventBridge's 24 h. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maximumRetryAttempts: 24, maximumEventAgeInSeconds: 3600 };

/** Everything the module created for one target. */
export interface EventTargetResources {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  /** The DLQ the module created (absent when the target uses an existing queue). */
  readonly deliveryDeadLetterQueue?: DeliveryDeadLetterQueue;
  /** The target queue and its own DLQ (SQS targets). */
  readonly targetQueue?: TargetQueue;
  /** The role EventBridge assumes (event-bus targets). */
  readonly role?: EventBusTargetRole;
  /** The invoke permission of the function (Lambda targets). */
  readonly permission?: LambdaPermission;
  /** The function's event invoke config and on-failure destination queue (Lambda targets the module configures). */
  readonly failureDestination?: LambdaFailureDestination;
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

  /**
   * Throws the PropsError the constructor would throw for these props (every problem, props paths),
   * without creating anything: lets a caller such as the environment config reject what this module
   * rejects, in its own terms. `region`/`accountId` are the stack's (as the constructor reads them).
   */
  static validateProps(id: string, props: EventRoutingProps, region?: string, accountId?: string): void {
    new PropsValidator(`EventRouting ${id}`).requireShape(props, EVENT_ROUTING_SHAPE);
    validate(id, props, props.region ?? region, props.accountId ?? accountId);
  }

  constructor(scope: Construct, id: string, props: EventRoutingProps) {
    super(scope, id);
    new PropsValidator(`EventRouting ${id}`).requireShape(props, EVENT_ROUTING_SHAPE);
    const where = literalStackFacts(this);
    const region = props.region ?? where.region;
    const accountId = props.accountId ?? where.accountId;
    validate(id, props, region, accountId);

    const aws = awsContext(this);
    const prefix = props.namePrefix;
    const defaultEncryption = props.defaultEncryption ?? "sqs-managed";
    const defaultRetry = props.defaultRetryPolicy ?? DEFAULT_RETRY_POLICY;
    const rules = props.rules ?? [];
    const busOptions = props.eventBus ?? { kind: "custom" };

    // The bus.
    if (busOptions.kind === "custom") {
      const name = busOptions.name ?? `${prefix}-events`;
      this.bus = new CloudwatchEventBus(this, "bus", { name, description: `Events of ${prefix}` });
      this.eventBusName = name;
      this.eventBusArn = this.bus.arn;
    } else {
      this.eventBusName = "default";
      this.eventBusArn = `arn:${aws.partition}:events:${aws.region}:${aws.accountId}:event-bus/default`;
    }
    const busRef = this.bus ? this.bus.name : undefined;

    if (props.archive) {
      this.archive = new CloudwatchEventArchive(this, "archive", {
        name: `${prefix}-events-archive`,
        description: `Events of ${this.eventBusName}, for replay`,
        eventSourceArn: this.eventBusArn,
        retentionDays: props.archive.retentionDays,
        eventPattern:
          props.archive.eventPattern === undefined ? undefined : eventPatternJson(props.archive.eventPattern),
      });
    }

    // Rules first: the queue policies and roles name their ARNs.
    const ruleResources = new Map<string, CloudwatchEventRule>();
    const ruleArns: Record<string, string> = {};
    for (const rule of rules) {
      const ruleName = `${prefix}-${rule.name}`;
      const resource = new CloudwatchEventRule(this, `rule-${rule.name}`, {
        name: ruleName,
        description: rule.description,
        eventBusName: busRef,
        eventPattern: eventPatternJson(rule.eventPattern),
        state: rule.enabled === false ? "DISABLED" : "ENABLED",
      });
      ruleResources.set(rule.name, resource);
      ruleArns[rule.name] = resource.arn;
      new RuleAlarms(this, `rule-${rule.name}-alarms`, {
        ruleName,
        eventBusName: this.bus ? this.eventBusName : undefined,
        alarmTopicArn: props.alarmTopicArn,
      });
    }
    this.ruleArns = ruleArns;

    const usesKms = (t: EventTargetOptions): boolean =>
      (!t.deadLetterQueue?.existingQueue && (t.deadLetterQueue?.encryption ?? defaultEncryption) === "kms") ||
      (t.kind === "sqs" && (t.queue?.encryption ?? defaultEncryption) === "kms") ||
      (t.kind === "lambda" &&
        !!t.asyncInvoke?.executionRoleArn &&
        (t.asyncInvoke.encryption ?? defaultEncryption) === "kms");
    // The queues EventBridge sends to under the key, by ARN built from their names (a reference to the
    // queues would be a cycle: each queue names the key). Lambda's on-failure queues are not among them:
    // the function's execution role writes those, through IAM and the key's account delegation.
    const kmsQueueArns = rules
      .flatMap((r) => r.targets)
      .flatMap((t) => [
        ...(t.kind === "sqs" && (t.queue?.encryption ?? defaultEncryption) === "kms" ? [`${prefix}-${t.name}`] : []),
        ...(!t.deadLetterQueue?.existingQueue && (t.deadLetterQueue?.encryption ?? defaultEncryption) === "kms"
          ? [`${prefix}-${t.name}-delivery-dlq`]
          : []),
      ])
      .map((name) => `arn:${aws.partition}:sqs:${aws.region}:${aws.accountId}:${name}`);
    if (rules.some((r) => r.targets.some(usesKms))) {
      this.key = new EventsKey(this, "key", {
        alias: `${prefix}-events`,
        queueArns: kmsQueueArns,
        deletionWindowDays: props.keyDeletionWindowDays,
      });
    }
    const keyArn = this.key?.keyArn;

    const targets: Record<string, EventTargetResources> = {};
    const routes: DeadLetterRoute[] = [];
    const alarmedQueues = new Set<string>();
    const ageAlarm = props.dlqOldestMessageAgeAlarmSeconds;
    for (const rule of rules) {
      const ruleResource = ruleResources.get(rule.name)!;
      const ruleArn = ruleResource.arn;
      for (const t of rule.targets) {
        let targetArn: string;
        let targetQueue: TargetQueue | undefined;
        let role: EventBusTargetRole | undefined;
        let permission: LambdaPermission | undefined;
        let failureDestination: LambdaFailureDestination | undefined;
        let failureRoute: DeadLetterRoute | undefined;
        let targetKmsKeyArn: string | undefined;
        if (t.kind === "sqs") {
          const encryption = t.queue?.encryption ?? defaultEncryption;
          targetQueue = new TargetQueue(this, `${t.name}-queue`, {
            name: `${prefix}-${t.name}`,
            ruleArn,
            visibilityTimeoutSeconds: t.queue?.visibilityTimeoutSeconds,
            messageRetentionSeconds: t.queue?.messageRetentionSeconds,
            maxReceiveCount: t.queue?.maxReceiveCount ?? props.defaultMaxReceiveCount,
            maxMessageSizeBytes: t.queue?.maxMessageSizeBytes,
            encryption,
            kmsKeyArn: encryption === "kms" ? keyArn : undefined,
          });
          targetArn = targetQueue.queueArn;
          targetKmsKeyArn = encryption === "kms" ? keyArn : undefined;
          new QueueAlarms(this, `${t.name}-dlq-alarms`, {
            queueName: targetQueue.deadLetterQueueName,
            purpose: `messages the consumers of ${targetQueue.queueName} could not process (redrive with SQS's native move to the source queue)`,
            alarmTopicArn: props.alarmTopicArn,
            oldestMessageAgeSeconds: ageAlarm,
          });
        } else if (t.kind === "lambda") {
          targetArn =
            t.functionArn ?? `arn:${aws.partition}:lambda:${aws.region}:${aws.accountId}:function:${t.functionName}`;
          permission = new LambdaPermission(this, `${t.name}-invoke-permission`, {
            statementId: lambdaStatementId(prefix, rule.name, t.name),
            action: "lambda:InvokeFunction",
            functionName: targetArn,
            principal: EVENTS_PRINCIPAL,
            sourceArn: ruleArn,
          });
          const failures = this.lambdaFailures(
            t,
            targetArn,
            ruleArn,
            prefix,
            defaultEncryption,
            props.alarmTopicArn,
            ageAlarm,
          );
          failureDestination = failures.destination;
          failureRoute = failures.route;
        } else {
          targetArn = t.eventBusArn;
          role = new EventBusTargetRole(this, `${t.name}-role`, {
            name: roleName(prefix, t.name),
            ruleArn,
            eventBusArn: t.eventBusArn,
          });
        }

        // The target's dead-letter queue: created here, or an existing one.
        let dlq: DeliveryDeadLetterQueue | undefined;
        let dlqArn: string;
        let dlqUrl: string;
        let dlqName: string;
        let dlqKmsKeyArn: string | undefined;
        const existing = t.deadLetterQueue?.existingQueue;
        if (existing) {
          const parts = arnParts(existing.arn);
          dlqName = parts.resource;
          dlqArn = existing.arn;
          dlqUrl = `https://sqs.${parts.region}.${aws.dnsSuffix}/${parts.account}/${parts.resource}`;
          dlqKmsKeyArn = existing.kmsKeyArn;
        } else {
          const encryption = t.deadLetterQueue?.encryption ?? defaultEncryption;
          dlq = new DeliveryDeadLetterQueue(this, `${t.name}-delivery-dlq`, {
            name: `${prefix}-${t.name}-delivery-dlq`,
            ruleArn,
            encryption,
            kmsKeyArn: encryption === "kms" ? keyArn : undefined,
            maxMessageSizeBytes: t.deadLetterQueue?.maxMessageSizeBytes,
          });
          dlqName = dlq.queueName;
          dlqArn = dlq.queueArn;
          dlqUrl = dlq.queueUrl;
          dlqKmsKeyArn = encryption === "kms" ? keyArn : undefined;
        }
        if (!alarmedQueues.has(dlqName)) {
          alarmedQueues.add(dlqName);
          new QueueAlarms(this, `${t.name}-delivery-dlq-alarms`, {
            queueName: dlqName,
            purpose: `events rule ${prefix}-${rule.name} could not deliver to ${t.kind} target ${t.name} (redrive them with the redrive tool)`,
            alarmTopicArn: props.alarmTopicArn,
            oldestMessageAgeSeconds: ageAlarm,
          });
        }

        const retry = t.kind === "event-bus" ? undefined : { ...defaultRetry, ...definedOnly(t.retryPolicy ?? {}) };
        const target = new CloudwatchEventTarget(this, `${t.name}-target`, {
          rule: ruleResource.name,
          eventBusName: busRef,
          targetId: t.name,
          arn: targetArn,
          roleArn: role?.roleArn,
          retryPolicy: retry && {
            maximumRetryAttempts: retry.maximumRetryAttempts,
            maximumEventAgeInSeconds: retry.maximumEventAgeInSeconds,
          },
          deadLetterConfig: { arn: dlqArn },
          inputTransformer: t.inputTransformer && {
            inputPaths: t.inputTransformer.inputPaths ? { ...t.inputTransformer.inputPaths } : undefined,
            inputTemplate: t.inputTransformer.inputTemplate,
          },
        });

        targets[t.name] = {
          rule: ruleResource,
          target,
          deliveryDeadLetterQueue: dlq,
          targetQueue,
          role,
          permission,
          failureDestination,
        };
        routes.push({
          targetName: t.name,
          targetKind: t.kind,
          ruleArn,
          targetArn,
          dlqArn,
          dlqUrl,
          ...(dlqKmsKeyArn ? { dlqKmsKeyArn } : {}),
          ...(targetKmsKeyArn ? { targetKmsKeyArn } : {}),
        });
        if (failureRoute) routes.push(failureRoute);
      }
    }
    this.targets = targets;
    this.deadLetterRoutes = routes;
    this.routesByName = new Map(routes.filter((r) => r.source !== "lambda-on-failure").map((r) => [r.targetName, r]));
  }

  /**
   * A Lambda target's on-failure path: the module's destination queue, event invoke config and
   * alarms, or (function configured by another stack) the named queue, whose owner alarms it.
   */
  private lambdaFailures(
    t: LambdaTargetOptions,
    targetArn: string,
    ruleArn: string,
    prefix: string,
    defaultEncryption: QueueEncryption,
    alarmTopicArn: string,
    ageAlarm: number | undefined,
  ): { destination?: LambdaFailureDestination; route: DeadLetterRoute } {
    const aws = awsContext(this);
    const base = {
      targetName: t.name,
      targetKind: "lambda" as const,
      ruleArn,
      targetArn,
      source: "lambda-on-failure" as const,
    };
    const external = t.asyncInvoke.ownedByAnotherStack?.onFailureDestination;
    if (external) {
      const parts = arnParts(external.arn);
      const dlqUrl = `https://sqs.${parts.region}.${aws.dnsSuffix}/${parts.account}/${parts.resource}`;
      return {
        route: {
          ...base,
          dlqArn: external.arn,
          dlqUrl,
          ...(external.kmsKeyArn ? { dlqKmsKeyArn: external.kmsKeyArn } : {}),
        },
      };
    }
    const { functionName, qualifier, name } = functionOf(t, targetArn);
    const encryption = t.asyncInvoke.encryption ?? defaultEncryption;
    const kmsKeyArn = encryption === "kms" ? this.key?.keyArn : undefined;
    const queueName = `${prefix}-${lambdaFailureQueueStem(t.name)}`;
    const destination = new LambdaFailureDestination(this, `${t.name}-async-failures`, {
      name: queueName,
      functionName,
      qualifier,
      executionRoleArn: t.asyncInvoke.executionRoleArn!,
      maximumRetryAttempts: t.asyncInvoke.maximumRetryAttempts,
      maximumEventAgeInSeconds: t.asyncInvoke.maximumEventAgeInSeconds,
      encryption,
      kmsKeyArn,
    });
    new QueueAlarms(this, `${t.name}-async-failures-alarms`, {
      queueName,
      purpose: `events Lambda accepted from the rule and function ${name} then failed (redrive them with the redrive tool)`,
      alarmTopicArn,
      oldestMessageAgeSeconds: ageAlarm,
    });
    new LambdaAsyncAlarms(this, `${t.name}-async-alarms`, {
      functionName: name,
      alarmNamePrefix: `${prefix}-${t.name}`,
      destination: queueName,
      alarmTopicArn,
    });
    return {
      destination,
      route: {
        ...base,
        dlqArn: destination.queueArn,
        dlqUrl: destination.queueUrl,
        ...(kmsKeyArn ? { dlqKmsKeyArn: kmsKeyArn } : {}),
      },
    };
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

/**
 * The function a Lambda target names: `function_name` for its event invoke config (unqualified
 * ARN or name), the qualifier (version or alias) and the bare name (the metrics' FunctionName).
 */
function functionOf(
  t: LambdaTargetOptions,
  targetArn: string,
): { functionName: string; qualifier?: string; name: string } {
  if (t.functionName !== undefined && !Token.isUnresolved(t.functionName)) {
    const [name, qualifier] = t.functionName.split(":");
    return { functionName: name, qualifier, name };
  }
  if (!Token.isUnresolved(targetArn)) {
    const parts = targetArn.split(":");
    return { functionName: parts.slice(0, 7).join(":"), qualifier: parts[7], name: parts[6] };
  }
  // An unqualified ARN expression (e.g. aws_lambda_function.x.arn): configured as is.
  return { functionName: targetArn, name: Fn.element(Fn.split(":", targetArn), 6) };
}

function roleName(prefix: string, target: string): string {
  return `${prefix}-${target}-put-events`;
}

function lambdaStatementId(prefix: string, rule: string, target: string): string {
  return `events-${prefix}-${rule}-${target}`;
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Region and account of the stack's AWS provider, when they are literals. */
function literalStackFacts(scope: Construct): { region?: string; accountId?: string } {
  const provider = TerraformStack.of(scope).node.children.find(
    (c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined,
  );
  const region = provider?.region;
  const accounts = provider?.allowedAccountIds;
  return {
    region: region && !Token.isUnresolved(region) ? region : undefined,
    accountId: accounts?.length === 1 && !Token.isUnresolved(accounts[0]) ? accounts[0] : undefined,
  };
}

/** Collects every problem in the props (paths as in the props), then throws once. */
function validate(
  id: string,
  props: EventRoutingProps,
  region: string | undefined,
  accountId: string | undefined,
): void {
  const v = new PropsValidator(`EventRouting ${id}`);
  const literal = (s: string | undefined): s is string => typeof s === "string" && !Token.isUnresolved(s);

  v.check(
    /^[a-z][a-z0-9-]{0,30}$/.test(props.namePrefix),
    "namePrefix",
    `expected 1-31 lower-case letters, digits and '-', starting with a letter, got "${props.namePrefix}"`,
  );
  v.check(!!props.alarmTopicArn, "alarmTopicArn", "expected the ARN of the SNS topic alarms publish to");
  if (props.eventBus?.kind === "custom" && props.eventBus.name !== undefined) {
    const name = props.eventBus.name;
    v.check(
      /^[A-Za-z0-9._-]{1,256}$/.test(name) && name !== "default",
      "eventBus.name",
      `expected a custom bus name of 1-256 letters, digits, '.', '_' or '-' other than "default", got "${name}"`,
    );
  }
  if (props.archive) {
    v.integerInRange(props.archive.retentionDays, "archive.retentionDays", 0, Number.MAX_SAFE_INTEGER);
    if (props.archive.eventPattern !== undefined) {
      const p = eventPatternProblem(props.archive.eventPattern);
      v.check(!p, "archive.eventPattern", p ?? "");
    }
  }
  if (props.defaultRetryPolicy) retryProblems(v, props.defaultRetryPolicy, "defaultRetryPolicy");
  v.integerInRange(
    props.defaultMaxReceiveCount,
    "defaultMaxReceiveCount",
    MAX_RECEIVE_COUNT.min,
    MAX_RECEIVE_COUNT.max,
  );
  v.integerInRange(props.dlqOldestMessageAgeAlarmSeconds, "dlqOldestMessageAgeAlarmSeconds", 60, RETENTION_SECONDS.max);
  v.integerInRange(props.keyDeletionWindowDays, "keyDeletionWindowDays", 7, 30);

  const ruleNames = new Map<string, string>();
  const targetNames = new Map<string, string>();
  const queueStems = new Map<string, string>();
  for (const [i, rule] of (props.rules ?? []).entries()) {
    const at = `rules[${i}]`;
    v.check(EVENTS_NAME_PATTERN.test(rule.name), `${at}.name`, `${EVENTS_NAME_EXPECTED}, got "${rule.name}"`);
    const sameRule = ruleNames.get(rule.name);
    v.check(!sameRule, `${at}.name`, `expected a unique rule name, "${rule.name}" is also ${sameRule}.name`);
    if (!sameRule) ruleNames.set(rule.name, at);
    const pattern = eventPatternProblem(rule.eventPattern);
    v.check(!pattern, `${at}.eventPattern`, pattern ?? "");
    v.check(
      rule.description === undefined || rule.description.length <= 512,
      `${at}.description`,
      "expected at most 512 characters",
    );
    v.check(
      rule.targets.length >= 1 && rule.targets.length <= MAX_TARGETS_PER_RULE,
      `${at}.targets`,
      `expected 1 to ${MAX_TARGETS_PER_RULE} targets (EventBridge's limit per rule), got ${rule.targets.length}`,
    );
    for (const [j, t] of rule.targets.entries()) {
      const tat = `${at}.targets[${j}]`;
      v.check(EVENTS_NAME_PATTERN.test(t.name), `${tat}.name`, `${EVENTS_NAME_EXPECTED}, got "${t.name}"`);
      const sameTarget = targetNames.get(t.name);
      v.check(!sameTarget, `${tat}.name`, `expected a unique target name, "${t.name}" is also ${sameTarget}.name`);
      if (!sameTarget) {
        targetNames.set(t.name, tat);
        for (const stem of createdQueueStems(t)) {
          const owner = queueStems.get(stem);
          v.check(
            !owner,
            `${tat}.name`,
            `expected a name whose queues do not collide with another target's: queue "${props.namePrefix}-${stem}" is also created for ${owner}`,
          );
          if (!owner) queueStems.set(stem, tat);
        }
      }
      if (t.kind === "lambda") {
        const statementId = lambdaStatementId(props.namePrefix, rule.name, t.name);
        v.check(
          statementId.length <= 100,
          `${tat}.name`,
          `expected a shorter rule or target name: the invoke permission's statement id "${statementId}" exceeds Lambda's 100 characters`,
        );
      }
      targetProblems(v, t, tat, props.namePrefix, region, accountId, literal);
    }
  }
  v.throwIfInvalid();
}

function retryProblems(v: PropsValidator, retry: Partial<RetryPolicy>, at: string): void {
  v.integerInRange(retry.maximumRetryAttempts, `${at}.maximumRetryAttempts`, RETRY_ATTEMPTS.min, RETRY_ATTEMPTS.max);
  v.integerInRange(
    retry.maximumEventAgeInSeconds,
    `${at}.maximumEventAgeInSeconds`,
    EVENT_AGE_SECONDS.min,
    EVENT_AGE_SECONDS.max,
  );
}

function targetProblems(
  v: PropsValidator,
  t: EventTargetOptions,
  at: string,
  prefix: string,
  region: string | undefined,
  accountId: string | undefined,
  literal: (s: string | undefined) => s is string,
): void {
  const inRegionAndAccount = (arn: string, path: string, what: string): void => {
    const parts = arnParts(arn);
    if (region)
      v.check(
        parts.region === region,
        path,
        `expected ${what} in the rule's region ${region}, got one in ${parts.region}`,
      );
    if (accountId)
      v.check(
        parts.account === accountId,
        path,
        `expected ${what} in account ${accountId}, got one in ${parts.account}`,
      );
  };

  if (t.kind === "event-bus") {
    v.check(
      t.retryPolicy === undefined,
      `${at}.retryPolicy`,
      "event-bus targets take no retry policy (EventBridge rejects one); remove it",
    );
    v.check(
      t.inputTransformer === undefined,
      `${at}.inputTransformer`,
      "event-bus targets take no input transformer (EventBridge forwards the event as is); remove it",
    );
    if (literal(t.eventBusArn)) {
      v.check(
        EVENT_BUS_ARN.test(t.eventBusArn),
        `${at}.eventBusArn`,
        `expected an event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/partner, got "${t.eventBusArn}"`,
      );
    }
    v.check(
      roleName(prefix, t.name).length <= 64,
      `${at}.name`,
      `expected a shorter name: the role "${roleName(prefix, t.name)}" exceeds IAM's 64 characters`,
    );
  } else {
    if (t.retryPolicy) retryProblems(v, t.retryPolicy, `${at}.retryPolicy`);
    if (t.inputTransformer) {
      const paths = Object.entries(t.inputTransformer.inputPaths ?? {});
      v.check(
        paths.length <= 100,
        `${at}.inputTransformer.inputPaths`,
        `expected at most 100 input paths, got ${paths.length}`,
      );
      for (const [name, path] of paths) {
        v.check(
          /^[A-Za-z0-9_-]+$/.test(name),
          `${at}.inputTransformer.inputPaths.${name}`,
          "expected a variable name of letters, digits, '_' or '-'",
        );
        v.check(
          path.startsWith("$"),
          `${at}.inputTransformer.inputPaths.${name}`,
          `expected a JSON path starting with "$", got "${path}"`,
        );
      }
      const template = t.inputTransformer.inputTemplate;
      v.check(
        template.length >= 1 && template.length <= 8192,
        `${at}.inputTransformer.inputTemplate`,
        "expected a template of 1-8192 characters",
      );
    }
  }
  if (t.kind === "lambda") {
    v.check(
      (t.functionArn === undefined) !== (t.functionName === undefined),
      `${at}.functionArn`,
      "expected exactly one of functionArn and functionName",
    );
    if (literal(t.functionArn)) {
      if (LAMBDA_ARN.test(t.functionArn))
        inRegionAndAccount(
          t.functionArn,
          `${at}.functionArn`,
          "a function (one in another account cannot be a target here: route to that account's event bus)",
        );
      else
        v.check(
          false,
          `${at}.functionArn`,
          `expected a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:cancel-order, got "${t.functionArn}"`,
        );
    }
    if (literal(t.functionName)) {
      v.check(
        LAMBDA_NAME.test(t.functionName),
        `${at}.functionName`,
        `expected a function name of 1-64 letters, digits, '-' or '_' (optionally ":alias"), got "${t.functionName}"`,
      );
    }
    asyncInvokeProblems(v, t, at, accountId, inRegionAndAccount, literal);
  }
  if (t.kind === "sqs" && t.queue) {
    const q = t.queue;
    const qat = `${at}.queue`;
    v.integerInRange(
      q.visibilityTimeoutSeconds,
      `${qat}.visibilityTimeoutSeconds`,
      VISIBILITY_TIMEOUT_SECONDS.min,
      VISIBILITY_TIMEOUT_SECONDS.max,
    );
    v.integerInRange(
      q.messageRetentionSeconds,
      `${qat}.messageRetentionSeconds`,
      RETENTION_SECONDS.min,
      RETENTION_SECONDS.max,
    );
    v.integerInRange(q.maxReceiveCount, `${qat}.maxReceiveCount`, MAX_RECEIVE_COUNT.min, MAX_RECEIVE_COUNT.max);
    v.integerInRange(
      q.maxMessageSizeBytes,
      `${qat}.maxMessageSizeBytes`,
      MESSAGE_SIZE_BYTES.min,
      MESSAGE_SIZE_BYTES.max,
    );
  }

  const dlq = t.deadLetterQueue;
  if (!dlq) return;
  const dat = `${at}.deadLetterQueue`;
  v.integerInRange(
    dlq.maxMessageSizeBytes,
    `${dat}.maxMessageSizeBytes`,
    MESSAGE_SIZE_BYTES.min,
    MESSAGE_SIZE_BYTES.max,
  );
  if (!dlq.existingQueue) return;
  v.check(
    dlq.encryption === undefined,
    `${dat}.encryption`,
    "applies only to a DLQ the module creates; remove it or remove existingQueue",
  );
  v.check(
    dlq.maxMessageSizeBytes === undefined,
    `${dat}.maxMessageSizeBytes`,
    "applies only to a DLQ the module creates; remove it or remove existingQueue",
  );
  const arn = dlq.existingQueue.arn;
  const aat = `${dat}.existingQueue.arn`;
  if (!literal(arn)) {
    v.check(false, aat, "expected a literal queue ARN (the module derives the DLQ's name and URL from it)");
  } else if (!SQS_ARN.test(arn)) {
    v.check(
      false,
      aat,
      `expected an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders-dlq, got "${arn}"`,
    );
  } else {
    v.check(
      !arn.endsWith(".fifo"),
      aat,
      `expected a standard queue: EventBridge cannot dead-letter to a FIFO queue, got "${arn}"`,
    );
    inRegionAndAccount(arn, aat, "a queue");
  }
}

/** A Lambda target must say where its accepted-then-failed events go: the module's queue (with the role) or the other stack's. */
function asyncInvokeProblems(
  v: PropsValidator,
  t: LambdaTargetOptions,
  at: string,
  accountId: string | undefined,
  inRegionAndAccount: (arn: string, path: string, what: string) => void,
  literal: (s: string | undefined) => s is string,
): void {
  const aat = `${at}.asyncInvoke`;
  const a = t.asyncInvoke;
  if (!a) {
    v.check(
      false,
      aat,
      "expected executionRoleArn (the module creates the function's on-failure destination queue) or ownedByAnotherStack.onFailureDestination (the queue the function's owner configured): without one, events Lambda accepted and the function failed are dropped",
    );
    return;
  }
  const external = a.ownedByAnotherStack;
  v.check(
    (a.executionRoleArn === undefined) !== (external === undefined),
    `${aat}.executionRoleArn`,
    "expected exactly one of executionRoleArn and ownedByAnotherStack",
  );
  if (external) {
    for (const field of ["maximumRetryAttempts", "maximumEventAgeInSeconds", "encryption"] as const) {
      v.check(
        a[field] === undefined,
        `${aat}.${field}`,
        "applies only when the module configures the function (executionRoleArn); its owner sets it when ownedByAnotherStack",
      );
    }
    const arn = external.onFailureDestination?.arn;
    const dat = `${aat}.ownedByAnotherStack.onFailureDestination.arn`;
    if (!literal(arn))
      v.check(
        false,
        dat,
        "expected the literal ARN of the queue the function's owner configured as its on-failure destination",
      );
    else if (!SQS_ARN.test(arn) || arn.endsWith(".fifo"))
      v.check(
        false,
        dat,
        `expected a standard SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:cancel-order-failures, got "${arn}"`,
      );
    else inRegionAndAccount(arn, dat, "a queue");
    return;
  }
  v.integerInRange(
    a.maximumRetryAttempts,
    `${aat}.maximumRetryAttempts`,
    LAMBDA_ASYNC_RETRY_ATTEMPTS.min,
    LAMBDA_ASYNC_RETRY_ATTEMPTS.max,
  );
  v.integerInRange(
    a.maximumEventAgeInSeconds,
    `${aat}.maximumEventAgeInSeconds`,
    LAMBDA_ASYNC_EVENT_AGE_SECONDS.min,
    LAMBDA_ASYNC_EVENT_AGE_SECONDS.max,
  );
  const role = a.executionRoleArn;
  if (literal(role)) {
    if (!ROLE_ARN.test(role))
      v.check(
        false,
        `${aat}.executionRoleArn`,
        `expected an IAM role ARN such as arn:aws:iam::123456789012:role/cancel-order, got "${role}"`,
      );
    else if (accountId)
      v.check(
        arnParts(role).account === accountId,
        `${aat}.executionRoleArn`,
        `expected the function's role in account ${accountId}, got one in ${arnParts(role).account}`,
      );
  }
}
