import { DynamodbTable } from "@cdktn/provider-aws/lib/dynamodb-table";
import { Construct } from "constructs";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";

/** Props of IdempotencyTable. */
export interface IdempotencyTableProps {
  /** Table name (3-255 letters, digits, '_', '-', '.'); required. */
  readonly name: string;
  /** Customer KMS key ARN encrypting the table. @default the AWS managed key `aws/dynamodb` (see below) */
  readonly kmsKeyArn?: string;
  /** Whether DynamoDB deletion protection is on (Terraform then cannot destroy the table). @default false (it holds only idempotency records that expire within a day) */
  readonly deletionProtection?: boolean;
  /** Tags of the table. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** IdempotencyTableProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const idempotencyTablePropsSchema = z
  .strictObject({
    name: z.string(),
    kmsKeyArn: z.string().optional(),
    deletionProtection: z.boolean().optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(
      /^[A-Za-z0-9_.-]{3,255}$/.test(props.name),
      "name",
      `expected 3-255 letters, digits, '_', '-' or '.', got "${props.name}"`,
    );
    v.check(
      props.kmsKeyArn === undefined ||
        props.kmsKeyArn.includes("${") ||
        /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/.test(props.kmsKeyArn),
      "kmsKeyArn",
      "expected a KMS key ARN",
    );
  });

/** Attribute names Powertools' DynamoDBPersistenceLayer uses by default (the runtime keeps them). */
export const IDEMPOTENCY_ATTRIBUTES = { key: "id", expiry: "expiration" } as const;

/**
 * The DynamoDB table Powertools' idempotency utility keeps its records in: partition key `id`,
 * on-demand capacity, TTL on `expiration` (records expire by themselves), point-in-time recovery
 * and server-side encryption, with a customer KMS key when given. Without one the AWS managed key
 * `aws/dynamodb` encrypts it: every use is logged in CloudTrail at no key cost, which suits a table
 * holding only request hashes and results for a day.
 */
export class IdempotencyTable extends Construct {
  readonly table: DynamodbTable;
  /** ARN and name of the table. */
  readonly tableArn: string;
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: IdempotencyTableProps) {
    super(scope, id);
    parseProps(`IdempotencyTable ${id}`, idempotencyTablePropsSchema, props);

    this.table = new DynamodbTable(this, "table", {
      name: props.name,
      billingMode: "PAY_PER_REQUEST",
      hashKey: IDEMPOTENCY_ATTRIBUTES.key,
      attribute: [{ name: IDEMPOTENCY_ATTRIBUTES.key, type: "S" }],
      ttl: { attributeName: IDEMPOTENCY_ATTRIBUTES.expiry, enabled: true },
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: props.kmsKeyArn ? { enabled: true, kmsKeyArn: props.kmsKeyArn } : { enabled: true },
      deletionProtectionEnabled: props.deletionProtection ?? false,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.tableArn = this.table.arn;
    this.tableName = this.table.name;
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _IdempotencyTableSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof idempotencyTablePropsSchema>, IdempotencyTableProps>
>;
