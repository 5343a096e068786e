import { S3Bucket } from "@cdktn/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktn/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktn/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktn/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktn/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktn/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import type { Construct } from "constructs";
import type { AwsContext } from "../shared/aws-context";
import { FAULT_INJECTION_DEFAULTS } from "./defaults";
import { ownAccountTlsOnlyPolicy } from "../shared/bucket-policy";

/** S3's limit on `bucket_prefix` (the provider adds a unique suffix up to 63 characters). */
const BUCKET_PREFIX_MAX = 37;

/**
 * The configuration bucket FIS writes fault configurations to and the functions' extension reads: a unique name
 * (Terraform's `bucket_prefix`), SSE-KMS under the module's key with a bucket key, all public access blocked, ACLs
 * off, a policy refusing plain HTTP and any other account, and objects expiring after a day (FIS deletes them at the
 * end of an experiment; a stopped one may leave them).
 */
export function createConfigBucket(
  scope: Construct,
  name: string,
  keyArn: string,
  aws: AwsContext,
  tags: Record<string, string> | undefined,
): S3Bucket {
  const prefix = `${name.slice(0, BUCKET_PREFIX_MAX - "-fis-".length).replace(/-+$/, "")}-fis-`;
  const bucket = new S3Bucket(scope, "config-bucket", { bucketPrefix: prefix, forceDestroy: true, tags });
  new S3BucketServerSideEncryptionConfigurationA(scope, "config-encryption", {
    bucket: bucket.id,
    rule: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
        bucketKeyEnabled: true,
      },
    ],
  });
  const publicAccess = new S3BucketPublicAccessBlock(scope, "config-public-access", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "config-ownership", {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });
  // Versioned as every bucket here (policy s3-bucket-versioned); replaced configurations expire with the rest.
  new S3BucketVersioningA(scope, "config-versioning", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  new S3BucketLifecycleConfiguration(scope, "config-lifecycle", {
    bucket: bucket.id,
    rule: [
      {
        id: "expire-fault-configurations",
        status: "Enabled",
        filter: [{ prefix: "" }],
        expiration: [{ days: FAULT_INJECTION_DEFAULTS.configExpiryDays }],
        noncurrentVersionExpiration: [{ noncurrentDays: FAULT_INJECTION_DEFAULTS.configExpiryDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
      },
    ],
  });
  new S3BucketPolicy(scope, "config-policy", {
    bucket: bucket.id,
    dependsOn: [publicAccess],
    policy: JSON.stringify(ownAccountTlsOnlyPolicy(bucket.arn, aws.accountId)),
  });
  return bucket;
}
