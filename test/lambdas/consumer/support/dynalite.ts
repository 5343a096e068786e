/** Test and benchmark support: the dynalite DynamoDB emulator in-process on 127.0.0.1 (port 0), and the idempotency table. */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { AddressInfo, Server } from "node:net";
import { IDEMPOTENCY_ATTRIBUTES } from "../../../../modules/consumer/idempotency-table";

/** A running dynalite with a client on it. */
export interface DynamoEmulator {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

export async function startDynalite(): Promise<DynamoEmulator> {
  // dynalite ships no type declarations.
  const dynalite = require("dynalite") as (options: object) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Creates a table shaped like the IdempotencyTable construct's (partition key `id`, on demand). */
export async function createIdempotencyTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: IDEMPOTENCY_ATTRIBUTES.key, KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_ATTRIBUTES.key, AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}
