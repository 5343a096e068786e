/**
 * The bucket policy every bucket of the modules carries: plain HTTP refused, and any principal outside the owning
 * account refused, on the bucket and its objects.
 */
export function ownAccountTlsOnlyPolicy(bucketArn: string, accountId: string): Record<string, unknown> {
  const resources = [bucketArn, `${bucketArn}/*`];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "DenyOtherAccounts",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: resources,
        Condition: { StringNotEquals: { "aws:PrincipalAccount": accountId } },
      },
    ],
  };
}
