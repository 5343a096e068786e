import { LambdaPermission } from "@cdktn/provider-aws/lib/lambda-permission";
import { Fn, Token } from "cdktn";
import type { Construct } from "constructs";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../../shared/module-schema";
import type { DeadLetterRoute } from "../../shared/dead-letter-route";
import type { SchemaProblem } from "../../shared/zod-problems";
import {
  arnParts,
  LAMBDA_ARN,
  LAMBDA_ASYNC_EVENT_AGE_SECONDS,
  LAMBDA_ASYNC_RETRY_ATTEMPTS,
  LAMBDA_NAME,
  lambdaFailureQueueStem,
  lambdaStatementId,
  ROLE_ARN,
} from "../eventbridge-rules";
import { LambdaAsyncAlarms } from "../lambda-async-alarms";
import { LambdaFailureDestination } from "../lambda-failure-destination";
import { EVENTS_PRINCIPAL } from "../queue-encryption";
import { QueueAlarms } from "../queue-alarms";
import {
  ALWAYS,
  int,
  isObject,
  kmsKeyArnSchema,
  literalStandardQueueArn,
  patternOrReference,
  queueEncryptionSchema,
  requiredBecause,
  targetBaseFields,
} from "../schema-parts";
import type { EventTargetBase, ExistingDeadLetterQueue, QueueEncryption } from "../types";
import { type BindContext, type ContextCheck, defineTargetKind } from "./target-kind";
import { arnPlaceProblems, isLiteral, keyFor, queueUrlOfArn } from "./util";

/**
 * What happens to an event after Lambda accepted it from the rule (asynchronous invocation): the
 * module configures it (`executionRoleArn` given: retries, event age and an on-failure destination
 * queue it creates) or the function's owner does (`ownedByAnotherStack`: its destination named).
 * Give exactly one of the two.
 */
export interface LambdaAsyncInvokeOptions {
  /** ARN of the function's execution role, in the stack's account: it is allowed to send to the destination queue (and use its key); exclusive with ownedByAnotherStack. @default none */
  readonly executionRoleArn?: string;
  /** Lambda's retries after a failed attempt (0-2). @default 2 (Lambda's own: two more tries ride out a transient error before the event goes to the queue) */
  readonly maximumRetryAttempts?: number;
  /** Seconds Lambda keeps an accepted event before giving up on it (60-21600). @default 3600 (a stuck event reaches the alarmed queue within the hour, not Lambda's 6 h) */
  readonly maximumEventAgeInSeconds?: number;
  /** Encryption of the destination queue the module creates. @default the construct's `defaultEncryption` */
  readonly encryption?: QueueEncryption;
  /** The function's event invoke config belongs to another stack (only one may manage it): name the on-failure destination queue it sends to, so the redrive drains it. @default none (the module configures the function) */
  readonly ownedByAnotherStack?: { readonly onFailureDestination: ExistingDeadLetterQueue };
}

/** Delivers to an existing Lambda function; the module adds the invoke permission for the rule. Give exactly one of `functionArn` and `functionName`. */
export interface LambdaTargetOptions extends EventTargetBase {
  readonly kind: "lambda";
  /** ARN of the function (optionally with a version or alias), in the rule's region and account. @default none */
  readonly functionArn?: string;
  /** Name of the function in the stack's own account and region (optionally `name:alias`). @default none */
  readonly functionName?: string;
  /** Where the function's failures go once Lambda accepted the event; required (without it they are dropped). */
  readonly asyncInvoke: LambdaAsyncInvokeOptions;
}

const MODULE_CONFIGURES_ONLY = ["maximumRetryAttempts", "maximumEventAgeInSeconds", "encryption"] as const;

