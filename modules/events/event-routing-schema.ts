import { Token } from "cdktn";
import { z } from "zod";
import { EVENT_BUS_ARN, eventPatternProblem, MAX_TARGETS_PER_RULE, RETENTION_SECONDS } from "./eventbridge-rules";
import {
  ALWAYS,
  byKind,
  eventsNameSchema,
  int,
  isObject,
  maxReceiveCountSchema,
  queueEncryptionSchema,
  retryPolicySchema,
} from "./schema-parts";
import { createdQueueStems, type EventTargetOptions, TARGET_KINDS } from "./targets";
import type { EventPattern, QueueEncryption, RetryPolicy } from "./types";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";

export {
  deadLetterQueueSchema,
  inputTransformerSchema,
  maxReceiveCountSchema,
  queueEncryptionSchema,
  retryPolicySchema,
} from "./schema-parts";

/** One rule: an event pattern and the targets matching events are delivered to. */
export interface EventRuleOptions {
  /** Rule name, unique in the construct (same character set as target names); required. */
  readonly name: string;
  /** Description shown in the console. @default none */
  readonly description?: string;
  /** Whether the rule delivers events. @default true */
  readonly enabled?: boolean;
  /** Event pattern: an object, or a string holding a JSON object; required. */
  readonly eventPattern: EventPattern;
  /** Targets (1-5, EventBridge's limit per rule); required. */
  readonly targets: readonly EventTargetOptions[];
}

/** The bus the rules listen on. */
export type EventBusOptions =
  | {
      readonly kind: "custom";
      /** Bus name; default `<namePrefix>-events`. */
      readonly name?: string;
    }
  | { readonly kind: "default" }
  | {
      readonly kind: "existing";
      /** ARN of a bus that already exists in the stack's account and region (the platform's, say): the rules are created on it; required. */
      readonly arn: string;
    };

/** An archive of the bus's events, so they can be replayed. */
export interface EventArchiveOptions {
  /** Days events are kept; 0 keeps them forever; required. */
  readonly retentionDays: number;
  /** Archive only the events matching this pattern. @default every event on the bus */
  readonly eventPattern?: EventPattern;
}

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
export { lambdaAsyncInvokeSchema } from "./targets/lambda";
export { targetQueueSchema } from "./targets/sqs";

/**
 * The zod schema of EventRoutingProps: structure and every rule that needs only the props (ranges, patterns, kinds,
 * unique names, exclusive fields). The environment config composes these same objects (stacks/config/events.ts);
 * rules that need the stack's region and account or the name prefix are in event-routing-checks.ts.
 */

