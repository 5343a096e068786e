import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { foreignSequences, terraformLiteralStrings } from "../../../policy/rules/terraform-literals";
import { terraformLiteral } from "../../../modules/shared/terraform-literal";
import { finding, findings } from "../scratch";

describe("terraform-literal-strings", () => {
  it("fails a value Terraform would evaluate: a function call, a path, a directive, in a tag, a provider or a key", () => {
    const out = findings(terraformLiteralStrings, (s) => {
      new AwsProvider(s, "aws", { region: "eu-west-1", defaultTags: [{ tags: { owner: "${timestamp()}" } }] });
      new SqsQueue(s, "q", {
        name: "q",
        tags: { host: '${file("/etc/hostname")}', "%{ if x }": "y", cwd: "${path.cwd}" },
      });
    });
    expect(out).toEqual(
      [
        finding(
          terraformLiteralStrings,
          "aws_sqs_queue.q",
          'tags.<key> holds "%{ if x }", which Terraform would evaluate: a value meant as text (escape it as $${ or %%{, or remove it)',
        ),
        finding(
          terraformLiteralStrings,
          "aws_sqs_queue.q",
          'tags.cwd holds "${path.cwd}", which Terraform would evaluate: a value meant as text (escape it as $${ or %%{, or remove it)',
        ),
        finding(
          terraformLiteralStrings,
          "aws_sqs_queue.q",
          'tags.host holds "${file(\\"/etc/hostname\\")}", which Terraform would evaluate: a value meant as text (escape it as $${ or %%{, or remove it)',
        ),
        finding(
          terraformLiteralStrings,
          "provider.aws",
          'default_tags[0].tags.owner holds "${timestamp()}", which Terraform would evaluate: a value meant as text (escape it as $${ or %%{, or remove it)',
        ),
      ].sort((a, b) => a.address.localeCompare(b.address) || a.reason.localeCompare(b.reason)),
    );
  });

  it("passes references, jsonencode, escaped sequences, and $ or % alone", () => {
    const q = (s: any) => new SqsQueue(s, "other", { name: "other" });
    expect(
      findings(terraformLiteralStrings, (s) => {
        const other = q(s);
        new SqsQueue(s, "q", {
          name: "q",
          policy: `{"Resource":"${other.arn}"}`,
          tags: {
            vtl: terraformLiteral("MessageAttribute.${n}.Name %{x}"),
            money: "$5 or 50%",
            json: "${jsonencode({})}",
          },
        });
      }),
    ).toEqual([]);
    expect(foreignSequences("$${n} %%{x} ${data.aws_region.r.region} ${var.deploy_role_arn}")).toEqual([]);
  });
});
