/**
 * Key administration and use actions for the account's own principals in a customer-managed key's
 * policy: the account keeps control of its key without a bare `kms:*` (AWS's default key policy).
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
];

/** The key policy statement that leaves the key to the account: its IAM policies grant every use. */
export function accountAdministersKey(partition: string, accountId: string): Record<string, unknown> {
  return {
    Sid: "AccountAdministersKey",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
    Action: KEY_ADMIN_ACTIONS,
    Resource: "*",
  };
}
