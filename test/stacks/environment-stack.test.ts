import { environmentJson, synthEnvironments } from "../helpers/synth";
import { exampleConfig, newAccountTheReadmeWay, writeEnvDir } from "../helpers/env-fixtures";

const ENVS = {
  dev: "111111111111",
  staging: "222222222222",
  prod: "333333333333",
} as const;

describe("EnvironmentStack", () => {
  it("writes one stack per env/<name>.json, and a bootstrap stack for each with a delivery section", () => {
    expect(Object.keys(synthEnvironments()).sort()).toEqual([
      "dev",
      "dev-bootstrap",
      "prod",
      "prod-bootstrap",
      "staging",
      "staging-bootstrap",
    ]);
  });

  it.each(Object.entries(ENVS))(
    "%s: provider assumes the environment's deploy role and only allows its account",
    (name, account) => {
      const provider = environmentJson(name).provider.aws;
      expect(provider).toHaveLength(1);
      expect(provider[0]).toMatchObject({
        region: "eu-west-1",
        allowed_account_ids: [account],
        assume_role: [{ role_arn: "${var.deploy_role_arn}", session_name: `cdktf-${name}` }],
      });
      // The deploy role by default; a plan may pass the read-only plan role instead.
      expect(environmentJson(name).variable?.deploy_role_arn).toMatchObject({
        type: "string",
        default: `arn:aws:iam::${account}:role/platform-deploy`,
      });
    },
  );

  it.each(Object.keys(ENVS))(
    "%s: default tags name environment, owner and managed-by, plus the config's tags",
    (name) => {
      const tags = environmentJson(name).provider.aws[0].default_tags[0].tags;
      expect(tags).toEqual({
        environment: name,
        owner: "platform-team",
        "managed-by": "cdktf",
        "cost-center": "platform",
        "data-classification": "internal",
      });
    },
  );

  it.each(Object.entries(ENVS))("%s: own encrypted S3 remote state with S3-native locking", (name, account) => {
    expect(environmentJson(name).terraform.backend).toEqual({
      s3: {
        bucket: `acme-platform-tfstate-${account}`,
        key: `edge/${name}.tfstate`,
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("state role and KMS key from config reach the backend", () => {
    const dev = exampleConfig("dev");
    dev.state.roleArn = "arn:aws:iam::999999999999:role/state-access";
    dev.state.kmsKeyArn = "arn:aws:kms:eu-west-1:999999999999:key/0b7b2c3e-1111-2222-3333-444455556666";
    dev.account.externalId = "edge-deploy";
    const json = environmentJson("dev", writeEnvDir({ dev }));
    expect(json.terraform.backend.s3).toMatchObject({
      kms_key_id: dev.state.kmsKeyArn,
      assume_role: { role_arn: dev.state.roleArn, session_name: "cdktf-state-dev" },
    });
    expect(json.provider.aws[0].assume_role[0].external_id).toBe("edge-deploy");
  });

  it("adding env/<name>.json adds a stack named <name>, nothing else to edit", () => {
    const sandbox = newAccountTheReadmeWay("sandbox", "444444444444").config;
    const dir = writeEnvDir({ dev: exampleConfig("dev"), sandbox });
    expect(Object.keys(synthEnvironments(dir)).sort()).toEqual([
      "dev",
      "dev-bootstrap",
      "sandbox",
      "sandbox-bootstrap",
    ]);
    expect(environmentJson("sandbox", dir).provider.aws[0].allowed_account_ids).toEqual(["444444444444"]);
  });

  it("owns its account's API Gateway CloudWatch logging role exactly once, with or without an api section", () => {
    const withApi = environmentJson("dev");
    expect(Object.keys(withApi.resource.aws_api_gateway_account)).toHaveLength(1);
    const stage = Object.values(withApi.resource.aws_api_gateway_stage)[0] as Record<string, any>;
    expect(stage.depends_on).toEqual([
      expect.stringMatching(/^aws_api_gateway_account\./),
      expect.stringMatching(/^aws_cloudwatch_log_group\./),
    ]);
    const noApi = exampleConfig("dev");
    delete noApi.api;
    const json = environmentJson("dev", writeEnvDir({ dev: noApi }));
    expect(Object.keys(json.resource.aws_api_gateway_account)).toHaveLength(1);
    expect(json.resource.aws_api_gateway_rest_api).toBeUndefined();
  });

  it.each(Object.keys(ENVS))(
    "%s: alarm topic is KMS-encrypted and only CloudWatch alarms of the account may publish",
    (name) => {
      const json = environmentJson(name);
      const topic = Object.values(json.resource.aws_sns_topic)[0];
      expect(topic.name).toBe(`${name}-platform-alarms`);
      expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
      const key = Object.values(json.resource.aws_kms_key)[0];
      expect(key.enable_key_rotation).toBe(true);
      const policy = JSON.parse(Object.values(json.resource.aws_sns_topic_policy)[0].policy);
      const allow = policy.Statement.find((s: any) => s.Effect === "Allow");
      expect(allow.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
      expect(allow.Condition.StringEquals["aws:SourceAccount"]).toMatch(/aws_caller_identity/);
      expect(Object.values(json.resource.aws_sns_topic_subscription)).toEqual([
        expect.objectContaining({ protocol: "email", endpoint: `platform-oncall+${name}@example.com` }),
      ]);
    },
  );
});
