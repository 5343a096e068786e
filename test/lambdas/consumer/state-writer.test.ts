/** The outbox state writer over dynalite: a redelivered message never writes twice, a conflict never overwrites. */
import { CreateTableCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { MESSAGE_KEYS_ATTRIBUTE, StateWriter } from "../../../lambdas/consumer/state-writer";
import { type DynamoEmulator, startDynalite } from "./support/dynalite";

let db: DynamoEmulator;
let writer: StateWriter;
beforeAll(async () => {
  db = await startDynalite();
  await db.client.send(
    new CreateTableCommand({
      TableName: "orders-state",
      KeySchema: [{ AttributeName: "orderId", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "orderId", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  writer = new StateWriter({ tableName: "orders-state", client: db.client });
});
afterAll(() => db.stop());

const m1 = { idempotencyKey: "msg-1" };
const m2 = { idempotencyKey: "msg-2" };

describe("StateWriter", () => {
  it("creates once: the same message again is told it was done, another message conflicts and overwrites nothing", async () => {
    const item = { orderId: "o-1", entity: "order", status: "placed", total: 10 };
    expect(await writer.create(m1, item, ["orderId"])).toEqual({ applied: true });
    expect(await writer.create(m1, { ...item, total: 99 }, ["orderId"])).toEqual({ applied: false });
    await expect(writer.create(m2, { ...item, total: 77 }, ["orderId"])).rejects.toThrow(
      /exists and was not created by this message/,
    );
    const stored = await db.client.send(
      new GetItemCommand({ TableName: "orders-state", Key: { orderId: { S: "o-1" } } }),
    );
    expect(stored.Item?.total).toEqual({ N: "10" });
  });

  it("updates once per message; a missing item is an error, not a new half item", async () => {
    expect(await writer.update(m2, { orderId: "o-1" }, { status: "cancelled", cancelReason: "changed mind" })).toEqual({
      applied: true,
    });
    expect(await writer.update(m2, { orderId: "o-1" }, { status: "cancelled-again" })).toEqual({ applied: false });
    const stored = await db.client.send(
      new GetItemCommand({ TableName: "orders-state", Key: { orderId: { S: "o-1" } } }),
    );
    expect(stored.Item?.status).toEqual({ S: "cancelled" });
    expect(stored.Item?.[MESSAGE_KEYS_ATTRIBUTE]).toEqual({ SS: expect.arrayContaining(["msg-1", "msg-2"]) });
    await expect(writer.update(m1, { orderId: "o-404" }, { status: "x" })).rejects.toThrow(/does not exist/);
  });

  it("names the missing table variable", () => {
    delete process.env.CONSUMER_STATE_TABLE;
    expect(() => new StateWriter({ client: db.client })).toThrow(/CONSUMER_STATE_TABLE is not set/);
  });
});
