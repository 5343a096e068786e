import { readPolicy } from "../../policy/policy-document";
import { block, interpolations, referencesIn, StackView } from "../../policy/terraform-json";

describe("Terraform JSON helpers", () => {
  it("finds resource and data references inside ${...}, nested functions included", () => {
    expect(interpolations('a${aws_sqs_queue.q.arn}b${jsonencode({x = "${aws_sqs_queue.r.url}"})}')).toEqual([
      "aws_sqs_queue.q.arn",
      'jsonencode({x = "${aws_sqs_queue.r.url}"})',
    ]);
    expect(
      referencesIn([
        "x",
        { k: "arn:${data.aws_partition.p-1_AB.partition}:sqs:${element(aws_sqs_queue.dlq_1A2B.*.arn, 0)}" },
      ]),
    ).toEqual([
      { mode: "data", type: "aws_partition", name: "p-1_AB", attribute: "partition" },
      { mode: "resource", type: "aws_sqs_queue", name: "dlq_1A2B", attribute: undefined },
    ]);
    expect(referencesIn("${var.queue_arn} ${local.x.y} plain aws_sqs_queue.q.arn")).toEqual([]);
  });

  it("reads a nested block whether cdktf wrote an object or a list", () => {
    expect(block([{ mode: "Active" }])).toEqual({ mode: "Active" });
    expect(block({ mode: "Active" })).toEqual({ mode: "Active" });
    expect(block([])).toBeUndefined();
  });

  it("resolves references to the resources of the stack", () => {
    const stack = new StackView("s", { resource: { aws_sqs_queue: { a: { name: "a" }, b: { name: "b" } } } });
    expect(stack.referenced("${aws_sqs_queue.b.arn}").map((r) => r.address)).toEqual(["aws_sqs_queue.b"]);
    expect(stack.refersTo("${aws_sqs_queue.b.url}", stack.resources("aws_sqs_queue")[1], ["arn"])).toBe(false);
  });

  it("reads policies from JSON and from aws_iam_policy_document data sources (source documents included)", () => {
    const stack = new StackView("s", {
      data: {
        aws_iam_policy_document: {
          base: { statement: [{ sid: "Base", actions: ["sqs:SendMessage"], resources: ["*"] }] },
          doc: {
            source_policy_documents: ["${data.aws_iam_policy_document.base.json}"],
            statement: [
              {
                effect: "Deny",
                principals: [{ type: "*", identifiers: ["*"] }],
                actions: ["sqs:*"],
                condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
              },
            ],
          },
        },
      },
    });
    const doc = readPolicy(stack, "${data.aws_iam_policy_document.doc.json}");
    expect(doc.readable && doc.statements.map((s) => [s.sid, s.effect, s.actions, s.principals, s.conditions])).toEqual(
      [
        ["Base", "Allow", ["sqs:SendMessage"], [], []],
        [
          undefined,
          "Deny",
          ["sqs:*"],
          [{ type: "*", ids: ["*"] }],
          [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        ],
      ],
    );
    const json = readPolicy(
      stack,
      JSON.stringify({
        Statement: {
          Effect: "Allow",
          Principal: { Service: ["events.amazonaws.com"] },
          Action: "sqs:SendMessage",
          Condition: { ArnEquals: { "aws:SourceArn": ["a", "b"] } },
        },
      }),
    );
    expect(json.readable && json.statements[0]).toMatchObject({
      principals: [{ type: "Service", ids: ["events.amazonaws.com"] }],
      conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: ["a", "b"] }],
    });
    expect(readPolicy(stack, "${data.aws_iam_policy_document.missing.json}")).toEqual({
      readable: false,
      problem: "refers to data.aws_iam_policy_document.missing, which is not in this stack",
    });
    expect(readPolicy(stack, "{not json")).toEqual({ readable: false, problem: "policy is not valid JSON" });
  });
});
