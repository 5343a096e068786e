import { CloudwatchLogDelivery } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery";
import { CloudwatchLogDeliveryDestination } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery-destination";
import { CloudwatchLogDeliverySource } from "@cdktn/provider-aws/lib/cloudwatch-log-delivery-source";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { Token } from "cdktn";
import { Construct } from "constructs";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { LOG_RETENTION_DAYS } from "./api-definition";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { API_DEFAULTS } from "./defaults";

/**
 * CloudFront delivers standard logs (v2) through CloudWatch Logs' vended-log deliveries, which for a
 * distribution exist only in US East (N. Virginia); a CloudWatch Logs destination must be in the
 * delivery's Region, so the log group lives there too, whatever the stack's Region.
 */
export const CLOUDFRONT_LOG_REGION = "us-east-1";
/** Prefix of the log group names: `/aws/cloudfront/<name>`. */
export const CLOUDFRONT_LOG_GROUP_PREFIX = "/aws/cloudfront/";
/** Suffix of the delivery source and destination names: `<name>-cf-access`. */
export const DELIVERY_NAME_SUFFIX = "-cf-access";
/** PutDeliverySource / PutDeliveryDestination: names of 1-60 characters matching `[\w-]*`. */
export const DELIVERY_NAME_MAX_LENGTH = 60;
const DELIVERY_NAME = /^[\w-]+$/;
const DISTRIBUTION_ARN = /^arn:aws(-[a-z-]+)?:cloudfront::\d{12}:distribution\/[A-Z0-9]+$/;

/** Props of DistributionAccessLogs. */
export interface DistributionAccessLogsProps {
  /**
   * Stem of every name (`/aws/cloudfront/<name>`, delivery source and destination `<name>-cf-access`):
   * letters, digits, '_' or '-', at most 50 characters, unique in the account; no default.
   */
  readonly name: string;
  /** ARN of the CloudFront distribution whose requests are logged; no default. */
  readonly distributionArn: string;
  /** Days to keep the logs (a CloudWatch Logs retention value). @default 90 */
  readonly retentionDays?: number;
  /** Tags of the log group, delivery source, destination and delivery. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** DistributionAccessLogsProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const distributionAccessLogsPropsSchema = z
  .strictObject({
    name: z.string(),
    distributionArn: z.string(),
    retentionDays: z.number().optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    if (!Token.isUnresolved(props.name)) {
      const max = DELIVERY_NAME_MAX_LENGTH - DELIVERY_NAME_SUFFIX.length;
      v.check(
        DELIVERY_NAME.test(props.name) && props.name.length <= max,
        "name",
        `expected 1-${max} letters, digits, '_' or '-' (delivery names "<name>${DELIVERY_NAME_SUFFIX}" allow ${DELIVERY_NAME_MAX_LENGTH}), got "${props.name}"`,
      );
    }
    if (!Token.isUnresolved(props.distributionArn)) {
      v.check(
        DISTRIBUTION_ARN.test(props.distributionArn),
        "distributionArn",
        `expected a CloudFront distribution ARN (arn:aws:cloudfront::<account>:distribution/<id>), got "${props.distributionArn}"`,
      );
    }
    if (props.retentionDays !== undefined) {
      v.check(
        (LOG_RETENTION_DAYS as readonly number[]).includes(props.retentionDays),
        "retentionDays",
        `expected one of ${LOG_RETENTION_DAYS.join(", ")}, got ${props.retentionDays}`,
      );
    }
  });

/**
 * CloudFront standard logging (v2) of one distribution to CloudWatch Logs: a log group
 * `/aws/cloudfront/<name>` with retention, a delivery source for the distribution's `ACCESS_LOGS`, a
 * delivery destination on the log group writing JSON records, and the delivery linking them, all in
 * us-east-1. CloudWatch Logs adds the log group's resource policy for `delivery.logs.amazonaws.com`
 * itself when the delivery is created (the deploying role needs `logs:PutResourcePolicy`,
 * `logs:DescribeResourcePolicies` and `logs:DescribeLogGroups` in us-east-1).
 */
export class DistributionAccessLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly deliverySource: CloudwatchLogDeliverySource;
  readonly deliveryDestination: CloudwatchLogDeliveryDestination;
  readonly delivery: CloudwatchLogDelivery;
  /** `/aws/cloudfront/<name>`. */
  readonly logGroupName: string;
  /** ARN of the log group (in us-east-1). */
  readonly logGroupArn: string;

  constructor(scope: Construct, id: string, props: DistributionAccessLogsProps) {
    super(scope, id);
    validateProps(id, props);
    const deliveryName = `${props.name}${DELIVERY_NAME_SUFFIX}`;

    const tags = props.tags ? { ...props.tags } : undefined;
    const region = CLOUDFRONT_LOG_REGION;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      region,
      name: `${CLOUDFRONT_LOG_GROUP_PREFIX}${props.name}`,
      retentionInDays: props.retentionDays ?? API_DEFAULTS.logRetentionDays,
      tags,
    });
    this.deliverySource = new CloudwatchLogDeliverySource(this, "source", {
      region,
      name: deliveryName,
      logType: "ACCESS_LOGS",
      resourceArn: props.distributionArn,
      tags,
    });
    this.deliveryDestination = new CloudwatchLogDeliveryDestination(this, "destination", {
      region,
      name: deliveryName,
      outputFormat: "json",
      deliveryDestinationConfiguration: [{ destinationResourceArn: this.logGroup.arn }],
      tags,
    });
    this.delivery = new CloudwatchLogDelivery(this, "delivery", {
      region,
      deliverySourceName: this.deliverySource.name,
      deliveryDestinationArn: this.deliveryDestination.arn,
      tags,
    });
    this.logGroupName = this.logGroup.name;
    this.logGroupArn = this.logGroup.arn;
  }
}

/** Every problem of the props at once (a PropsError naming each field), or nothing. */
function validateProps(id: string, props: DistributionAccessLogsProps): void {
  parseProps(`DistributionAccessLogs ${id}`, distributionAccessLogsPropsSchema, props);
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _DistributionAccessLogsSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof distributionAccessLogsPropsSchema>, DistributionAccessLogsProps>
>;
