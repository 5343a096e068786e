/** FaultInjection, proven on the synthesized Terraform JSON: bucket, key, logs, templates, roles, and the functions it readies. */
import { LambdaFunction } from "@cdktn/provider-aws/lib/lambda-function";
import { QueueConsumer } from "../../../modules/consumer/queue-consumer";
import { FaultInjection, type FaultInjectionProps } from "../../../modules/fault-injection/fault-injection";
import type { FaultExperimentProps } from "../../../modules/fault-injection/experiment-schema";
import { durationSeconds, isoDuration } from "../../../modules/fault-injection/iso-duration";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, one } from "../api/fixtures";

const FN = "arn:aws:lambda:eu-west-1:123456789012:function:shop-orders";
const ALARM = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-5xx";
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:team-alarms";

const experiment = (o: Partial<FaultExperimentProps> = {}): FaultExperimentProps => ({
  name: "errors",
  action: "invocation-error",
  functionArns: [FN],
  stopAlarmArns: [ALARM],
  duration: "PT5M",
  ...o,
});

function synth(props: Partial<FaultInjectionProps> = {}, experiments: FaultExperimentProps[] = [experiment()]) {
  return JSON.parse(
    synthScratch((stack) => {
      const fi = new FaultInjection(stack, "faults", { name: "shop", ...props });
      for (const e of experiments) fi.addExperiment(e);
    }),
  ) as TerraformJson;
}

function problems(build: () => unknown): string[] {
  try {
    build();
  } catch (err) {
    expect(err).toBeInstanceOf(PropsError);
    return [...(err as PropsError).problems];
  }
  throw new Error("expected a PropsError");
}

const json = synth({}, [
  experiment(),
  experiment({
    name: "slow",
    action: "invocation-add-delay",
    startupDelayMilliseconds: 4000,
    invocationPercentage: 60,
  }),
  experiment({ name: "http", action: "invocation-http-integration-response", statusCode: 503, duration: "PT1M30S" }),
]);
const template = (name: string) => one(json, "aws_fis_experiment_template", (t) => t.tags.Name === `shop-${name}`);
const params = (name: string) =>
  Object.fromEntries(template(name).action[0].parameter.map((p: { key: string; value: string }) => [p.key, p.value]));

describe("ISO 8601 durations", () => {
  it("reads hours, minutes and seconds and writes the shortest form", () => {
    expect(["PT5M", "PT1H", "PT1M30S", "PT90S", "PT1H0M1S"].map(durationSeconds)).toEqual([300, 3600, 90, 90, 3601]);
    expect(["5m", "PT", "P1D", "PT5.5M", "pt5m", ""].map(durationSeconds)).toEqual(Array(6).fill(undefined));
    expect([360, 390, 3600, 3661, 45].map(isoDuration)).toEqual(["PT6M", "PT6M30S", "PT1H", "PT1H1M1S", "PT45S"]);
  });
});

