import { EventRouting } from "../../../modules/events/event-routing";
import { EventsKey } from "../../../modules/events/events-key";
import { synthScratch, type TerraformJson } from "../../helpers/synth";

// Own fixture: one rule with a KMS-encrypted SQS target and a Lambda target whose DLQ is SQS-managed.
const json: TerraformJson = JSON.parse(
  synthScratch(
    (stack) =>
      new EventRouting(stack, "events", {
        namePrefix: "shop",
        alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:shop-alarms",
        region: "eu-west-1",
        accountId: "111111111111",
        rules: [
          {
            name: "paid",
            eventPattern: { source: ["shop.payments"] },
            targets: [
              { kind: "sqs", name: "invoices", queue: { encryption: "kms" }, deadLetterQueue: { encryption: "kms" } },
              {
                kind: "lambda",
                name: "notify",
                functionName: "notify",
                asyncInvoke: { executionRoleArn: "arn:aws:iam::111111111111:role/notify" },
              },
            ],
          },
        ],
      }),
  ),
);
const [[keyId, key]] = Object.entries<any>(json.resource.aws_kms_key);
const eventsStatement = JSON.parse(key.policy).Statement.find(
  (s: any) => s.Principal?.Service === "events.amazonaws.com",
);
const queues = Object.values<any>(json.resource.aws_sqs_queue);

describe("EventsKey: EventBridge may use the key only for the queues it encrypts", () => {
  it("scopes EventBridge by SQS's encryption context (on every SQS call to KMS), with no aws:SourceAccount/aws:SourceArn condition", () => {
    expect(Object.keys(eventsStatement.Condition)).toEqual(["StringEquals"]);
    expect(Object.keys(eventsStatement.Condition.StringEquals)).toEqual(["kms:EncryptionContext:aws:sqs:arn"]);
  });

  it("names exactly the KMS queues EventBridge sends to (target and delivery DLQ), each an ARN of a queue under this key", () => {
    const names = eventsStatement.Condition.StringEquals["kms:EncryptionContext:aws:sqs:arn"].map((arn: string) => {
      expect(arn).toMatch(
        /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:sqs:\$\{data\.aws_region\.[^}]+\.region\}:\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:/,
      );
      return arn.split(":").pop();
    });
    expect(names).toEqual(["shop-invoices", "shop-invoices-delivery-dlq"]);
    for (const name of names)
      expect(queues.find((q) => q.name === name)?.kms_master_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    // The consumers' DLQ is fed by SQS itself, and the Lambda target's DLQ is SQS-managed: neither is granted.
    expect(queues.find((q) => q.name === "shop-invoices-dlq")?.kms_master_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    expect(queues.find((q) => q.name === "shop-notify-delivery-dlq")?.sqs_managed_sse_enabled).toBe(true);
  });

  it("grants EventBridge nothing when no queue it sends to uses the key, and refuses values that are not SQS queue ARNs", () => {
    const only = JSON.parse(
      synthScratch((stack) => new EventsKey(stack, "key", { alias: "shop-events", queueArns: [] })),
    );
    const statements = JSON.parse(Object.values<any>(only.resource.aws_kms_key)[0].policy).Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(["AccountAdministersKey"]);
    expect(() =>
      synthScratch(
        (stack) =>
          new EventsKey(stack, "key", { alias: "shop-events", queueArns: ["arn:aws:sns:eu-west-1:111111111111:t"] }),
      ),
    ).toThrow(
      /queueArns\[0\]: expected an SQS queue ARN such as arn:aws:sqs:eu-west-1:123456789012:orders, got "arn:aws:sns:eu-west-1:111111111111:t"/,
    );
  });
});
