import { z } from "zod";

/** Shared zod building blocks for environment config: one definition of every AWS identifier format. */

/** A 12-digit AWS account id, as a string (leading zeros matter). */
export const accountId = z.string().regex(/^\d{12}$/, { message: "expected a 12-digit AWS account id" });

/** An AWS region code such as eu-west-1 or us-gov-west-1. */
export const region = z
  .string()
  .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/, {
    message: "expected an AWS region code such as eu-west-1",
  });

const partition = "aws(-cn|-us-gov|-iso|-iso-b)?";

/** Any well-formed ARN: arn:<partition>:<service>:<region>:<account>:<resource>. */
export const arn = z.string().regex(new RegExp(`^arn:${partition}:[a-z0-9-]+:([a-z0-9-]*):(\\d{12}|aws)?:.+$`), {
  message: "expected an ARN (arn:aws:<service>:<region>:<account>:<resource>)",
});

/** Builds a validator for an ARN of one service and resource type. */
export function arnOf(service: string, resourcePattern: string, example: string) {
  return z.string().regex(new RegExp(`^arn:${partition}:${service}:([a-z0-9-]*):(\\d{12})?:${resourcePattern}$`), {
    message: `expected a ${service} ARN such as ${example}`,
  });
}

/** An IAM role ARN. */
export const iamRoleArn = z.string().regex(new RegExp(`^arn:${partition}:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$`), {
  message: "expected an IAM role ARN such as arn:aws:iam::123456789012:role/deploy",
});

/** A KMS key or alias ARN. */
export const kmsKeyArn = arnOf(
  "kms",
  "(key/[0-9a-f-]{36}|alias/[\\w/-]+)",
  "arn:aws:kms:eu-west-1:123456789012:key/<uuid>",
);

/** An S3 bucket name (3-63 chars, lower case, digits, dots and hyphens). */
export const s3BucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
  message: "expected an S3 bucket name (3-63 lower-case letters, digits, '.', '-')",
});

/** A Terraform-address-safe logical name: lower case, digits and hyphens. */
export const logicalName = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, {
  message: "expected a name of lower-case letters, digits and '-', starting with a letter",
});

/** Reads the account id out of an ARN, or undefined for ARNs without one. */
export function accountOfArn(value: string): string | undefined {
  const account = value.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** Reads the region out of an ARN, or undefined for global ARNs. */
export function regionOfArn(value: string): string | undefined {
  const r = value.split(":")[3];
  return r ? r : undefined;
}
