import { DynamodbTable } from "@cdktn/provider-aws/lib/dynamodb-table";
import { Fn, Token } from "cdktn";
import type { Construct } from "constructs";
import { OUTBOX_DEFAULTS } from "./defaults";
import type { OutboxExistingTable, OutboxNewTable } from "./outbox-schema";

/** The table an outbox reads, as its parts need it. */
export interface OutboxTableRef {
  readonly tableArn: string;
  /** Name of the table. */
  readonly tableName: string;
  readonly streamArn: string;
  readonly streamViewType: "NEW_AND_OLD_IMAGES" | "NEW_IMAGE";
  /** Customer key of the table (stream records are decrypted with it). @default none (AWS owned or managed key) */
  readonly kmsKeyArn?: string;
  /** The table, when the module created it (the pipe waits for it and its stream). @default none (an existing table) */
  readonly table?: DynamodbTable;
}

/**
 * The state table: on-demand, its stream on (the outbox), point-in-time recovery (the way back when records are past
 * the stream's 24 h: export and rebuild, docs/outbox.md), encrypted with the outbox's customer key, protected from
 * deletion by default.
 */
export function createStateTable(
  scope: Construct,
  name: string,
  spec: OutboxNewTable,
  kmsKeyArn: string,
  tags: Record<string, string> | undefined,
): OutboxTableRef {
  const keys = [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])];
  const streamViewType = spec.streamViewType ?? OUTBOX_DEFAULTS.streamViewType;
  const table = new DynamodbTable(scope, "table", {
    name: `${name}-state`,
    billingMode: "PAY_PER_REQUEST",
    hashKey: spec.partitionKey.name,
    rangeKey: spec.sortKey?.name,
    attribute: keys.map((k) => ({ name: k.name, type: k.type ?? OUTBOX_DEFAULTS.keyType })),
    streamEnabled: true,
    streamViewType,
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn },
    deletionProtectionEnabled: spec.deletionProtection ?? OUTBOX_DEFAULTS.deletionProtection,
    tags,
  });
  return { tableArn: table.arn, tableName: table.name, streamArn: table.streamArn, streamViewType, kmsKeyArn, table };
}

/** An existing table as the parts need it; its name from its ARN (`...:table/<name>`), a reference's by Terraform. */
export function existingTableRef(spec: OutboxExistingTable): OutboxTableRef {
  const tableName = Token.isUnresolved(spec.arn)
    ? Fn.element(Fn.split("/", spec.arn), 1)
    : spec.arn.slice(spec.arn.indexOf(":table/") + ":table/".length);
  return {
    tableArn: spec.arn,
    tableName,
    streamArn: spec.streamArn,
    streamViewType: spec.streamViewType,
    kmsKeyArn: spec.kmsKeyArn,
  };
}
