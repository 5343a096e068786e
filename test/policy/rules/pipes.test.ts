import { IamRolePolicy } from "@cdktn/provider-aws/lib/iam-role-policy";
import type { PipesPipe } from "@cdktn/provider-aws/lib/pipes-pipe";
import type { TerraformStack } from "cdktn";
import { Outbox } from "../../../modules/outbox/outbox";
import { pipeRoleScoped, pipeStreamFailuresKept } from "../../../policy/rules/pipes";
import { outboxProps } from "../../modules/outbox/fixtures";
import { findings } from "../scratch";

/** The Outbox module's pipes, with `change` applied to the placed event's pipe (the other stays as built). */
function outbox(change: (pipe: PipesPipe, stack: TerraformStack, o: Outbox) => void = () => undefined) {
  return (s: TerraformStack) => {
    const o = new Outbox(s, "outbox", outboxProps());
    change(o.pipes.placed, s, o);
  };
}
const reasonsOf = (rule: typeof pipeRoleScoped, build: (s: TerraformStack) => void) =>
  findings(rule, build).map((f) => f.reason);

describe("pipe-stream-failures-kept", () => {
  it("passes the Outbox module's pipes", () => {
    expect(findings(pipeStreamFailuresKept, outbox())).toEqual([]);
  });

  it("fails a pipe without a DLQ, with infinite or default retries and age, without a key, with logging off", () => {
    const reasons = reasonsOf(
      pipeStreamFailuresKept,
      outbox((pipe) => {
        pipe.addOverride("source_parameters.dynamodb_stream_parameters.dead_letter_config", null);
        pipe.addOverride("source_parameters.dynamodb_stream_parameters.maximum_retry_attempts", -1);
        pipe.addOverride("source_parameters.dynamodb_stream_parameters.maximum_record_age_in_seconds", null);
        pipe.addOverride("kms_key_identifier", null);
        pipe.addOverride("log_configuration.level", "OFF");
      }),
    );
    expect(reasons).toEqual([
      "dead_letter_config.arn is not set: records the pipe gives up on are dropped",
      "maximum_retry_attempts is -1 (infinite): a poison record blocks its shard until it leaves the stream",
      "maximum_record_age_in_seconds is not set: the default -1 retries a failing record until it leaves the stream",
      "kms_key_identifier is not set: its filter and template rest under an AWS owned key",
      "log_configuration is missing or OFF: its failures leave no trace",
    ]);
  });
});

describe("pipe-role-scoped", () => {
  it("passes the Outbox module's role (two pipes sharing it, one source, bus and DLQ)", () => {
    expect(findings(pipeRoleScoped, outbox())).toEqual([]);
  });

  it("fails a role that reads another stream, puts on any bus or sends to another queue", () => {
    const reasons = reasonsOf(
      pipeRoleScoped,
      outbox((_pipe, s, o) => {
        new IamRolePolicy(s, "extra", {
          role: o.role.id,
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["dynamodb:GetRecords"],
                Resource: "arn:aws:dynamodb:eu-west-1:123456789012:table/other/stream/x",
              },
              { Effect: "Allow", Action: ["events:PutEvents"], Resource: "*" },
              {
                Effect: "Allow",
                Action: ["sqs:SendMessage"],
                Resource: "arn:aws:sqs:eu-west-1:123456789012:elsewhere",
              },
            ],
          }),
        });
      }),
    );
    // Reported once per pipe the role runs.
    expect([...new Set(reasons)]).toEqual([
      expect.stringMatching(
        /grants dynamodb:GetRecords on arn:aws:dynamodb:eu-west-1:123456789012:table\/other\/stream\/x, which is not this pipe's own$/,
      ),
      expect.stringMatching(/grants events:PutEvents on \*, which is not this pipe's own$/),
      expect.stringMatching(
        /grants sqs:SendMessage on arn:aws:sqs:eu-west-1:123456789012:elsewhere, which is not this pipe's own$/,
      ),
    ]);
    expect(reasons).toHaveLength(6);
  });
});
