/** Props from a product team reach Terraform as literals: a template sequence is refused by the one props parser, tokens pass. */
import { RestApiFrontDoor } from "../../../modules/api/rest-api-front-door";
import { QueueConsumer } from "../../../modules/consumer/queue-consumer";
import { PropsError } from "../../../modules/shared/validation";
import { terraformLiteral } from "../../../modules/shared/terraform-literal";
import { synthScratch } from "../../helpers/synth";
import { demoProps, TEAM_TOPIC_ARN } from "../api/fixtures";

function problems(build: (stack: any) => void): string[] {
  try {
    synthScratch(build);
  } catch (err) {
    expect(err).toBeInstanceOf(PropsError);
    return [...(err as PropsError).problems];
  }
  throw new Error("expected a PropsError");
}

describe("template sequences in props", () => {
  it("RestApiFrontDoor: a description, a tag value and a tag key that Terraform would evaluate, each named", () => {
    const found = problems(
      (s) =>
        new RestApiFrontDoor(
          s,
          "api",
          demoProps({
            description: "orders ${timestamp()}",
            tags: { host: '${file("/etc/hostname")}', "%{x}": "y" },
          }),
        ),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^description: contains "\$\{", which Terraform would evaluate as an expression/),
        expect.stringMatching(/^tags\.host: contains "\$\{"/),
        expect.stringMatching(/^tags\.%\{x\}: key contains "%\{"/),
      ]),
    );
  });

  it("QueueConsumer: an environment variable value", () => {
    const found = problems(
      (s) =>
        new QueueConsumer(s, "c", {
          functionName: "orders-consumer",
          queue: {
            arn: "arn:aws:sqs:eu-west-1:123456789012:q",
            name: "q",
            visibilityTimeoutSeconds: 200,
            deadLetterQueueName: "q-dlq",
          },
          alarmTopicArn: TEAM_TOPIC_ARN,
          environment: { ORDERS_SERVICE_URL: "https://${var.host}/orders" },
        }),
    );
    expect(found).toEqual([expect.stringMatching(/^environment\.ORDERS_SERVICE_URL: contains "\$\{"/)]);
  });

  it("tokens (references between resources) pass, and terraformLiteral escapes text the modules mean literally", () => {
    expect(() =>
      synthScratch((s) => new RestApiFrontDoor(s, "api", demoProps({ description: "plain $5, 50% off" }))),
    ).not.toThrow();
    expect(terraformLiteral("a ${n} b %{x} c $5")).toBe("a $${n} b %%{x} c $5");
  });
});
