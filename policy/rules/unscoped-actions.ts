/**
 * IAM actions that support no resource-level permissions, so `"Resource": "*"` is the only way to
 * grant them (AWS Service Authorization Reference: the "Resource types" column is empty). Any other
 * action with `"Resource": "*"` fails iam-no-wildcard-resource. Add an action here only with the
 * reference page that proves it; lower case, `*` allowed as a wildcard.
 */
export const UNSCOPED_ACTIONS: readonly string[] = [
  // X-Ray: the SDK/daemon upload and sampling calls.
  "xray:puttracesegments",
  "xray:puttelemetryrecords",
  "xray:getsamplingrules",
  "xray:getsamplingtargets",
  "xray:getsamplingstatisticsummaries",
  // CloudWatch metrics.
  "cloudwatch:putmetricdata",
  "cloudwatch:getmetricdata",
  "cloudwatch:getmetricstatistics",
  "cloudwatch:listmetrics",
  // Listing and account-level calls.
  "sqs:listqueues",
  // DynamoDB Streams' ListStreams names no resource (AWS CDK's Table.grantStreamRead grants it on "*" for this
  // reason); a DynamoDB stream source's documented pipe permissions include it (modules/outbox/pipe-role.ts).
  "dynamodb:liststreams",
  "sns:listtopics",
  "lambda:listfunctions",
  "lambda:listeventsourcemappings",
  "lambda:getaccountsettings",
  "lambda:createeventsourcemapping",
  "events:listrules",
  "events:listeventbuses",
  "logs:describeloggroups",
  // CloudWatch Logs' vended-log delivery (Step Functions logging): no resource types; the Step Functions developer
  // guide's policy for logging to CloudWatch Logs grants them on "*".
  "logs:createlogdelivery",
  "logs:getlogdelivery",
  "logs:updatelogdelivery",
  "logs:deletelogdelivery",
  "logs:listlogdeliveries",
  "logs:putresourcepolicy",
  "logs:describeresourcepolicies",
  "kms:createkey",
  "kms:listkeys",
  "kms:listaliases",
  "kms:generaterandom",
  "sts:getcalleridentity",
  "iam:listroles",
  "iam:listpolicies",
  "s3:listallmybuckets",
  "tag:getresources",
  "secretsmanager:getrandompassword",
  "secretsmanager:listsecrets",
  "ssm:describeparameters",
  "cloudfront:listdistributions",
  // Lambda in a VPC: the ENI describe calls.
  "ec2:describe*",
];

/** True when an action (any case, may end in `*`) needs `"Resource": "*"` because it cannot be scoped. */
export function isUnscopedAction(action: string): boolean {
  const a = action.toLowerCase();
  return UNSCOPED_ACTIONS.some((u) =>
    u.endsWith("*") ? a.startsWith(u.slice(0, -1)) && !a.slice(u.length - 1).includes(":") : a === u,
  );
}