/** Where a Lambda target's accepted-then-failed events go: the module configures the function, or another stack did. */
export const lambdaAsyncInvokeSchema = z
  .strictObject({
    executionRoleArn: patternOrReference(
      ROLE_ARN,
      "expected an IAM role ARN such as arn:aws:iam::123456789012:role/cancel-order",
    ).optional(),
    maximumRetryAttempts: int(LAMBDA_ASYNC_RETRY_ATTEMPTS.min, LAMBDA_ASYNC_RETRY_ATTEMPTS.max).optional(),
    maximumEventAgeInSeconds: int(LAMBDA_ASYNC_EVENT_AGE_SECONDS.min, LAMBDA_ASYNC_EVENT_AGE_SECONDS.max).optional(),
    encryption: queueEncryptionSchema.optional(),
    ownedByAnotherStack: z
      .strictObject({
        onFailureDestination: z.strictObject({
          arn: literalStandardQueueArn(
            "expected the literal ARN of the queue the function's owner configured as its on-failure destination",
            "arn:aws:sqs:eu-west-1:123456789012:cancel-order-failures",
            "expected a standard queue: Lambda's on-failure destination cannot be a FIFO queue",
          ),
          kmsKeyArn: kmsKeyArnSchema.optional(),
        }),
      })
      .optional(),
  })
  .superRefine((a, ctx) => {
    if (!isObject(a)) return;
    if ((a.executionRoleArn === undefined) === (a.ownedByAnotherStack === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["executionRoleArn"],
        message: "expected exactly one of executionRoleArn and ownedByAnotherStack",
      });
    if (a.ownedByAnotherStack === undefined) return;
    for (const field of MODULE_CONFIGURES_ONLY) {
      if (a[field] !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message:
            "applies only when the module configures the function (executionRoleArn); its owner sets it when ownedByAnotherStack",
        });
    }
  }, ALWAYS);

const ASYNC_INVOKE_MISSING =
  "required field is missing: give executionRoleArn (the module creates the function's on-failure destination queue) or ownedByAnotherStack.onFailureDestination (the queue the function's owner configured); without one, events Lambda accepted and the function failed are dropped";

const schema = z
  .strictObject({
    kind: z.literal("lambda"),
    ...targetBaseFields,
    functionArn: patternOrReference(
      LAMBDA_ARN,
      "expected a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:cancel-order",
    ).optional(),
    functionName: patternOrReference(
      LAMBDA_NAME,
      "expected a function name of 1-64 letters, digits, '-' or '_' (optionally \":alias\")",
    ).optional(),
    asyncInvoke: requiredBecause(lambdaAsyncInvokeSchema, ASYNC_INVOKE_MISSING),
  })
  .superRefine((t, ctx) => {
    if (!isObject(t)) return;
    if ((t.functionArn === undefined) === (t.functionName === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["functionArn"],
        message: "expected exactly one of functionArn and functionName",
      });
  }, ALWAYS);

/**
 * An existing Lambda function, invoked asynchronously: an invoke permission for exactly the rule, and the events
 * Lambda accepted and the function then failed kept in an on-failure destination queue (created, or named).
 */
export const lambdaTarget = defineTargetKind<LambdaTargetOptions>({
  kind: "lambda",
  schema,
  takesRetryPolicy: true,
  queueStems: (t) => (t.asyncInvoke?.ownedByAnotherStack ? [] : [lambdaFailureQueueStem(t.name)]),
  // The on-failure queue is under the key, but the function's execution role writes it (IAM and the key's account
  // delegation), not EventBridge.
  keyUse: (t, kms) => ({
    uses: !!t.asyncInvoke.executionRoleArn && kms(t.asyncInvoke.encryption),
    eventBridgeQueueStems: [],
  }),
  nameProblems: (t, c) => {
    const statementId = lambdaStatementId(c.prefix, c.ruleName, t.name);
    return statementId.length <= 100
      ? []
      : [
          {
            path: `${c.at}.name`,
            message: `expected a shorter rule or target name: the invoke permission's statement id "${statementId}" exceeds Lambda's 100 characters`,
          },
        ];
  },
  placeProblems,
  bind: (scope, c, t) => {
    const { aws } = c;
    const targetArn =
      t.functionArn ?? `arn:${aws.partition}:lambda:${aws.region}:${aws.accountId}:function:${t.functionName}`;
    const permission = new LambdaPermission(scope, `${t.name}-invoke-permission`, {
      statementId: lambdaStatementId(c.prefix, c.rule.name, t.name),
      action: "lambda:InvokeFunction",
      functionName: targetArn,
      principal: EVENTS_PRINCIPAL,
      sourceArn: c.rule.arn,
    });
    const failures = lambdaFailures(scope, c, t, targetArn);
    return {
      targetArn,
      resources: { permission, failureDestination: failures.destination, functionName: functionOf(t, targetArn).name },
      failureRoute: failures.route,
    };
  },
  replayTarget: {
    pattern:
      /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/,
    expected: "a Lambda function ARN for a lambda target",
  },
  // Replayed by an asynchronous invoke of exactly the ARN EventBridge invoked (qualifier included).
  redriveGrant: () => ({ action: { sid: "InvokeLambdaTargets", actions: ["lambda:InvokeFunction"] } }),
});

