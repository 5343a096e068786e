/** Outbox, proven on the synthesized Terraform JSON: table and stream, pipes, role, DLQ, alarms, propagation wait. */
import { Outbox, type OutboxProps } from "../../../modules/outbox/outbox";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { existingTableRef } from "../../../modules/outbox/state-table";
import { all, one } from "../api/fixtures";
import { BUS_ARN, outboxProps, TOPIC } from "./fixtures";

function synth(p: OutboxProps): TerraformJson {
  return JSON.parse(synthScratch((stack) => new Outbox(stack, "outbox", p)));
}

function propsErrors(p: unknown): string[] {
  try {
    synth(p as OutboxProps);
  } catch (err) {
    expect(err).toBeInstanceOf(PropsError);
    return [...(err as PropsError).problems];
  }
  throw new Error("expected a PropsError");
}

const json = synth(outboxProps());
const pipes = all(json, "aws_pipes_pipe");
const placed = one(json, "aws_pipes_pipe", (p) => p.name === "shop-orders-placed");

describe("Outbox", () => {
  it("creates the state table with its stream (both images), PITR, the outbox's key and deletion protection", () => {
    expect(one(json, "aws_dynamodb_table")).toMatchObject({
      name: "shop-orders-state",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "orderId",
      stream_enabled: true,
      stream_view_type: "NEW_AND_OLD_IMAGES",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true, kms_key_arn: expect.stringMatching(/aws_kms_key\..*\.arn/) },
      deletion_protection_enabled: true,
    });
    expect(one(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  it("one pipe per event, stream to bus, bounded retries and record age, bisect, DLQ, key, ERROR logs without data", () => {
    expect(pipes.map((p) => p.name).sort()).toEqual(["shop-orders-cancelled", "shop-orders-placed"]);
    expect(placed).toMatchObject({
      source: expect.stringMatching(/aws_dynamodb_table\..*\.stream_arn/),
      target: BUS_ARN,
      desired_state: "RUNNING",
      kms_key_identifier: expect.stringMatching(/aws_kms_key\..*\.arn/),
      source_parameters: {
        dynamodb_stream_parameters: {
          starting_position: "TRIM_HORIZON",
          batch_size: 10,
          maximum_batching_window_in_seconds: 1,
          maximum_retry_attempts: 10,
          maximum_record_age_in_seconds: 21600,
          on_partial_batch_item_failure: "AUTOMATIC_BISECT",
          parallelization_factor: 1,
          dead_letter_config: { arn: expect.stringMatching(/aws_sqs_queue\..*\.arn/) },
        },
      },
      target_parameters: { eventbridge_event_bus_parameters: { detail_type: "order.placed", source: "acme.orders" } },
      log_configuration: { level: "ERROR", cloudwatch_logs_log_destination: { log_group_arn: expect.any(String) } },
    });
    expect(placed.log_configuration.include_execution_data).toBeUndefined();
  });

  it("renders the declared mapping into the pipe's filter and template", () => {
    const pattern = JSON.parse(placed.source_parameters.filter_criteria.filter[0].pattern);
    expect(pattern).toEqual({
      eventName: ["INSERT"],
      dynamodb: {
        NewImage: {
          entity: { S: ["order"] },
          orderId: { S: [{ exists: true }] },
          total: { N: [{ exists: true }] },
          express: { BOOL: [{ exists: true }] },
          skus: { SS: [{ exists: true }] },
          address: { M: { city: { S: [{ exists: true }] } } },
        },
      },
    });
    expect(placed.target_parameters.input_template).toBe(
      '{"orderId": "<$.dynamodb.NewImage.orderId.S>", "total": "<$.dynamodb.NewImage.total.N>", "express": <$.dynamodb.NewImage.express.BOOL>, "skus": <$.dynamodb.NewImage.skus.SS>, "city": "<$.dynamodb.NewImage.address.M.city.S>", "outbox": {"eventId": "<$.eventID>", "eventName": "<$.eventName>", "sequenceNumber": "<$.dynamodb.SequenceNumber>"}}',
    );
  });

  it("the pipes' role holds exactly the stream reads on that stream, PutEvents on that bus, send on its DLQ, its key and logs", () => {
    const role = one(json, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: "pipes.amazonaws.com" },
      Condition: { ArnLike: { "aws:SourceArn": expect.stringContaining(":pipe/shop-orders-*") } },
    });
    const statements = JSON.parse(one(json, "aws_iam_role_policy").policy).Statement;
    expect(
      statements.map((s: { Sid: string; Action: string[]; Resource: string }) => [s.Sid, s.Action, s.Resource]),
    ).toEqual([
      [
        "ReadTheStream",
        ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
        expect.stringMatching(/stream_arn/),
      ],
      ["ListStreams", ["dynamodb:ListStreams"], "*"],
      ["PutOnTheBus", ["events:PutEvents"], BUS_ARN],
      ["SendFailures", ["sqs:SendMessage"], expect.stringMatching(/aws_sqs_queue\..*\.arn/)],
      [
        "UseTheOutboxKey",
        ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        expect.stringMatching(/aws_kms_key/),
      ],
      [
        "WriteTheLogs",
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn\}:\*$/),
      ],
    ]);
  });

  it("creates every pipe only after its role's policy has propagated (time_sleep, provider issue #40572)", () => {
    const sleep = Object.entries(json.resource.time_sleep ?? {});
    expect(sleep).toHaveLength(1);
    const [name, body] = sleep[0] as [string, Record<string, any>];
    expect(body.create_duration).toBe("120s");
    expect(body.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_iam_role_policy\./),
        expect.stringMatching(/^aws_dynamodb_table\./),
      ]),
    );
    expect(body.triggers.policy).toMatch(/aws_iam_role_policy\..*\.policy/);
    for (const p of pipes) expect(p.depends_on).toEqual([`time_sleep.${name}`]);
    expect((json as any).terraform.required_providers.time).toEqual({ source: "hashicorp/time", version: "0.13.1" });
  });

  it("an encrypted DLQ only the pipes' role may send to, and alarms on every pipe and the DLQ", () => {
    expect(one(json, "aws_sqs_queue")).toMatchObject({
      name: "shop-orders-pipe-dlq",
      message_retention_seconds: 1209600,
    });
    expect(one(json, "aws_sqs_queue").kms_master_key_id).toMatch(/aws_kms_key/);
    const policy = JSON.parse(one(json, "aws_sqs_queue_policy").policy);
    expect(policy.Statement[0]).toMatchObject({
      Effect: "Deny",
      Action: "sqs:SendMessage",
      Condition: { ArnNotEquals: {} },
    });
    const alarms = all(json, "aws_cloudwatch_metric_alarm");
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual(
      [
        ...["ExecutionFailed", "ExecutionThrottled", "ExecutionTimeout", "TargetStageFailed"].flatMap((m) => [
          `shop-orders-cancelled-${m}`,
          `shop-orders-placed-${m}`,
        ]),
        "shop-orders-pipe-dlq-oldest-message-age",
        "shop-orders-pipe-dlq-visible-messages",
      ].sort(),
    );
    for (const a of alarms) expect(a.alarm_actions).toEqual([TOPIC]);
  });

  it("an existing table by ARN: no table, no key of the module's when one is given, its stream key decrypted through DynamoDB", () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555";
    const stream = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000";
    const j = synth(
      outboxProps({
        kmsKeyArn: key,
        table: {
          kind: "existing",
          arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
          streamArn: stream,
          streamViewType: "NEW_AND_OLD_IMAGES",
          kmsKeyArn: key,
        },
      }),
    );
    expect(all(j, "aws_dynamodb_table")).toEqual([]);
    expect(all(j, "aws_kms_key")).toEqual([]);
    expect(all(j, "aws_pipes_pipe").map((p) => p.source)).toEqual([stream, stream]);
    const decrypt = JSON.parse(one(j, "aws_iam_role_policy").policy).Statement.find(
      (s: { Sid: string }) => s.Sid === "UseTheOutboxKey",
    );
    expect(decrypt.Resource).toBe(key);
    expect(
      existingTableRef({
        kind: "existing",
        arn: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
        streamArn: stream,
        streamViewType: "NEW_IMAGE",
      }).tableName,
    ).toBe("orders");
  });

  it("refuses what would lose or silently drop events, every problem at once with its path", () => {
    const problems = propsErrors(
      outboxProps({
        name: "Shop_Orders",
        maximumRetryAttempts: -1,
        maximumRecordAgeSeconds: 86400,
        events: {
          a: { ...outboxPropsEvent(), fields: { outbox: { path: "NewImage.x", type: "S" } } },
          c: { ...outboxPropsEvent(), fields: { items: { path: "NewImage.items", type: "L" as never } } },
        },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^name: expected 1-40 lowercase/),
      expect.stringMatching(/^events\.a\.fields\.outbox: .*holds the record's identity/),
      expect.stringMatching(
        /^events\.c\.fields\.items\.type: expected one of "S", "N", "B", "BOOL", "SS", "NS", "BS", got "L"/,
      ),
      expect.stringMatching(/^maximumRetryAttempts: expected a number >= 0/),
      expect.stringMatching(/^maximumRecordAgeSeconds: expected a number <= 82800/),
    ]);
  });

  it("refuses fields on images the records lack, too many pipes for one stream, an alarm too late to redrive", () => {
    const problems = propsErrors(
      outboxProps({
        maximumRecordAgeSeconds: 82800,
        table: { kind: "new", partitionKey: { name: "orderId" }, streamViewType: "NEW_IMAGE" },
        events: {
          a: { ...outboxPropsEvent(), fields: {} },
          b: { ...outboxPropsEvent(), fields: { old: { path: "OldImage.status", type: "S" } } },
          c: { ...outboxPropsEvent(), eventNames: ["REMOVE"], fields: { id: { path: "NewImage.id", type: "S" } } },
        },
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^events: expected 1 to 2 events .* got 3/),
      "events.a.fields: expected at least one field",
      "events.b.fields.old.path: the stream's view type NEW_IMAGE holds no OldImage",
      "events.b.fields.old.path: INSERT records have no OldImage: read Keys or another image",
      "events.c.fields.id.path: REMOVE records have no NewImage: read Keys or another image",
      expect.stringMatching(
        /^dlqOldestMessageAgeAlarmSeconds: expected maximumRecordAgeSeconds \(82800\) \+ dlqOldestMessageAgeAlarmSeconds \(3600\) under the stream's 86400 s retention/,
      ),
    ]);
  });
});

function outboxPropsEvent() {
  return { detailType: "x.happened", source: "acme.x", eventNames: ["INSERT" as const], fields: {} };
}