/** An event pattern: an object, or a string holding a JSON object, each field an array of match values or a nested pattern. */
export const eventPatternSchema = z.custom<EventPattern>().superRefine((value, ctx) => {
  const problem =
    value === undefined ? "required field is missing (expected an event pattern object)" : eventPatternProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** Age of the oldest DLQ message at which the age alarm fires. */
export const dlqOldestMessageAgeSchema = int(60, RETENTION_SECONDS.max);

/**
 * One target of a rule, by `kind`: any kind in the registry (modules/events/targets/). Discriminated, so a target's
 * problems are its own kind's; an unknown or missing kind is one problem at `kind` naming the registered kinds.
 */
export const eventTargetSchema = byKind(
  TARGET_KINDS.map((k) => k.kind),
  z.discriminatedUnion("kind", TARGET_KINDS.map((k) => k.schema) as unknown as [z.core.$ZodTypeDiscriminable]),
) as unknown as z.ZodType<EventTargetOptions, EventTargetOptions>;

/** One rule: an event pattern and its 1-5 targets. */
export const eventRuleSchema = z.strictObject({
  name: eventsNameSchema,
  description: z.string().max(512).optional(),
  enabled: z.boolean().optional(),
  eventPattern: eventPatternSchema,
  targets: z.array(eventTargetSchema).min(1).max(MAX_TARGETS_PER_RULE),
});

/**
 * The rules of one construct: each valid, rule names unique, target names unique across rules, and no two targets
 * creating the same queue (`orders` and `orders-dlq` would). Runs on rules whose other fields failed too.
 */
export const eventRulesSchema = z.array(eventRuleSchema).superRefine((rules, ctx) => {
  if (!Array.isArray(rules)) return;
  const ruleNames = new Map<string, number>();
  const targetNames = new Map<string, string>();
  const queueStems = new Map<string, string>();
  rules.forEach((rule: unknown, i) => {
    if (!isObject(rule)) return;
    if (typeof rule.name === "string") {
      const other = ruleNames.get(rule.name);
      if (other !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [i, "name"],
          message: `expected a unique rule name, "${rule.name}" is also rules[${other}].name`,
        });
      else ruleNames.set(rule.name, i);
    }
    if (!Array.isArray(rule.targets)) return;
    rule.targets.forEach((t: unknown, j) => {
      if (!isObject(t) || typeof t.name !== "string" || typeof t.kind !== "string") return;
      const at = `rules[${i}].targets[${j}]`;
      const other = targetNames.get(t.name);
      if (other !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [i, "targets", j, "name"],
          message: `expected a unique target name, "${t.name}" is also ${other}.name`,
        });
        return;
      }
      targetNames.set(t.name, at);
      for (const stem of createdQueueStems(t as Parameters<typeof createdQueueStems>[0])) {
        const owner = queueStems.get(stem);
        if (owner !== undefined)
          ctx.addIssue({
            code: "custom",
            path: [i, "targets", j, "name"],
            message: `expected a name whose queues do not collide with another target's: queue "<prefix>-${stem}" is also created for ${owner}`,
          });
        else queueStems.set(stem, at);
      }
    });
  });
}, ALWAYS);

/** The bus the rules listen on: a custom bus (named, or `<namePrefix>-events`) or the account's default bus. */
export const eventBusSchema = byKind(
  ["custom", "default", "existing"],
  z.discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("custom"),
      name: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,256}$/, { message: "expected a bus name of 1-256 letters, digits, '.', '_' or '-'" })
        .refine((n) => n !== "default", {
          message: 'expected a custom bus name other than "default"; for the default bus use {"kind": "default"}',
        })
        .optional(),
    }),
    z.strictObject({ kind: z.literal("default") }),
    z.strictObject({
      kind: z.literal("existing"),
      arn: z
        .string()
        .refine((arn) => !Token.isUnresolved(arn), {
          message: "expected the bus's literal ARN (the module names the rules' bus from it)",
          abort: true,
        })
        .regex(EVENT_BUS_ARN, {
          message: "expected an event bus ARN such as arn:aws:events:eu-west-1:123456789012:event-bus/platform",
        })
        .describe(
          "ARN of a bus that already exists in this account and region (e.g. the platform's): the rules are created on it",
        ),
    }),
  ]),
);

/** An archive of the bus's events, for replay (retention 0 keeps them forever). */
export const eventArchiveSchema = z.strictObject({
  retentionDays: z.int().min(0),
  eventPattern: eventPatternSchema.optional(),
});

/** EventRoutingProps, every field (region and account checks apart: event-routing-checks.ts). */
export const eventRoutingPropsSchema = z.strictObject({
  namePrefix: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, {
    message: "expected 1-31 lower-case letters, digits and '-', starting with a letter",
  }),
  alarmTopicArn: z.string().min(1, { message: "expected the ARN of the SNS topic alarms publish to" }),
  eventBus: eventBusSchema.optional(),
  archive: eventArchiveSchema.optional(),
  rules: eventRulesSchema.optional(),
  defaultRetryPolicy: retryPolicySchema.optional(),
  defaultEncryption: queueEncryptionSchema.optional(),
  defaultMaxReceiveCount: maxReceiveCountSchema.optional(),
  dlqOldestMessageAgeAlarmSeconds: dlqOldestMessageAgeSchema.optional(),
  keyDeletionWindowDays: int(7, 30).optional(),
  region: z.string().optional(),
  accountId: z.string().optional(),
});

// The interface (with its docs and defaults) and the schema describe the same props: this fails to compile if a field
// is added, removed, renamed or retyped in one and not the other (each target kind checks its own the same way).
export type _SchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof eventRoutingPropsSchema>, EventRoutingProps>
>;
