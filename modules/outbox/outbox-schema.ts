import { z } from "zod";
import { tagsSchema } from "../shared/aws-tags";
import type { OutboxEventSpec } from "../shared/contract/outbox-spec";
import {
  type Assert,
  type SchemaMatchesProps,
  kmsKeyArnSchema,
  snsTopicArnSchema,
  tokenOr,
} from "../shared/module-schema";
import { logRetentionDaysSchema } from "../redrive/redrive-schema";
import { valueChecks } from "../shared/zod-problems";
import { MAX_PIPES_PER_STREAM, OUTBOX_DEFAULTS, STREAM_RETENTION_SECONDS } from "./defaults";
import { eventProblems, outboxEventSchema } from "./outbox-event-schema";

/** A key attribute of a table the module creates. */
export interface OutboxKeyAttribute {
  /** Attribute name; required. */
  readonly name: string;
  /** Its type. @default "S" */
  readonly type?: "S" | "N" | "B";
}

/** The state table, created by the module. */
export interface OutboxNewTable {
  readonly kind: "new";
  /** Partition key; required. */
  readonly partitionKey: OutboxKeyAttribute;
  /** Sort key. @default none */
  readonly sortKey?: OutboxKeyAttribute;
  /** What the stream records hold. @default "NEW_AND_OLD_IMAGES" (a MODIFY event can compare old and new) */
  readonly streamViewType?: "NEW_AND_OLD_IMAGES" | "NEW_IMAGE";
  /** Whether Terraform is refused the table's destruction. @default true (it holds the business state) */
  readonly deletionProtection?: boolean;
}

/** An existing table whose stream is on. */
export interface OutboxExistingTable {
  readonly kind: "existing";
  /** ARN of the table; required. */
  readonly arn: string;
  /** ARN of its stream (`<table ARN>/stream/<label>`); required. */
  readonly streamArn: string;
  /** Its stream's view type; required (it decides which images events can read). */
  readonly streamViewType: "NEW_AND_OLD_IMAGES" | "NEW_IMAGE";
  /** Customer KMS key of the table, when it has one (the pipe decrypts stream records with it). @default none (AWS owned or managed key) */
  readonly kmsKeyArn?: string;
}

