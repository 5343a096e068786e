/**
 * IAM statements every function the modules create needs: write its own log group (nothing else) and send X-Ray
 * traces (which have no resource-level permissions).
 */
export function logsAndTracingStatements(logGroupArn: string): Record<string, unknown>[] {
  return [
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logGroupArn}:*`,
    },
    // X-Ray has no resource-level permissions for these two actions.
    {
      Sid: "XRayTracing",
      Effect: "Allow",
      Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
      Resource: "*",
    },
  ];
}
