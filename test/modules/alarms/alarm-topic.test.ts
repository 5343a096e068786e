import { AlarmTopic } from "../../../modules/alarms/alarm-topic";
import { synthScratch, type TerraformJson } from "../../helpers/synth";

// Own fixture: one alarm topic in a scratch stack.
const json: TerraformJson = JSON.parse(
  synthScratch((stack) => new AlarmTopic(stack, "alarms", { name: "shop-alarms" })),
);
const [key] = Object.values<any>(json.resource.aws_kms_key);
const [topic] = Object.values<any>(json.resource.aws_sns_topic);
const cloudWatch = JSON.parse(key.policy).Statement.find(
  (s: any) => s.Principal?.Service === "cloudwatch.amazonaws.com",
);

describe("AlarmTopic: CloudWatch may use the topic's key only for this topic", () => {
  it("scopes CloudWatch by SNS's encryption context, the ARN of the topic the key encrypts; no aws:SourceAccount condition", () => {
    expect(cloudWatch.Condition).toEqual({
      StringEquals: {
        "kms:EncryptionContext:aws:sns:topicArn": expect.stringMatching(
          /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:sns:\$\{data\.aws_region\.[^}]+\.region\}:\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:shop-alarms$/,
        ),
      },
    });
    expect(topic).toMatchObject({
      name: "shop-alarms",
      kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/),
    });
  });

  it("keeps the topic policy: only this account's CloudWatch alarms may publish", () => {
    const policy = JSON.parse(Object.values<any>(json.resource.aws_sns_topic_policy)[0].policy);
    expect(policy.Statement[0].Condition).toMatchObject({
      StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) },
    });
  });
});
