import { z } from "zod";
import type { AwsContext } from "../shared/aws-context";
import { type Assert, type SchemaMatchesProps, kmsKeyArnSchema, tokenOr } from "../shared/module-schema";
import { FAULT_INJECTION_DEFAULTS, FIS_EXTENSION, FIS_LIMITS } from "./defaults";

/**
 * What makes one function ready for the FIS Lambda actions (FaultInjection.readiness() makes it): the extension layer,
 * the variables it reads, and the function role's read of the configuration folder. QueueConsumer and RedriveFunction
 * take it as their `faultInjection` prop; any other function can use the two functions below.
 */
export interface FaultInjectionReadiness {
  /** ARN of the AWS FIS Lambda extension layer for the function's architecture; required. */
  readonly layerArn: string;
  /** ARN of the configuration bucket FIS writes and the extension reads; required. */
  readonly bucketArn: string;
  /** The folder in the bucket (no leading or trailing '/'); required. */
  readonly prefix: string;
  /** The key encrypting the bucket: the function decrypts through S3 only; required. */
  readonly kmsKeyArn: string;
  /** The extension's poll interval while no fault runs, seconds (20-900). @default 60 (AWS's default) */
  readonly slowPollIntervalSeconds?: number;
  /** Milliseconds an invocation waits for an in-flight poll (0-10000). @default 2000 (AWS's advice with preventExecution) */
  readonly pollMaxWaitMilliseconds?: number;
}

const LAYER_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]{1,140}:\d+$/;
const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The extension's polling settings, shared by the module's props and a function's readiness. */
export const pollingFields = {
  slowPollIntervalSeconds: z
    .int()
    .min(FIS_LIMITS.slowPollIntervalSeconds[0])
    .max(FIS_LIMITS.slowPollIntervalSeconds[1])
    .optional(),
  pollMaxWaitMilliseconds: z
    .int()
    .min(FIS_LIMITS.pollMaxWaitMilliseconds[0])
    .max(FIS_LIMITS.pollMaxWaitMilliseconds[1])
    .optional(),
} as const;

/** The `faultInjection` prop of the function modules. */
export const faultInjectionReadinessSchema = z.strictObject({
  layerArn: tokenOr(LAYER_ARN, "expected a Lambda layer version ARN (…:layer:<name>:<version>)"),
  bucketArn: tokenOr(BUCKET_ARN, "expected an S3 bucket ARN such as arn:aws:s3:::my-fis-config"),
  prefix: z.string().regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, {
    message: "expected a folder such as fis-configs (no leading or trailing '/')",
  }),
  kmsKeyArn: kmsKeyArnSchema,
  ...pollingFields,
});

export type _ReadinessSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof faultInjectionReadinessSchema>, FaultInjectionReadiness>
>;

/** The S3 ARN of the configuration folder, as AWS_FIS_CONFIGURATION_LOCATION takes it (with the trailing '/'). */
export function configurationLocation(r: Pick<FaultInjectionReadiness, "bucketArn" | "prefix">): string {
  return `${r.bucketArn}/${r.prefix}/`;
}

/** The extension's variables (FIS user guide, "AWS FIS Lambda environment variables"). */
export function faultInjectionEnvironment(r: FaultInjectionReadiness): Record<string, string> {
  const e = FIS_EXTENSION.env;
  const d = FAULT_INJECTION_DEFAULTS;
  return {
    [e.configurationLocation]: configurationLocation(r),
    [e.execWrapper]: FIS_EXTENSION.execWrapper,
    [e.slowPollIntervalSeconds]: String(r.slowPollIntervalSeconds ?? d.slowPollIntervalSeconds),
    [e.pollMaxWaitMilliseconds]: String(r.pollMaxWaitMilliseconds ?? d.pollMaxWaitMilliseconds),
    [e.logLevel]: d.extensionLogLevel,
  };
}

/**
 * The function role's read of the configuration folder (FIS user guide, the Lambda extension's read policy: ListBucket
 * on the bucket for the folder's keys, GetObject on them) and the bucket key's Decrypt through S3.
 */
export function faultInjectionStatements(r: FaultInjectionReadiness, aws: AwsContext): Record<string, unknown>[] {
  return [
    {
      Sid: "FisListConfigurations",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: r.bucketArn,
      Condition: { StringLike: { "s3:prefix": [`${r.prefix}/*`] } },
    },
    {
      Sid: "FisReadConfigurations",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: `${r.bucketArn}/${r.prefix}/*`,
    },
    {
      Sid: "FisDecryptConfigurations",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: r.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${aws.region}.${aws.dnsSuffix}` } },
    },
  ];
}