/** Props of Outbox. */
export interface OutboxProps {
  /** Name (1-40 lowercase letters, digits and '-'): names the table `<name>-state`, pipes `<name>-<event>`, role, DLQ, key and logs; required. */
  readonly name: string;
  /** The state table: created here, or an existing one by ARN; required. */
  readonly table: OutboxNewTable | OutboxExistingTable;
  /** ARN of the event bus the events go to (same account and region as the pipes); required. */
  readonly eventBusArn: string;
  /** SNS topic every alarm publishes to; required. */
  readonly alarmTopicArn: string;
  /** Business events by name (1-20 lowercase letters, digits, '-'): each is one pipe; at most two (DynamoDB Streams serves two readers per shard); required. */
  readonly events: Readonly<Record<string, OutboxEventSpec>>;
  /** Where a new pipe starts reading. @default "TRIM_HORIZON" (items written before the pipe existed still become events) */
  readonly startingPosition?: "TRIM_HORIZON" | "LATEST";
  /** Records per batch (1-10000). @default 10 */
  readonly batchSize?: number;
  /** Seconds a batch may wait to fill (0-300). @default 1 */
  readonly maximumBatchingWindowSeconds?: number;
  /** Retries of a failing batch before the DLQ (0-10000; never infinite). @default 10 */
  readonly maximumRetryAttempts?: number;
  /** Record age in seconds at which it goes to the DLQ (60-82800: under the stream's 24 h, so the redrive can read it back). @default 21600 */
  readonly maximumRecordAgeSeconds?: number;
  /** Batches per shard processed at once (1-10). @default 1 (each item's changes reach the bus in order) */
  readonly parallelizationFactor?: number;
  /** Customer KMS key of the pipes, their DLQ and a created table. @default one created by the module (rotated yearly) */
  readonly kmsKeyArn?: string;
  /** Pipe log level. @default "ERROR" */
  readonly logLevel?: "ERROR" | "INFO" | "TRACE";
  /** Whether logs carry the records and payloads (PII). @default false */
  readonly includeExecutionData?: boolean;
  /** Log retention in days (a CloudWatch Logs retention value). @default 90 */
  readonly logRetentionDays?: number;
  /** Age in seconds of the DLQ's oldest message at which its alarm fires (60-82800). @default 3600 */
  readonly dlqOldestMessageAgeAlarmSeconds?: number;
  /** Seconds a pipe's creation waits for its role to propagate (0-600; provider issue #40572). @default 120 */
  readonly iamPropagationSeconds?: number;
  /** Tags of taggable resources. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const EVENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/;
const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;
const STREAM_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}\/stream\/[^/]+$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._-]{1,256}$/;
const viewType = z.enum(["NEW_AND_OLD_IMAGES", "NEW_IMAGE"]);
const int = (min: number, max: number) => z.int().min(min).max(max);
const keyAttribute = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,255}$/, { message: "expected an attribute name" }),
  type: z.enum(["S", "N", "B"]).optional(),
});
const tableSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("new"),
    partitionKey: keyAttribute,
    sortKey: keyAttribute.optional(),
    streamViewType: viewType.optional(),
    deletionProtection: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal("existing"),
    arn: tokenOr(TABLE_ARN, "expected a DynamoDB table ARN"),
    streamArn: tokenOr(STREAM_ARN, "expected a DynamoDB stream ARN (<table ARN>/stream/<label>)"),
    streamViewType: viewType,
    kmsKeyArn: kmsKeyArnSchema.optional(),
  }),
]);

/** The fields of OutboxProps, each with its rule (the environment config composes its `outbox` section from them). */
export const outboxFields = {
  name: z.string().regex(NAME, { message: "expected 1-40 lowercase letters, digits and '-'" }),
  table: tableSchema,
  eventBusArn: tokenOr(BUS_ARN, "expected an event bus ARN"),
  alarmTopicArn: snsTopicArnSchema,
  events: z.record(
    z.string().regex(EVENT_NAME, { message: "expected 1-20 lowercase letters, digits and '-'" }),
    outboxEventSchema,
  ),
  startingPosition: z.enum(["TRIM_HORIZON", "LATEST"]).optional(),
  batchSize: int(1, 10_000).optional(),
  maximumBatchingWindowSeconds: int(0, 300).optional(),
  maximumRetryAttempts: int(0, 10_000).optional(),
  maximumRecordAgeSeconds: int(60, STREAM_RETENTION_SECONDS - 3600).optional(),
  parallelizationFactor: int(1, 10).optional(),
  kmsKeyArn: kmsKeyArnSchema.optional(),
  logLevel: z.enum(["ERROR", "INFO", "TRACE"]).optional(),
  includeExecutionData: z.boolean().optional(),
  logRetentionDays: logRetentionDaysSchema.optional(),
  dlqOldestMessageAgeAlarmSeconds: int(60, STREAM_RETENTION_SECONDS - 3600).optional(),
  iamPropagationSeconds: int(0, 600).optional(),
  tags: tagsSchema(0).optional(),
} as const;

/** What the rules across fields read. */
type RuleInput = Pick<
  z.output<z.ZodObject<typeof outboxFields>>,
  "events" | "table" | "maximumRecordAgeSeconds" | "dlqOldestMessageAgeAlarmSeconds"
>;

/** The rules across fields: events per stream, each event against the stream's images, the alarm before expiry. */
export function outboxRules(props: RuleInput, ctx: z.RefinementCtx): void {
  const v = valueChecks(ctx);
  const count = Object.keys(props.events).length;
  v.check(
    count >= 1 && count <= MAX_PIPES_PER_STREAM,
    "events",
    `expected 1 to ${MAX_PIPES_PER_STREAM} events (one pipe each; DynamoDB Streams serves at most two readers per shard), got ${count}`,
  );
  const view = props.table.streamViewType ?? OUTBOX_DEFAULTS.streamViewType;
  for (const [name, spec] of Object.entries(props.events))
    for (const p of eventProblems(spec, view)) v.check(false, `events.${name}.${p.path}`, p.message);
  const age = props.maximumRecordAgeSeconds ?? OUTBOX_DEFAULTS.maximumRecordAgeSeconds;
  const alarm = props.dlqOldestMessageAgeAlarmSeconds ?? OUTBOX_DEFAULTS.dlqOldestMessageAgeAlarmSeconds;
  v.check(
    age + alarm < STREAM_RETENTION_SECONDS,
    "dlqOldestMessageAgeAlarmSeconds",
    `expected maximumRecordAgeSeconds (${age}) + dlqOldestMessageAgeAlarmSeconds (${alarm}) under the stream's ${STREAM_RETENTION_SECONDS} s retention: the alarm must fire while the records can still be read back`,
  );
}

/** The props of Outbox: each field's rule, then the rules across fields (every problem at once). */
export const outboxPropsSchema = z.strictObject(outboxFields).superRefine(outboxRules);

// Compile-time: the schema takes exactly the documented props.
export type _OutboxSchemaMatchesProps = Assert<SchemaMatchesProps<z.input<typeof outboxPropsSchema>, OutboxProps>>;
