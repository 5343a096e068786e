import {
  arrayOf,
  boolean,
  either,
  number,
  object,
  oneOf,
  optional,
  recordOf,
  string,
  union,
  unknown,
} from "../shared/props-shape";

/**
 * The structure of EventRoutingProps (keys, required fields, types, the target `kind` and bus `kind`), checked before
 * the value rules of event-routing.ts, which read the props as their type says.
 */

const encryption = oneOf("sqs-managed", "kms");
const existingQueue = object({ arn: string, kmsKeyArn: optional(string) });
const eventPattern = either("an event pattern object or a string holding one", string, recordOf(unknown));

/** Fields every kind of target shares. */
const targetBase = {
  kind: string,
  name: string,
  retryPolicy: optional(object({ maximumRetryAttempts: optional(number), maximumEventAgeInSeconds: optional(number) })),
  inputTransformer: optional(object({ inputPaths: optional(recordOf(string)), inputTemplate: string })),
  deadLetterQueue: optional(
    object({
      encryption: optional(encryption),
      maxMessageSizeBytes: optional(number),
      existingQueue: optional(existingQueue),
    }),
  ),
};

const target = union("kind", {
  sqs: object({
    ...targetBase,
    queue: optional(
      object({
        visibilityTimeoutSeconds: optional(number),
        messageRetentionSeconds: optional(number),
        maxReceiveCount: optional(number),
        maxMessageSizeBytes: optional(number),
        encryption: optional(encryption),
      }),
    ),
  }),
  lambda: object({
    ...targetBase,
    functionArn: optional(string),
    functionName: optional(string),
    // Required, but its absence is the value rules' to report: they say what to give and why.
    asyncInvoke: optional(
      object({
        executionRoleArn: optional(string),
        maximumRetryAttempts: optional(number),
        maximumEventAgeInSeconds: optional(number),
        encryption: optional(encryption),
        ownedByAnotherStack: optional(object({ onFailureDestination: existingQueue })),
      }),
    ),
  }),
  "event-bus": object({ ...targetBase, eventBusArn: string }),
});

const rule = object({
  name: string,
  description: optional(string),
  enabled: optional(boolean),
  eventPattern,
  targets: arrayOf(target),
});

/** The shape of EventRoutingProps. */
export const EVENT_ROUTING_SHAPE = object({
  namePrefix: string,
  alarmTopicArn: string,
  eventBus: optional(
    union("kind", { custom: object({ kind: string, name: optional(string) }), default: object({ kind: string }) }),
  ),
  archive: optional(object({ retentionDays: number, eventPattern: optional(eventPattern) })),
  rules: optional(arrayOf(rule)),
  defaultRetryPolicy: optional(object({ maximumRetryAttempts: number, maximumEventAgeInSeconds: number })),
  defaultEncryption: optional(encryption),
  defaultMaxReceiveCount: optional(number),
  dlqOldestMessageAgeAlarmSeconds: optional(number),
  keyDeletionWindowDays: optional(number),
  region: optional(string),
  accountId: optional(string),
});
