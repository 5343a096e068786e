import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";

/** Props of AlarmTopic. */
export interface AlarmTopicProps {
  /** Topic name (1-256 letters, digits, '-' or '_'), unique in the account and region; required. */
  readonly name: string;
  /** E-mail addresses subscribed to every alarm. @default none */
  readonly emails?: readonly string[];
  /** Days KMS waits before deleting the topic's key (7-30). @default 30 */
  readonly keyDeletionWindowDays?: number;
}

/**
 * The value rules of AlarmTopic's props, as zod: the construct parses its props with `AlarmTopicSchema`, and the
 * environment config's `alarms` section takes its `emails` field from it.
 */

/** Inclusive bounds of AlarmTopic's numeric props. */
export const ALARM_TOPIC_LIMITS = Object.freeze({
  /** Days KMS waits before deleting a key (KMS's own bounds). */
  keyDeletionWindowDays: Object.freeze({ min: 7, max: 30 }),
});

/** The fields of AlarmTopicProps, each with its rule and default. */
export const alarmTopicFields = {
  name: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, { message: "expected 1-256 letters, digits, '-' or '_'" }),
  emails: z.array(z.email({ message: "expected an e-mail address" })).default([]),
  keyDeletionWindowDays: z
    .int()
    .min(ALARM_TOPIC_LIMITS.keyDeletionWindowDays.min)
    .max(ALARM_TOPIC_LIMITS.keyDeletionWindowDays.max)
    // The longest wait: a key deleted by mistake can still be recovered for a month.
    .default(30),
} as const;

/** The props of AlarmTopic. */
export const AlarmTopicSchema = z.strictObject(alarmTopicFields);

// Compile-time: the schema takes exactly the documented props.
export type AlarmTopicSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof AlarmTopicSchema>, AlarmTopicProps>
>;
