import { z } from "zod";

/** Where one environment's Terraform state is, and how far a role may touch it. */
export interface TerraformStateAccess {
  /** State bucket name; required. */
  readonly bucket: string;
  /** State object key (`edge/dev.tfstate`); required. */
  readonly key: string;
  /** KMS key of the state objects, when not SSE-S3. @default none */
  readonly kmsKeyArn?: string;
  /** Role in the state's account to assume instead of touching the bucket directly. @default none */
  readonly stateRoleArn?: string;
  /** true: may read the state and take the lock (plan), but not write the state. @default false */
  readonly readOnly?: boolean;
}

/** A TerraformStateAccess (its structure: the roles that take one check its values). */
export const terraformStateAccessSchema = z.strictObject({
  bucket: z.string(),
  key: z.string(),
  kmsKeyArn: z.string().optional(),
  stateRoleArn: z.string().optional(),
  readOnly: z.boolean().optional(),
});

/** IAM statements for the S3 backend with S3-native locking: the key, its `.tflock`, the bucket listing, the KMS key. */
export function terraformStateStatements(state: TerraformStateAccess, partition = "aws"): Record<string, unknown>[] {
  if (state.stateRoleArn)
    return [{ Sid: "AssumeStateRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: state.stateRoleArn }];
  const bucket = `arn:${partition}:s3:::${state.bucket}`;
  const statements: Record<string, unknown>[] = [
    { Sid: "ListStateBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucket },
    {
      Sid: state.readOnly ? "ReadState" : "ReadWriteState",
      Effect: "Allow",
      Action: state.readOnly ? ["s3:GetObject"] : ["s3:GetObject", "s3:PutObject"],
      Resource: `${bucket}/${state.key}`,
    },
    {
      Sid: "StateLock",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      Resource: `${bucket}/${state.key}.tflock`,
    },
  ];
  if (state.kmsKeyArn)
    statements.push({
      Sid: "StateKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: state.kmsKeyArn,
    });
  return statements;
}
