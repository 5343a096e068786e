import { z } from "zod";
import {
  CONDITION_TYPES,
  FIELD_TYPES,
  OUTBOX_META_FIELD,
  type OutboxEventSpec,
  STREAM_EVENT_NAMES,
  splitPath,
} from "../shared/contract/outbox-spec";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { describeValue } from "../shared/zod-problems";

export type { OutboxCondition, OutboxEventSpec, OutboxField } from "../shared/contract/outbox-spec";

const PATH_EXPECTED =
  "expected <NewImage|OldImage|Keys>.<attribute>[.<attribute in a map>...] of letters, digits, '_' and '-'";
const path = z.string().superRefine((p, ctx) => {
  if (splitPath(p) === undefined)
    ctx.addIssue({ code: "custom", message: `${PATH_EXPECTED}, got ${describeValue(p)}` });
});
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const fieldSchema = z.strictObject({
  path,
  type: z.enum(FIELD_TYPES, {
    message: `expected one of ${FIELD_TYPES.join(", ")} (a pipe's template cannot unwrap a map or list: map its leaves)`,
  }),
});

const conditionValues = z.array(z.union([z.string(), z.boolean()])).min(1);
const conditionSchema = z
  .strictObject({
    path,
    type: z.enum(CONDITION_TYPES).optional(),
    anyOf: conditionValues.optional(),
    noneOf: conditionValues.optional(),
  })
  .refine((c) => c.anyOf === undefined || c.noneOf === undefined, {
    message: "expected anyOf or noneOf, not both (write two conditions)",
  });

/** One business event the outbox makes from stream records (OutboxEventSpec), structure only. */
export const outboxEventSchema = z.strictObject({
  detailType: z.string().min(1).max(128),
  source: z
    .string()
    .min(1)
    .max(256)
    .refine((s) => !s.startsWith("aws."), { message: 'expected a source not starting with "aws." (AWS reserves it)' }),
  eventNames: z.array(z.enum(STREAM_EVENT_NAMES)).min(1),
  when: z.array(conditionSchema).optional(),
  fields: z.record(
    z
      .string()
      .regex(FIELD_NAME, { message: "expected a field name of letters, digits and '_' (1-64, a letter first)" })
      .refine((n) => n !== OUTBOX_META_FIELD, { message: `"${OUTBOX_META_FIELD}" holds the record's identity` }),
    fieldSchema,
  ),
});

/** A problem of one event against the stream it reads (`path` under the event, message). */
export interface EventProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * The rules an event must meet against its stream: at least one field; an image the stream view holds (NEW_IMAGE
 * has no OldImage); an image every event name has (INSERT has no OldImage, REMOVE no NewImage): a field or condition
 * on an image a record lacks would make the filter drop every such record silently.
 */
export function eventProblems(spec: OutboxEventSpec, streamViewType: string): EventProblem[] {
  const problems: EventProblem[] = [];
  if (Object.keys(spec.fields).length === 0) problems.push({ path: "fields", message: "expected at least one field" });
  const paths = [
    ...Object.entries(spec.fields).map(([name, f]) => ({ at: `fields.${name}.path`, path: f.path })),
    ...(spec.when ?? []).map((c, i) => ({ at: `when.${i}.path`, path: c.path })),
  ];
  for (const { at, path } of paths) {
    const image = splitPath(path)?.image;
    if (image === "OldImage" && streamViewType === "NEW_IMAGE")
      problems.push({ path: at, message: "the stream's view type NEW_IMAGE holds no OldImage" });
    const lacking = spec.eventNames.filter(
      (n) => (image === "OldImage" && n === "INSERT") || (image === "NewImage" && n === "REMOVE"),
    );
    if (lacking.length > 0)
      problems.push({
        path: at,
        message: `${lacking.join(" and ")} records have no ${image}: read Keys or another image`,
      });
  }
  return problems;
}

// The schema takes exactly the contract's declaration.
export type _OutboxEventSchemaMatchesSpec = Assert<
  SchemaMatchesProps<z.input<typeof outboxEventSchema>, OutboxEventSpec>
>;
