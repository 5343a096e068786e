import type { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import type { Construct } from "constructs";
import type { z } from "zod";
import type { AwsContext } from "../../shared/aws-context";
import type { TargetKindName } from "../../shared/contract/target-kinds";
import type { DeadLetterRoute } from "../../shared/dead-letter-route";
import type { SchemaProblem } from "../../shared/zod-problems";
import type { EventTargetRole } from "../event-target-role";
import type { LambdaFailureDestination } from "../lambda-failure-destination";
import type { TargetQueue } from "../target-queue";
import type { EventTargetBase, QueueEncryption } from "../types";

/**
 * One kind of EventBridge target as a plug-in (the shape of AWS CDK's aws-events-targets: one file per kind behind
 * `bind()`): its props schema, what it creates and delivers to, its names and checks, and what the redrive needs to
 * replay to it. EventRouting, its schema, the environment config and the redrive module read every kind from the
 * registry (./index.ts) and know none by name. Recipe: docs/events.md "Adding a target kind".
 */
export interface TargetKind<O extends EventTargetBase & { readonly kind: TargetKindName }> {
  /** The kind's name in props, env files and dead-letter routes. */
  readonly kind: O["kind"];
  /** The target's props: a strict object of `kind: z.literal(<kind>)`, `...targetBaseFields` and the kind's own fields. */
  readonly schema: z.ZodType<unknown, O>;
  /** Whether EventBridge takes a retry policy for this kind (the construct's default fills what the target leaves out). */
  readonly takesRetryPolicy: boolean;
  /** Names, after `<prefix>-`, of the queues this kind creates beside the delivery DLQ; runs on unvalidated props. */
  queueStems(t: O): string[];
  /** The key's use by this kind's own queues: whether any uses it, and which of them EventBridge sends to. */
  keyUse(t: O, kms: (encryption: QueueEncryption | undefined) => boolean): KeyUse;
  /** Problems of the names the kind derives from the prefix, rule and target names (service length limits). */
  nameProblems(t: O, c: ContextCheck): SchemaProblem[];
  /** Problems of the ARNs the target names that must be in the stack's region and account. */
  placeProblems(t: O, c: ContextCheck): SchemaProblem[];
  /** Creates what the target delivers to, in `scope` (EventRouting: resource ids stay `<target>-...`). */
  bind(scope: Construct, c: BindContext, t: O): TargetEndpoint;
  /** The target ARN a dead-letter route of this kind must carry (replays go there, and IAM is scoped to it). */
  readonly replayTarget: { readonly pattern: RegExp; readonly expected: string };
  /** What the redrive function needs to replay one of this kind's dead-letter routes. */
  redriveGrant(route: DeadLetterRoute): RedriveGrant;
  /** A field whose value must differ between environments (a copied env file must not send to another's). @default none */
  readonly environmentBound?: EnvironmentBound<O>;
}

/** Names, after `<prefix>-`, of the kind's own queues under the module key: all (`uses`) and those EventBridge writes. */
export interface KeyUse {
  readonly uses: boolean;
  readonly eventBridgeQueueStems: readonly string[];
}

/** Region and account of the stack, when known as literals: ARNs are checked against them. */
export interface StackPlace {
  /** The stack's region. @default unknown: region not checked */
  readonly region?: string;
  /** The stack's account. @default unknown: account not checked */
  readonly accountId?: string;
}

/** What a kind's context checks see besides the target. */
export interface ContextCheck {
  readonly prefix: string;
  readonly ruleName: string;
  /** Props path of the target (`rules[0].targets[1]`). */
  readonly at: string;
  readonly place: StackPlace;
}

/** What `bind` sees: the construct's settings and context, and the target's rule. */
export interface BindContext {
  readonly prefix: string;
  readonly aws: AwsContext;
  readonly defaultEncryption: QueueEncryption;
  /** `maxReceiveCount` of target queues that set none. @default the queue construct's */
  readonly defaultMaxReceiveCount?: number;
  readonly alarmTopicArn: string;
  /** Oldest-message age alarm threshold of the DLQs, in seconds. @default the queue alarms' */
  readonly ageAlarm?: number;
  /** The module's KMS key. @default none: no queue uses "kms" encryption */
  readonly keyArn?: string;
  readonly rule: { readonly name: string; readonly arn: string };
}

/** Resources a kind may create for one target (EventTargetResources holds them beside the rule and target). */
export interface TargetKindResources {
  /** The target queue and its own DLQ (SQS targets). @default none */
  readonly targetQueue?: TargetQueue;
  /** The role EventBridge assumes (event-bus and step-functions targets). @default none */
  readonly role?: EventTargetRole;
  /** The invoke permission of the function (Lambda targets). @default none */
  readonly permission?: LambdaPermission;
  /** The function's bare name, as its metrics' FunctionName dimension (Lambda targets). @default none */
  readonly functionName?: string;
  /** The function's event invoke config and on-failure destination queue (Lambda targets the module configures). @default none */
  readonly failureDestination?: LambdaFailureDestination;
}

/** What a target delivers to, and what `bind` created for it. */
export interface TargetEndpoint {
  readonly targetArn: string;
  /** Customer KMS key of the target, for the redrive's replays (a queue's key). @default none */
  readonly targetKmsKeyArn?: string;
  /** Role EventBridge assumes to deliver. @default none */
  readonly roleArn?: string;
  readonly resources: TargetKindResources;
  /** A second place the target's failures land (Lambda's on-failure destination). @default none */
  readonly failureRoute?: DeadLetterRoute;
}

/** How the redrive replays to a kind: by sending to a queue (with its key), or by an action on the target ARN. */
export type RedriveGrant =
  | { readonly queue: { readonly arn: string; readonly kmsKeyArn?: string } }
  | {
      readonly action: {
        readonly sid: string;
        readonly actions: readonly string[];
        /** The encryption context key under which the action uses the target's key (`targetKmsKeyArn`), if it has one. @default none */
        readonly keyContext?: string;
      };
    };

/** A field of the kind's props whose literal value must be unique across environments, and how a clash reads. */
export interface EnvironmentBound<O> {
  readonly field: keyof O & string;
  /** `(value) => "<what> <value> is also a target of"`. */
  readonly what: string;
  readonly expected: string;
}

/** Declares a target kind (an identity, for its types). */
export function defineTargetKind<O extends EventTargetBase & { readonly kind: TargetKindName }>(
  kind: TargetKind<O>,
): TargetKind<O> {
  return kind;
}
