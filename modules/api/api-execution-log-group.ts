import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { Token } from "cdktn";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS } from "./api-definition";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { API_DEFAULTS } from "./defaults";

/** Props of ApiExecutionLogGroup. */
export interface ApiExecutionLogGroupProps {
  /** Id of the REST API (a reference works); required. */
  readonly restApiId: string;
  /** Name of the stage whose execution logs the group holds (a literal: it is part of the group's name); required. */
  readonly stageName: string;
  /** Days to keep the execution logs (a CloudWatch Logs retention value). @default 90 (like the access logs, never forever) */
  readonly retentionDays?: number;
  /** KMS key ARN that encrypts the group (its key policy must let logs.<region>.amazonaws.com use it). @default CloudWatch Logs' own encryption */
  readonly kmsKeyArn?: string;
  /** Tags of the log group. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** ApiExecutionLogGroupProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const apiExecutionLogGroupPropsSchema = z
  .strictObject({
    restApiId: z.string(),
    stageName: z.string(),
    retentionDays: z.number().optional(),
    kmsKeyArn: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(
      Token.isUnresolved(props.stageName) || /^[A-Za-z0-9_-]{1,128}$/.test(props.stageName),
      "stageName",
      `expected 1-128 letters, digits, '-' or '_', got "${props.stageName}"`,
    );
    const days = props.retentionDays;
    v.check(
      days === undefined || (LOG_RETENTION_DAYS as readonly number[]).includes(days),
      "retentionDays",
      `expected one of ${LOG_RETENTION_DAYS.join(", ")}, got ${days}`,
    );
  });

/** The log group name API Gateway writes a stage's execution logs to; API Gateway fixes it, it cannot be configured. */
function executionLogGroupName(restApiId: string, stageName: string): string {
  return `API-Gateway-Execution-Logs_${restApiId}/${stageName}`;
}

/**
 * The execution-log group of one REST API stage, managed: API Gateway writes execution logs to
 * `API-Gateway-Execution-Logs_<rest api id>/<stage name>` and, when that group does not exist,
 * creates it itself, unmanaged and kept forever. Creating it here (before the stage) gives it
 * retention, the access logs' KMS key and tags, and removes it with the stage.
 */
export class ApiExecutionLogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  /** Name of the group. */
  readonly logGroupName: string;
  /** ARN of the group. */
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: ApiExecutionLogGroupProps) {
    super(scope, id);
    parseProps(`ApiExecutionLogGroup ${id}`, apiExecutionLogGroupPropsSchema, props);
    const days = props.retentionDays;

    this.logGroup = new CloudwatchLogGroup(this, "execution-logs", {
      name: executionLogGroupName(props.restApiId, props.stageName),
      // Execution logs are for debugging a failing integration: 90 days like the access logs, never forever.
      retentionInDays: days ?? API_DEFAULTS.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
      tags: props.tags ? { ...props.tags } : undefined,
    });
    this.logGroupName = this.logGroup.name;
    this.logGroupArn = this.logGroup.arn;
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _ApiExecutionLogGroupSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof apiExecutionLogGroupPropsSchema>, ApiExecutionLogGroupProps>
>;
