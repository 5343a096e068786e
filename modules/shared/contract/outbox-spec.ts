/**
 * The outbox's business events, declared once as data: which stream records an event is made from (event names
 * and conditions on the images) and which fields its detail carries (field -> path into NewImage, OldImage or Keys,
 * with the attribute's DynamoDB type). The Outbox module renders a declaration into a pipe's filter pattern and
 * input template (./outbox-template.ts); the redrive reads the pipe's own filter and template back and applies them
 * to records it re-reads from the stream, so a replayed event is the event the pipe would have put.
 *
 * Pure and dependency-free: modules and lambdas both import it (the contract leaf).
 */

/** The record images a field or condition can read (DynamoDB Streams record `dynamodb.*`). */
export const STREAM_IMAGES = ["NewImage", "OldImage", "Keys"] as const;
export type StreamImage = (typeof STREAM_IMAGES)[number];

/** Stream event names (DynamoDB Streams `eventName`). */
export const STREAM_EVENT_NAMES = ["INSERT", "MODIFY", "REMOVE"] as const;
export type StreamEventName = (typeof STREAM_EVENT_NAMES)[number];

/**
 * DynamoDB types a field may have. A pipe's template copies the value under the type's key and cannot unwrap a
 * map or a list (M, L: their members keep DynamoDB's wrappers), so those are reached by their leaves
 * (`NewImage.address.city`); NULL carries no value.
 */
export const FIELD_TYPES = ["S", "N", "B", "BOOL", "SS", "NS", "BS"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Types whose value is a JSON string in the record (the template quotes them; N stays a decimal string, exact). */
export const QUOTED_TYPES: ReadonlySet<FieldType> = new Set(["S", "N", "B"]);

/** Types a condition can compare. */
export const CONDITION_TYPES = ["S", "N", "BOOL"] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** One field of the event's detail. */
export interface OutboxField {
  /** `<image>.<attribute>[.<attribute in a map>...]`, e.g. `NewImage.orderId` or `NewImage.address.city`; required. */
  readonly path: string;
  /** The attribute's DynamoDB type; required. */
  readonly type: FieldType;
}

/** A condition on a record (all of an event's conditions must hold). */
export interface OutboxCondition {
  /** `<image>.<attribute>[...]`, as a field's path; required. */
  readonly path: string;
  /** The attribute's DynamoDB type. @default "S" */
  readonly type?: ConditionType;
  /** The record matches when the attribute has one of these values. @default no such condition */
  readonly anyOf?: readonly (string | boolean)[];
  /** The record matches when the attribute is present and has none of these values. @default no such condition */
  readonly noneOf?: readonly (string | boolean)[];
}

/** One business event made from stream records. */
export interface OutboxEventSpec {
  /** The event's detail-type (1-128 characters); required. */
  readonly detailType: string;
  /** The event's source (1-256 characters, not starting with "aws."); required. */
  readonly source: string;
  /** The stream event names it is made from; required. */
  readonly eventNames: readonly StreamEventName[];
  /** Conditions every record must meet (item types, statuses). @default none */
  readonly when?: readonly OutboxCondition[];
  /** Detail field name -> where its value is in the record; required (at least one). */
  readonly fields: Readonly<Record<string, OutboxField>>;
}

/** The detail member holding the record's identity (and, on a replay, the redrive's context); no field may take it. */
export const OUTBOX_META_FIELD = "outbox";

/** The record identity every event's detail carries under `outbox`: name -> JSON path into the record (all strings). */
export const OUTBOX_META_PATHS = {
  eventId: "$.eventID",
  eventName: "$.eventName",
  sequenceNumber: "$.dynamodb.SequenceNumber",
} as const;

/** A path split into its image and the attribute names along it. */
export interface SplitPath {
  readonly image: StreamImage;
  readonly attributes: readonly string[];
}

/** Attribute names a pipe's JSON path can hold (letters, digits, '_' and '-'). */
export const PATH_ATTRIBUTE = /^[A-Za-z0-9_-]{1,255}$/;

/** Splits `<image>.<attribute>...`; undefined when it is not one. */
export function splitPath(path: string): SplitPath | undefined {
  const [image, ...attributes] = path.split(".");
  if (!(STREAM_IMAGES as readonly string[]).includes(image) || attributes.length === 0) return undefined;
  if (!attributes.every((a) => PATH_ATTRIBUTE.test(a))) return undefined;
  return { image: image as StreamImage, attributes };
}

/** The JSON path (into the pipe's record) of an attribute's value of a type: maps between the names, the type last. */
export function recordPath(split: SplitPath, type: string): string {
  return `$.dynamodb.${split.image}.${split.attributes.join(".M.")}.${type}`;
}
