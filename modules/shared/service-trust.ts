/**
 * The trust policy of a role an AWS service assumes on this account's behalf, guarded against the confused deputy
 * (IAM user guide, "The confused deputy problem"): the service, only for this account, and only for the resources whose
 * ARNs match `sourceArn`.
 */
export function serviceTrustPolicy(service: string, accountId: string, sourceArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": sourceArn } },
      },
    ],
  });
}