function placeProblems(t: LambdaTargetOptions, c: ContextCheck): SchemaProblem[] {
  const { at, place } = c;
  const problems: SchemaProblem[] = [];
  if (isLiteral(t.functionArn) && LAMBDA_ARN.test(t.functionArn))
    problems.push(
      ...arnPlaceProblems(
        t.functionArn,
        `${at}.functionArn`,
        "a function (one in another account cannot be a target here: route to that account's event bus)",
        place,
      ),
    );
  const destination = t.asyncInvoke.ownedByAnotherStack?.onFailureDestination.arn;
  if (destination !== undefined)
    problems.push(
      ...arnPlaceProblems(
        destination,
        `${at}.asyncInvoke.ownedByAnotherStack.onFailureDestination.arn`,
        "a queue",
        place,
      ),
    );
  const role = t.asyncInvoke.executionRoleArn;
  const roleAccount = isLiteral(role) ? arnParts(role).account : undefined;
  if (roleAccount !== undefined && place.accountId && roleAccount !== place.accountId)
    problems.push({
      path: `${at}.asyncInvoke.executionRoleArn`,
      message: `expected the function's role in account ${place.accountId}, got one in ${roleAccount}`,
    });
  return problems;
}

/**
 * A Lambda target's on-failure path: the module's destination queue, event invoke config and
 * alarms, or (function configured by another stack) the named queue, whose owner alarms it.
 */
function lambdaFailures(
  scope: Construct,
  c: BindContext,
  t: LambdaTargetOptions,
  targetArn: string,
): { destination?: LambdaFailureDestination; route: DeadLetterRoute } {
  const base = {
    targetName: t.name,
    targetKind: "lambda" as const,
    ruleArn: c.rule.arn,
    targetArn,
    source: "lambda-on-failure" as const,
  };
  const external = t.asyncInvoke.ownedByAnotherStack?.onFailureDestination;
  if (external) {
    const kms = external.kmsKeyArn ? { dlqKmsKeyArn: external.kmsKeyArn } : {};
    return { route: { ...base, dlqArn: external.arn, dlqUrl: queueUrlOfArn(external.arn, c.aws.dnsSuffix), ...kms } };
  }
  const { destination, kmsKeyArn } = createFailureDestination(scope, c, t, targetArn);
  const kms = kmsKeyArn ? { dlqKmsKeyArn: kmsKeyArn } : {};
  return {
    destination,
    route: {
      ...base,
      dlqArn: destination.queueArn,
      dlqUrl: destination.queueUrl,
      dlqName: destination.queueName,
      ...kms,
    },
  };
}

/** The on-failure destination queue the module creates for the function, its event invoke config and alarms. */
function createFailureDestination(
  scope: Construct,
  c: BindContext,
  t: LambdaTargetOptions,
  targetArn: string,
): { destination: LambdaFailureDestination; kmsKeyArn?: string } {
  const { functionName, qualifier, name } = functionOf(t, targetArn);
  const encryption = t.asyncInvoke.encryption ?? c.defaultEncryption;
  const kmsKeyArn = keyFor(encryption, c.keyArn);
  const queueName = `${c.prefix}-${lambdaFailureQueueStem(t.name)}`;
  const destination = new LambdaFailureDestination(scope, `${t.name}-async-failures`, {
    name: queueName,
    functionName,
    qualifier,
    executionRoleArn: t.asyncInvoke.executionRoleArn!,
    maximumRetryAttempts: t.asyncInvoke.maximumRetryAttempts,
    maximumEventAgeInSeconds: t.asyncInvoke.maximumEventAgeInSeconds,
    encryption,
    kmsKeyArn,
  });
  new QueueAlarms(scope, `${t.name}-async-failures-alarms`, {
    queueName,
    purpose: `events Lambda accepted from the rule and function ${name} then failed (redrive them with the redrive tool)`,
    alarmTopicArn: c.alarmTopicArn,
    oldestMessageAgeSeconds: c.ageAlarm,
  });
  new LambdaAsyncAlarms(scope, `${t.name}-async-alarms`, {
    functionName: name,
    alarmNamePrefix: `${c.prefix}-${t.name}`,
    destination: queueName,
    alarmTopicArn: c.alarmTopicArn,
  });
  return { destination, kmsKeyArn };
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

// The options interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _LambdaSchemaMatchesProps = Assert<SchemaMatchesProps<z.input<typeof schema>, LambdaTargetOptions>>;
export type _AsyncInvokeMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof lambdaAsyncInvokeSchema>, LambdaAsyncInvokeOptions>
>;
