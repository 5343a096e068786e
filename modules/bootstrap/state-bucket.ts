import { S3Bucket } from "@cdktn/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktn/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktn/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktn/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktn/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktn/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { z } from "zod";
import type { Assert, SchemaMatchesProps } from "../shared/module-schema";
import { valueChecks } from "../shared/zod-problems";
import { parseProps } from "../shared/parse-props";
import { BOOTSTRAP_DEFAULTS } from "./defaults";
import { ownAccountTlsOnlyPolicy } from "../shared/bucket-policy";

/** Props of StateBucket. */
export interface StateBucketProps {
  /** Bucket name (3-63 lower-case letters, digits, '.', '-'); required. */
  readonly bucketName: string;
  /** The owning account: the bucket policy denies every principal of any other account; required. */
  readonly accountId: string;
  /** Customer KMS key for default encryption (SSE-KMS with a bucket key). @default SSE-S3 (AES256) */
  readonly kmsKeyArn?: string;
  /** Days a replaced or deleted state version is kept before it expires (1-3650). @default 90 */
  readonly noncurrentVersionDays?: number;
}

/** StateBucketProps, parsed once at the construct's door: structure, then the value rules (every problem at once). */
export const stateBucketPropsSchema = z
  .strictObject({
    bucketName: z.string(),
    accountId: z.string(),
    kmsKeyArn: z.string().optional(),
    noncurrentVersionDays: z.number().optional(),
  })
  .superRefine((props, ctx) => {
    const v = valueChecks(ctx);
    v.check(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName),
      "bucketName",
      `expected an S3 bucket name of 3-63 lower-case letters, digits, '.' or '-', got "${props.bucketName}"`,
    );
    v.check(/^\d{12}$/.test(props.accountId), "accountId", `expected a 12-digit account id, got "${props.accountId}"`);
    v.integerInRange(props.noncurrentVersionDays, "noncurrentVersionDays", 1, 3650);
  });

/**
 * The S3 bucket Terraform state lives in: versioned (every state write can be rolled back),
 * encrypted by default, all public access blocked, ACLs disabled, a policy that refuses plain
 * HTTP and any principal outside the owning account, old versions expiring after a while, and
 * `prevent_destroy`, so no apply can delete the state of every stack in it.
 */
export class StateBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Bucket name, for `state.bucket`. */
  readonly bucketName: string;
  /** Bucket ARN. */
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    parseProps(`StateBucket ${id}`, stateBucketPropsSchema, props);

    this.bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName, lifecycle: { preventDestroy: true } });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, "versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket,
      rule: [
        props.kmsKeyArn
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    this.expireOldVersions(bucket, props.noncurrentVersionDays ?? BOOTSTRAP_DEFAULTS.noncurrentVersionDays);
    new S3BucketPolicy(this, "policy", {
      bucket,
      // Applied after the public access block, which would otherwise be checked against a half-made policy.
      dependsOn: [publicAccess],
      policy: JSON.stringify(ownAccountTlsOnlyPolicy(this.bucket.arn, props.accountId)),
    });
  }

  /** Earlier state versions expire after `days` (a bad apply can be rolled back until then); stray uploads after 7. */
  private expireOldVersions(bucket: string, days: number): void {
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket,
      rule: [
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{ prefix: "" }],
          noncurrentVersionExpiration: [{ noncurrentDays: days }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
  }
}

// The props interface (with its docs and defaults) and the schema describe the same props: tsc fails otherwise.
export type _StateBucketSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof stateBucketPropsSchema>, StateBucketProps>
>;
