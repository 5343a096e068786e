/**
 * The outbox's declared mapping gives the same event whether the pipe renders it (its input template, evaluated here
 * as the Pipes docs describe: each `<$.path>` replaced by the value's JSON text) or the redrive runs it (the template
 * read back into a tree and applied): AWS's documented stream records and generated ones with every attribute type.
 * The filter accepts and rejects what it should.
 */
import fc from "fast-check";
import { matchesPattern, unsupportedPatternPart } from "../../../modules/shared/contract/event-pattern";
import type { OutboxEventSpec } from "../../../modules/shared/contract/outbox-spec";
import {
  applyTemplate,
  parseInputTemplate,
  renderFilterPattern,
  renderInputTemplate,
} from "../../../modules/shared/contract/outbox-template";
import { ORDER_CANCELLED, ORDER_PLACED } from "../outbox/fixtures";

/** The pipe's side, independently: text substitution (quoted placeholders take the string's JSON text). */
function pipeRender(template: string, record: unknown): unknown {
  const text = template.replace(/("?)<\$\.([A-Za-z0-9_.-]+)>("?)/g, (_m, _o, path: string) => {
    let v: any = record;
    for (const k of path.split(".")) v = v?.[k];
    if (v === undefined) throw new Error(`no value at ${path}`);
    return JSON.stringify(v);
  });
  return JSON.parse(text);
}

/** The redrive's side: the template read back from the pipe, applied. */
function redriveRender(spec: OutboxEventSpec, record: unknown): unknown {
  return applyTemplate(parseInputTemplate(renderInputTemplate(spec))!, record);
}

