/**
 * Writes the outbox's state table from a business step so that a redelivered message cannot write twice: every write
 * is conditional and records the message's idempotency key on the item (`outboxMessageKeys`, a string set).
 *
 * - `create(item)`: PutItem only if the item does not exist. The same message again finds its own key on the item and
 *   is told `applied: false` (already done); another message finds an item it did not write and fails (a conflict).
 * - `update(key, set)`: UpdateItem of the given attributes only if the item exists and this message has not updated
 *   it yet; a repeat is `applied: false`, a missing item fails.
 *
 * The stream turns each applied write into exactly one record, so one message makes at most one event per change.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { CONSUMER_ENV } from "./environment";

/** Attribute holding the keys of the messages that wrote the item. */
export const MESSAGE_KEYS_ATTRIBUTE = "outboxMessageKeys";

/** The message a write is made for: its idempotency key (ConsumerMessage has it). */
export interface WritingMessage {
  readonly idempotencyKey: string;
}

/** Whether the write happened now (false: this message had already made it). */
export interface WriteResult {
  readonly applied: boolean;
}

export interface StateWriterOptions {
  /** Table name; default CONSUMER_STATE_TABLE (set by QueueConsumer's `stateTable`). */
  readonly tableName?: string;
  /** The DynamoDB client (a document client is made over it). */
  readonly client: DynamoDBClient;
}

/** An item of the state table, as the document client takes it. */
export type StateItem = Record<string, unknown>;

export class StateWriter {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: StateWriterOptions) {
    const table = options.tableName ?? process.env[CONSUMER_ENV.stateTable];
    if (!table) throw new Error(`${CONSUMER_ENV.stateTable} is not set: expected the outbox's state table name`);
    this.table = table;
    this.doc = DynamoDBDocumentClient.from(options.client);
  }

  /** Creates `item` (its key attributes named in `keyNames`) unless it exists. */
  async create(message: WritingMessage, item: StateItem, keyNames: readonly string[]): Promise<WriteResult> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...item, [MESSAGE_KEYS_ATTRIBUTE]: new Set([message.idempotencyKey]) },
          ConditionExpression: keyNames.map((_, i) => `attribute_not_exists(#k${i})`).join(" AND "),
          ExpressionAttributeNames: Object.fromEntries(keyNames.map((k, i) => [`#k${i}`, k])),
        }),
      );
      return { applied: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const key = Object.fromEntries(keyNames.map((k) => [k, item[k]]));
      if (await this.wroteBy(key, message.idempotencyKey)) return { applied: false };
      throw new Error(`state item ${JSON.stringify(key)} exists and was not created by this message: not overwritten`);
    }
  }

  /** Sets `set`'s attributes on the existing item `key`, once per message. */
  async update(message: WritingMessage, key: StateItem, set: StateItem): Promise<WriteResult> {
    const names = Object.keys(set);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :a${i}`).join(", ")} ADD #m :m`,
          ConditionExpression: `attribute_exists(#m) AND NOT contains(#m, :k)`,
          ExpressionAttributeNames: {
            "#m": MESSAGE_KEYS_ATTRIBUTE,
            ...Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
          },
          ExpressionAttributeValues: {
            ":m": new Set([message.idempotencyKey]),
            ":k": message.idempotencyKey,
            ...Object.fromEntries(names.map((n, i) => [`:a${i}`, set[n]])),
          },
        }),
      );
      return { applied: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      if (await this.wroteBy(key, message.idempotencyKey)) return { applied: false };
      throw new Error(
        `state item ${JSON.stringify(key)} does not exist (or was not made by the outbox's writers): not updated`,
      );
    }
  }

  private async wroteBy(key: StateItem, messageKey: string): Promise<boolean> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    const keys = out.Item?.[MESSAGE_KEYS_ATTRIBUTE];
    return keys instanceof Set && keys.has(messageKey);
  }
}