describe("FaultInjection", () => {
  it("templates each action with AWS's parameter names, the fault window plus the slow poll, and a stated share", () => {
    expect(params("errors")).toEqual({ duration: "PT6M", invocationPercentage: "25", preventExecution: "true" });
    expect(params("slow")).toEqual({ duration: "PT6M", invocationPercentage: "60", startupDelayMilliseconds: "4000" });
    expect(params("http")).toEqual({
      duration: "PT2M30S",
      invocationPercentage: "25",
      preventExecution: "true",
      statusCode: "503",
      contentTypeHeader: "application/json",
    });
    expect(template("slow").action[0].action_id).toBe("aws:lambda:invocation-add-delay");
  });

  it("targets the functions by ARN under the Functions key, stops on the alarms, logs encrypted, fails on a missing target", () => {
    const t = template("errors");
    expect(t.action[0].target).toEqual({ key: "Functions", value: "functions" });
    expect(t.target).toEqual([
      { name: "functions", resource_type: "aws:lambda:function", resource_arns: [FN], selection_mode: "ALL" },
    ]);
    expect(t.stop_condition).toEqual([{ source: "aws:cloudwatch:alarm", value: ALARM }]);
    expect(t.log_configuration).toEqual({
      log_schema_version: 2,
      cloudwatch_logs_configuration: {
        log_group_arn: expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn\}:\*$/),
      },
    });
    expect(t.experiment_options).toEqual({ account_targeting: "single-account", empty_target_resolution_mode: "fail" });
    expect(t.tags).toMatchObject({ "resilient-edge:experiment": "shop/errors", "resilient-edge:production": "false" });
    expect(one(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/fis/shop",
      kms_key_id: expect.stringMatching(/aws_kms_key\./),
    });
  });

  it("keeps the configurations in a unique, KMS-encrypted, TLS-only, private bucket that forgets them after a day", () => {
    expect(one(json, "aws_s3_bucket")).toMatchObject({ bucket_prefix: "shop-fis-" });
    expect(one(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0]).toMatchObject({
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" },
      bucket_key_enabled: true,
    });
    expect(one(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const policy = JSON.parse(one(json, "aws_s3_bucket_policy").policy);
    expect(policy.Statement[0]).toMatchObject({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(one(json, "aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: 1 }]);
    expect(one(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true });
  });

  it("gives each experiment a role FIS alone assumes, holding the actions' permissions on its own functions and folder", () => {
    const roles = all(json, "aws_iam_role");
    expect(roles.map((r) => r.name).sort()).toEqual(["shop-errors-fis", "shop-http-fis", "shop-slow-fis"]);
    const trust = JSON.parse(roles[0].assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: "fis.amazonaws.com" });
    expect(trust.Condition.ArnLike["aws:SourceArn"]).toMatch(/:fis:.*:experiment\/\*$/);
    const doc = JSON.parse(one(json, "aws_iam_role_policy", (p) => p.name === "shop-errors-fis").policy);
    const byId = Object.fromEntries(doc.Statement.map((s: any) => [s.Sid, s]));
    expect(byId.WriteFaultConfigurations).toMatchObject({
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: expect.stringMatching(/aws_s3_bucket\..*\.arn\}\/fis-configs\/\*$/),
    });
    expect(byId.InspectTargetFunctions).toEqual({
      Sid: "InspectTargetFunctions",
      Effect: "Allow",
      Action: ["lambda:GetFunction"],
      Resource: [FN],
    });
    expect(byId.ResolveTargets.Action).toEqual(["tag:GetResources"]);
    expect(byId.EncryptFaultConfigurations.Condition.StringEquals["kms:ViaService"]).toMatch(/^s3\./);
  });

  it("readies a function: the extension layer from AWS's public parameter, its variables, and a read of the folder only", () => {
    const fnJson = JSON.parse(
      synthScratch((stack) => {
        const fi = new FaultInjection(stack, "faults", { name: "shop", slowPollIntervalSeconds: 30 });
        new QueueConsumer(stack, "orders", {
          functionName: "shop-orders",
          queue: { arn: "arn:aws:sqs:eu-west-1:123456789012:shop", name: "shop", visibilityTimeoutSeconds: 200 },
          alarmTopicArn: TOPIC,
          faultInjection: fi.readiness(),
        });
      }),
    ) as TerraformJson;
    expect(Object.values(fnJson.data!.aws_ssm_parameter)[0]).toMatchObject({
      name: "/aws/service/fis/lambda-extension/AWS-FIS-extension-arm64/1.x.x",
    });
    const fn = one(fnJson, "aws_lambda_function");
    expect(fn.layers).toEqual([expect.stringMatching(/data\.aws_ssm_parameter\..*\.insecure_value/)]);
    expect(fn.environment.variables).toMatchObject({
      AWS_FIS_CONFIGURATION_LOCATION: expect.stringMatching(/aws_s3_bucket\..*\.arn\}\/fis-configs\/$/),
      AWS_LAMBDA_EXEC_WRAPPER: "/opt/aws-fis/bootstrap",
      AWS_FIS_SLOW_POLL_INTERVAL_SECONDS: "30",
      AWS_FIS_POLL_MAX_WAIT_MILLISECONDS: "2000",
    });
    const doc = JSON.parse(one(fnJson, "aws_iam_role_policy").policy);
    const list = doc.Statement.find((s: any) => s.Sid === "FisListConfigurations");
    expect(list.Condition).toEqual({ StringLike: { "s3:prefix": ["fis-configs/*"] } });
    expect(doc.Statement.find((s: any) => s.Sid === "FisReadConfigurations").Action).toEqual(["s3:GetObject"]);
  });

  it("prepares a team's own function: its layers and variables kept, the extension's added, a read of the folder on its role", () => {
    const fnJson = JSON.parse(
      synthScratch((stack) => {
        const fi = new FaultInjection(stack, "faults", { name: "shop" });
        const fn = new LambdaFunction(stack, "own", {
          functionName: "shop-own",
          role: "arn:aws:iam::123456789012:role/shop-own",
          runtime: "nodejs22.x",
          handler: "index.handler",
          filename: "x.zip",
          layers: ["arn:aws:lambda:eu-west-1:123456789012:layer:tools:3"],
          environment: { variables: { MODE: "live" } },
        });
        fi.prepareFunction(fn, "shop-own");
      }),
    ) as TerraformJson;
    const fn = one(fnJson, "aws_lambda_function");
    expect(fn.layers).toEqual([
      "arn:aws:lambda:eu-west-1:123456789012:layer:tools:3",
      expect.stringMatching(/insecure_value/),
    ]);
    expect(fn.environment.variables).toMatchObject({ MODE: "live", AWS_LAMBDA_EXEC_WRAPPER: "/opt/aws-fis/bootstrap" });
    const policy = one(fnJson, "aws_iam_role_policy");
    expect(policy.role).toBe("shop-own");
    expect(JSON.parse(policy.policy).Statement.map((x: { Sid: string }) => x.Sid)).toEqual([
      "FisListConfigurations",
      "FisReadConfigurations",
      "FisDecryptConfigurations",
    ]);
  });

  it("uses a pinned layer instead of AWS's parameter", () => {
    const layer = "arn:aws:lambda:eu-west-1:123456789012:layer:aws-fis-extension-arm64:9";
    let readiness: unknown;
    const fi = JSON.parse(
      synthScratch((stack) => {
        readiness = new FaultInjection(stack, "faults", { name: "shop", layerArns: { arm64: layer } }).readiness();
      }),
    ) as TerraformJson;
    expect(readiness).toMatchObject({ layerArn: layer, prefix: "fis-configs" });
    expect(fi.data?.aws_ssm_parameter).toBeUndefined();
  });

  it("refuses a production environment without the opt-in, and allows it with it", () => {
    expect(problems(() => synth({ production: true }))).toEqual([
      expect.stringMatching(
        /^allowInProduction: this is a production environment: fault-injection experiments need allowInProduction: true/,
      ),
    ]);
    const t = one(synth({ production: true, allowInProduction: true }), "aws_fis_experiment_template");
    expect(t.tags).toMatchObject({ "resilient-edge:production": "true", "resilient-edge:allow-in-production": "true" });
  });

  it("reports every problem of an experiment at once, in AWS's documented ranges", () => {
    const bad = experiment({
      duration: "5 minutes",
      invocationPercentage: 0,
      action: "invocation-error",
      startupDelayMilliseconds: 5,
      functionArns: [FN, FN],
      stopAlarmArns: [],
    });
    expect(problems(() => synth({}, [bad]))).toEqual([
      'duration: expected an ISO 8601 duration such as PT5M or PT1M30S, got "5 minutes"',
      "invocationPercentage: expected a number >= 1, got 0",
      "functionArns: expected each function once",
      "stopAlarmArns: expected at least 1 item(s), got an array",
      "startupDelayMilliseconds: invocation-error takes no startupDelayMilliseconds (it takes preventExecution)",
    ]);
    expect(
      problems(() =>
        synth({}, [experiment({ action: "invocation-http-integration-response", duration: "PT2H", statusCode: 1000 })]),
      ),
    ).toEqual([
      expect.stringMatching(/^duration: expected a fault window of PT1M to PT1H .*got PT2H$/),
      expect.stringMatching(/^statusCode: expected a number <= 999/),
    ]);
    expect(problems(() => synth({}, [experiment({ action: "invocation-http-integration-response" })]))).toEqual([
      "statusCode: required by invocation-http-integration-response",
    ]);
  });
});
