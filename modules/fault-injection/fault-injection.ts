import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { DataAwsSsmParameter } from "@cdktn/provider-aws/lib/data-aws-ssm-parameter";
import type { FisExperimentTemplate } from "@cdktn/provider-aws/lib/fis-experiment-template";
import type { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { Construct } from "constructs";
import { type AwsContext, awsContext } from "../shared/aws-context";
import { createModuleKey } from "../shared/module-key";
import { parseProps } from "../shared/parse-props";
import { createConfigBucket } from "./config-bucket";
import { FAULT_INJECTION_DEFAULTS, FIS_EXTENSION } from "./defaults";
import { createExperimentRole } from "./experiment-role";
import { type FaultExperimentProps, faultExperimentSchema } from "./experiment-schema";
import { createExperimentTemplate } from "./experiment-template";
import { type FaultInjectionProps, faultInjectionPropsSchema } from "./fault-injection-schema";
import { type FaultInjectionReadiness, faultInjectionEnvironment, faultInjectionStatements } from "./readiness";
import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import type { LambdaFunction } from "@cdktn/provider-aws/lib/lambda-function";
import { boundedName, shortHash } from "../shared/bounded-name";

export type { FaultInjectionProps } from "./fault-injection-schema";

/** A Lambda architecture the extension is published for. */
export type FunctionArchitecture = "arm64" | "x86_64";

/** One experiment: its template and the role FIS runs it as. */
export class FaultExperiment extends Construct {
  readonly template: FisExperimentTemplate;
  readonly role: IamRole;
  /** The experiment's name as given, and its full name `<module name>-<name>`. */
  readonly name: string;
  readonly fullName: string;

  constructor(scope: FaultInjection, id: string, props: FaultExperimentProps) {
    super(scope, id);
    const e = parseProps(`FaultExperiment ${id}`, faultExperimentSchema, props);
    this.name = e.name;
    this.fullName = `${scope.name}-${e.name}`;
    const tags = { ...scope.tags };
    this.role = createExperimentRole(
      this,
      { name: this.fullName, functionArns: e.functionArns, ...scope.configLocation(), tags },
      awsContext(this),
    );
    this.template = createExperimentTemplate(this, e, {
      fullName: this.fullName,
      moduleName: scope.name,
      roleArn: this.role.arn,
      logGroupArn: scope.logGroup.arn,
      slowPollIntervalSeconds: scope.slowPollIntervalSeconds,
      production: scope.production,
      allowInProduction: scope.allowInProduction,
      tags,
    });
  }
}

/**
 * Fault injection for the functions of a stack (AWS FIS Lambda actions): a configuration bucket (encrypted under the
 * module's rotated key, TLS only, this account only), an encrypted log group for experiment logs, the extension's
 * layer per architecture, `readiness()` for each function that may be faulted (create it before them), and
 * `addExperiment()` for each template (after them: it needs their ARNs and the alarms that stop it).
 */
export class FaultInjection extends Construct {
  readonly name: string;
  readonly keyArn: string;
  readonly bucketArn: string;
  readonly bucketName: string;
  readonly prefix: string;
  readonly logGroup: CloudwatchLogGroup;
  readonly slowPollIntervalSeconds: number;
  /** Whether the environment is production, and whether it opted in to experiments there. */
  readonly production: boolean;
  readonly allowInProduction: boolean;
  readonly tags: Record<string, string>;
  readonly experiments: FaultExperiment[] = [];
  private readonly props: FaultInjectionProps;
  private readonly layers = new Map<FunctionArchitecture, string>();

  constructor(scope: Construct, id: string, props: FaultInjectionProps) {
    super(scope, id);
    const p = parseProps(`FaultInjection ${id}`, faultInjectionPropsSchema, props);
    this.props = p;
    this.name = p.name;
    this.tags = { ...p.tags };
    this.production = p.production ?? false;
    this.allowInProduction = p.allowInProduction ?? false;
    this.prefix = FAULT_INJECTION_DEFAULTS.configPrefix;
    this.slowPollIntervalSeconds = p.slowPollIntervalSeconds ?? FAULT_INJECTION_DEFAULTS.slowPollIntervalSeconds;
    const aws = awsContext(this);
    const logGroupName = `/aws/fis/${p.name}`;
    this.keyArn = this.createKey(aws, logGroupName);
    const bucket = createConfigBucket(this, p.name, this.keyArn, aws, p.tags ? this.tags : undefined);
    this.bucketArn = bucket.arn;
    this.bucketName = bucket.bucket;
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: logGroupName,
      retentionInDays: p.logRetentionDays ?? FAULT_INJECTION_DEFAULTS.logRetentionDays,
      kmsKeyId: this.keyArn,
      tags: p.tags ? this.tags : undefined,
    });
  }

  /** What a function of `architecture` needs to be faulted: pass it as the function module's `faultInjection`. */
  readiness(architecture: FunctionArchitecture = "arm64"): FaultInjectionReadiness {
    return {
      layerArn: this.layerArn(architecture),
      ...this.configLocation(),
      slowPollIntervalSeconds: this.slowPollIntervalSeconds,
      pollMaxWaitMilliseconds: this.props.pollMaxWaitMilliseconds ?? FAULT_INJECTION_DEFAULTS.pollMaxWaitMilliseconds,
    };
  }

  /**
   * Readies a function this module's users create themselves (QueueConsumer and RedriveFunction take `readiness()` as
   * their `faultInjection` prop instead): the extension layer added to its layers, the extension's variables to its
   * environment, and an inline policy on `roleName` reading the configuration folder.
   */
  prepareFunction(fn: LambdaFunction, roleName: string, architecture: FunctionArchitecture = "arm64"): IamRolePolicy {
    const r = this.readiness(architecture);
    fn.layers = [...(fn.layersInput ?? []), r.layerArn];
    const variables = (fn.environmentInput as { variables?: Record<string, string> } | undefined)?.variables ?? {};
    fn.putEnvironment({ variables: { ...variables, ...faultInjectionEnvironment(r) } });
    return new IamRolePolicy(this, `read-${fn.node.id}-${shortHash(fn.node.path)}`, {
      name: boundedName(`${this.name}-fis-read`, "", 128, fn.node.path),
      role: roleName,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: faultInjectionStatements(r, awsContext(this)) }),
    });
  }

  /** Bucket, folder and key of the fault configurations. */
  configLocation(): { bucketArn: string; prefix: string; kmsKeyArn: string } {
    return { bucketArn: this.bucketArn, prefix: this.prefix, kmsKeyArn: this.keyArn };
  }

  /** An experiment template on functions made ready by `readiness()`, stopped by the given alarms. */
  addExperiment(props: FaultExperimentProps): FaultExperiment {
    const experiment = new FaultExperiment(this, `experiment-${props.name}`, props);
    this.experiments.push(experiment);
    return experiment;
  }

  /** The layer's ARN: pinned in the props, or AWS's public SSM parameter for the architecture (read once). */
  private layerArn(architecture: FunctionArchitecture): string {
    const pinned = this.props.layerArns?.[architecture];
    if (pinned) return pinned;
    let arn = this.layers.get(architecture);
    if (!arn) {
      // A public String parameter: `insecure_value` keeps the layer readable in plans (`value` is always sensitive).
      arn = new DataAwsSsmParameter(this, `extension-layer-${architecture}`, {
        name: FIS_EXTENSION.layerParameters[architecture],
      }).insecureValue;
      this.layers.set(architecture, arn);
    }
    return arn;
  }

  /** The module's key; CloudWatch Logs may use it for the experiment log group only. */
  private createKey(aws: AwsContext, logGroupName: string): string {
    const logGroupArn = `arn:${aws.partition}:logs:${aws.region}:${aws.accountId}:log-group:${logGroupName}`;
    return createModuleKey(this, {
      alias: `fis/${this.name}`,
      description: `Encrypts the ${this.name} fault-injection configurations and experiment logs`,
      deletionWindowDays: FAULT_INJECTION_DEFAULTS.keyDeletionWindowDays,
      serviceStatements: [
        {
          Sid: "LogsEncryptTheExperimentLogGroup",
          Effect: "Allow",
          Principal: { Service: `logs.${aws.region}.${aws.dnsSuffix}` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
        },
      ],
      tags: this.props.tags ? this.tags : undefined,
    }).arn;
  }
}