/** AWS's documented DynamoDB stream records (Lambda developer guide, "Using AWS Lambda with Amazon DynamoDB"). */
const DOCUMENTED = [
  {
    eventID: "1",
    eventVersion: "1.0",
    dynamodb: {
      Keys: { Id: { N: "101" } },
      NewImage: { Message: { S: "New item!" }, Id: { N: "101" } },
      StreamViewType: "NEW_AND_OLD_IMAGES",
      SequenceNumber: "111",
      SizeBytes: 26,
    },
    awsRegion: "us-west-2",
    eventName: "INSERT",
    eventSourceARN: "arn:aws:dynamodb:us-west-2:123456789012:table/ExampleTable/stream/2015-06-27T00:48:05.899",
    eventSource: "aws:dynamodb",
  },
  {
    eventID: "2",
    eventVersion: "1.0",
    dynamodb: {
      OldImage: { Message: { S: "New item!" }, Id: { N: "101" } },
      SequenceNumber: "222",
      Keys: { Id: { N: "101" } },
      SizeBytes: 59,
      NewImage: { Message: { S: "This item has changed" }, Id: { N: "101" } },
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    awsRegion: "us-west-2",
    eventName: "MODIFY",
    eventSourceARN: "arn:aws:dynamodb:us-west-2:123456789012:table/ExampleTable/stream/2015-06-27T00:48:05.899",
    eventSource: "aws:dynamodb",
  },
];

const MESSAGE_EVENT: OutboxEventSpec = {
  detailType: "message.changed",
  source: "acme.messages",
  eventNames: ["INSERT", "MODIFY"],
  fields: { id: { path: "Keys.Id", type: "N" }, message: { path: "NewImage.Message", type: "S" } },
};

/** An order record with every attribute type (S, N, B, BOOL, NULL, M, L, SS, NS, BS). */
function orderRecord(over: { eventName?: string; status?: string; oldStatus?: string; text?: string } = {}) {
  const image = (status: string) => ({
    orderId: { S: "o-1" },
    entity: { S: "order" },
    status: { S: status },
    total: { N: "12345678901234567890.5" },
    express: { BOOL: true },
    skus: { SS: ["a", 'b"quoted'] },
    sizes: { NS: ["1", "2.5"] },
    blob: { B: "aGVsbG8=" },
    blobs: { BS: ["aGVsbG8=", "d29ybGQ="] },
    gift: { NULL: true },
    lines: { L: [{ M: { sku: { S: "a" } } }, { N: "3" }] },
    address: { M: { city: { S: over.text ?? 'Zürich \\ "HQ"' }, zip: { N: "8000" } } },
    cancelReason: { S: "changed mind" },
  });
  return {
    eventID: "e-1",
    eventName: over.eventName ?? "INSERT",
    eventSource: "aws:dynamodb",
    dynamodb: {
      Keys: { orderId: { S: "o-1" } },
      NewImage: image(over.status ?? "placed"),
      ...(over.eventName === "MODIFY" ? { OldImage: image(over.oldStatus ?? "placed") } : {}),
      SequenceNumber: "4421584500000000017450439091",
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
  };
}

describe("outbox mapping: the pipe and the redrive give the same event", () => {
  it("on AWS's documented records", () => {
    for (const record of DOCUMENTED) {
      expect(redriveRender(MESSAGE_EVENT, record)).toEqual(pipeRender(renderInputTemplate(MESSAGE_EVENT), record));
    }
    expect(redriveRender(MESSAGE_EVENT, DOCUMENTED[1])).toEqual({
      id: "101",
      message: "This item has changed",
      outbox: { eventId: "2", eventName: "MODIFY", sequenceNumber: "222" },
    });
  });

  it("on a record with every attribute type: values unwrapped, N an exact decimal string, nested map leaves", () => {
    const spec: OutboxEventSpec = {
      ...ORDER_PLACED,
      fields: {
        ...ORDER_PLACED.fields,
        sizes: { path: "NewImage.sizes", type: "NS" },
        blob: { path: "NewImage.blob", type: "B" },
        blobs: { path: "NewImage.blobs", type: "BS" },
        zip: { path: "NewImage.address.zip", type: "N" },
      },
    };
    const record = orderRecord();
    const event = redriveRender(spec, record);
    expect(event).toEqual(pipeRender(renderInputTemplate(spec), record));
    expect(event).toEqual({
      orderId: "o-1",
      total: "12345678901234567890.5",
      express: true,
      skus: ["a", 'b"quoted'],
      city: 'Zürich \\ "HQ"',
      sizes: ["1", "2.5"],
      blob: "aGVsbG8=",
      blobs: ["aGVsbG8=", "d29ybGQ="],
      zip: "8000",
      outbox: { eventId: "e-1", eventName: "INSERT", sequenceNumber: "4421584500000000017450439091" },
    });
  });

  it("on generated records and mappings (every type, any text)", () => {
    const scalar = {
      S: fc.string({ unit: "binary" }).map((S) => ({ S })),
      N: fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => ({ N: String(n) })),
      B: fc.base64String().map((B) => ({ B })),
      BOOL: fc.boolean().map((BOOL) => ({ BOOL })),
      SS: fc.uniqueArray(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 4 }).map((SS) => ({ SS })),
      NS: fc.uniqueArray(fc.integer().map(String), { minLength: 1, maxLength: 4 }).map((NS) => ({ NS })),
      BS: fc.uniqueArray(fc.base64String(), { minLength: 1, maxLength: 3 }).map((BS) => ({ BS })),
    };
    const types = Object.keys(scalar) as (keyof typeof scalar)[];
    const attribute = fc.constantFrom(...types).chain((t) => scalar[t].map((value) => ({ t, value })));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), attribute, fc.boolean()), {
          minLength: 1,
          maxLength: 6,
          selector: (x) => x[0],
        }),
        (attrs) => {
          const image: Record<string, unknown> = { extraNull: { NULL: true }, extraList: { L: [{ S: "x" }] } };
          const fields: Record<string, { path: string; type: any }> = {};
          for (const [name, { t, value }, nested] of attrs) {
            if (nested) image[`m_${name}`] = { M: { [name]: value } };
            else image[name] = value;
            fields[`f_${name}`] = { path: nested ? `NewImage.m_${name}.${name}` : `NewImage.${name}`, type: t };
          }
          const spec: OutboxEventSpec = { detailType: "x", source: "acme.x", eventNames: ["INSERT"], fields };
          const record = { eventID: "id", eventName: "INSERT", dynamodb: { NewImage: image, SequenceNumber: "1" } };
          expect(matchesPattern(renderFilterPattern(spec), record)).toBe(true);
          expect(redriveRender(spec, record)).toEqual(pipeRender(renderInputTemplate(spec), record));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("outbox filter", () => {
  const placed = renderFilterPattern(ORDER_PLACED);
  const cancelled = renderFilterPattern(ORDER_CANCELLED);

  it("order.placed takes an order's INSERT only, and only with every mapped field present", () => {
    expect(matchesPattern(placed, orderRecord())).toBe(true);
    expect(matchesPattern(placed, orderRecord({ eventName: "MODIFY" }))).toBe(false);
    const customer = orderRecord();
    (customer.dynamodb.NewImage as any).entity = { S: "customer" };
    expect(matchesPattern(placed, customer)).toBe(false);
    const noTotal = orderRecord();
    delete (noTotal.dynamodb.NewImage as any).total;
    expect(matchesPattern(placed, noTotal)).toBe(false);
    const nullTotal = orderRecord();
    (nullTotal.dynamodb.NewImage as any).total = { NULL: true };
    expect(matchesPattern(placed, nullTotal)).toBe(false);
  });

  it("order.cancelled takes a MODIFY to cancelled only (not one already cancelled, not another status)", () => {
    expect(matchesPattern(cancelled, orderRecord({ eventName: "MODIFY", status: "cancelled" }))).toBe(true);
    expect(
      matchesPattern(cancelled, orderRecord({ eventName: "MODIFY", status: "cancelled", oldStatus: "cancelled" })),
    ).toBe(false);
    expect(matchesPattern(cancelled, orderRecord({ eventName: "MODIFY", status: "shipped" }))).toBe(false);
    expect(matchesPattern(cancelled, orderRecord({ status: "cancelled" }))).toBe(false);
  });

  it("exists:false beneath a missing object matches; unknown operators are refused, never guessed", () => {
    expect(matchesPattern({ a: { b: [{ exists: false }] } }, {})).toBe(true);
    expect(unsupportedPatternPart({ a: [{ numeric: [">", 1] }] })).toMatch(/\$\.a uses numeric/);
    expect(unsupportedPatternPart({ $or: [] })).toMatch(/\$or/);
    expect(unsupportedPatternPart(placed)).toBeUndefined();
  });

  it("a template that is not a JSON object of placeholders is not read back", () => {
    expect(parseInputTemplate("Hello, <$.eventID>")).toBeUndefined();
    expect(parseInputTemplate('{"pipe": <aws.pipes.pipe-arn>}')).toBeUndefined();
    expect(parseInputTemplate('{"a": "<$.x>}')).toBeUndefined();
    expect(parseInputTemplate('{"a": "<$.x>", "b": [1, 2]}')).toEqual({
      kind: "object",
      members: [
        ["a", { kind: "value", path: ["x"], quoted: true }],
        ["b", { kind: "literal", value: [1, 2] }],
      ],
    });
  });
});
