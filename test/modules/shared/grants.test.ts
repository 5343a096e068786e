import { AsyncRouteQueue } from "../../../modules/api/async-route-queue";
import { EventRouting } from "../../../modules/events/event-routing";
import { TargetQueue } from "../../../modules/events/target-queue";
import { Outbox } from "../../../modules/outbox/outbox";
import { outboxProps } from "../outbox/fixtures";
import { synthScratch, type TerraformJson } from "../../helpers/synth";

const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
const RULE = "arn:aws:events:eu-west-1:111111111111:rule/orders/placed";

/** The inline policies of a synthesized stack: role and parsed document, by policy name. */
function policies(build: Parameters<typeof synthScratch>[0]): Record<string, { role: string; doc: any }> {
  const json: TerraformJson = JSON.parse(synthScratch(build));
  return Object.fromEntries(
    Object.values<any>(json.resource.aws_iam_role_policy ?? {}).map((p) => [
      p.name,
      { role: p.role, doc: JSON.parse(p.policy) },
    ]),
  );
}

describe("grants on what the modules expose", () => {
  it("a target queue under the module key: its consumer role may receive, delete, hide and read it, and decrypt through SQS only", () => {
    const out = policies((s) => {
      const q = new TargetQueue(s, "orders", { name: "t-orders", ruleArn: RULE, encryption: "kms", kmsKeyArn: KEY });
      q.grantConsumeMessages("orders-worker");
    });
    const [name] = Object.keys(out);
    expect(name).toMatch(/^t-orders-consume-[0-9a-f]{8}$/);
    expect(out[name].role).toBe("orders-worker");
    expect(out[name].doc.Statement).toEqual([
      {
        Sid: "ConsumeMessages",
        Effect: "Allow",
        Action: [
          "sqs:ReceiveMessage",
          "sqs:DeleteMessage",
          "sqs:ChangeMessageVisibility",
          "sqs:GetQueueAttributes",
          "sqs:GetQueueUrl",
        ],
        Resource: expect.stringMatching(/^\$\{aws_sqs_queue\.orders_queue_[0-9A-F]+\.arn\}$/),
      },
      {
        Sid: "DecryptMessages",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: KEY,
        Condition: {
          // The stack's region and DNS suffix (data sources: the scratch stack names no literal region).
          StringEquals: {
            "kms:ViaService": expect.stringMatching(
              /^sqs\.\$\{data\.aws_region\.[^}]+\}\.\$\{data\.aws_partition\.[^}]+\}$/,
            ),
          },
        },
      },
    ]);
  });

  it("an async route's queue on SSE-SQS: a producer may send (no key to grant); two roles get two policies", () => {
    const out = policies((s) => {
      const q = new AsyncRouteQueue(s, "returns", { name: "shop-returns-post" });
      q.grantSendMessages("returns-api");
      q.grantConsumeMessages("returns-worker");
    });
    const send = Object.entries(out).find(([, p]) => p.role === "returns-api")!;
    expect(send[1].doc.Statement).toEqual([
      {
        Sid: "SendMessages",
        Effect: "Allow",
        Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
        Resource: expect.stringContaining("aws_sqs_queue."),
      },
    ]);
    expect(
      Object.values(out)
        .map((p) => p.role)
        .sort(),
    ).toEqual(["returns-api", "returns-worker"]);
  });

  it("the event bus: a role may put events on exactly that bus", () => {
    const out = policies((s) => {
      const routing = new EventRouting(s, "events", {
        namePrefix: "t",
        alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:alarms",
      });
      routing.grantPutEvents("orders-api");
    });
    expect(Object.values(out)).toEqual([
      {
        role: "orders-api",
        doc: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "PutEvents",
              Effect: "Allow",
              Action: ["events:PutEvents"],
              Resource: expect.stringMatching(/^\$\{aws_cloudwatch_event_bus\.events_bus_[0-9A-F]+\.arn\}$/),
            },
          ],
        },
      },
    ]);
  });

  it("an empty role name is refused, naming the queue", () => {
    expect(() =>
      policies((s) => new TargetQueue(s, "q", { name: "t-q", ruleArn: RULE }).grantConsumeMessages(" ")),
    ).toThrow('grant on t-q: expected a role name, got ""');
  });
});

describe("grants on an outbox's state table", () => {
  it("a writer may get, put, update, delete and condition-check items on exactly the table, and use its key through DynamoDB only", () => {
    const out = policies((s) => {
      const outbox = new Outbox(s, "outbox", outboxProps());
      outbox.grantWriteState("orders-writer");
      outbox.grantReadState("orders-reader");
    });
    const write = Object.values(out).find((p) => p.role === "orders-writer")!;
    expect(write.doc.Statement).toEqual([
      {
        Sid: "WriteItems",
        Effect: "Allow",
        Action: [
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:ConditionCheckItem",
        ],
        Resource: expect.stringMatching(/^\$\{aws_dynamodb_table\.outbox_table_[0-9A-F]+\.arn\}$/),
      },
      {
        Sid: "UseTableKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        Resource: expect.stringMatching(/^\$\{aws_kms_key\..+\.arn\}$/),
        Condition: { StringEquals: { "kms:ViaService": expect.stringMatching(/^dynamodb\.\$\{data\.aws_region\./) } },
      },
    ]);
    const read = Object.values(out).find((p) => p.role === "orders-reader")!;
    expect(read.doc.Statement[0].Action).toEqual([
      "dynamodb:GetItem",
      "dynamodb:BatchGetItem",
      "dynamodb:Query",
      "dynamodb:DescribeTable",
    ]);
    expect(read.doc.Statement[1].Action).toEqual(["kms:Decrypt"]);
  });

  it("refuses an empty role name", () => {
    expect(() => synthScratch((s) => new Outbox(s, "outbox", outboxProps()).grantWriteState(" "))).toThrow(
      /grant on .*: expected a role name, got ""/,
    );
  });
});
