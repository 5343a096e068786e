/** Saga, proven on the synthesized Terraform JSON: the state machine, its role, key, logs, queue and alarms. */
import { Saga, type SagaProps } from "../../../modules/saga/saga";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, one } from "../api/fixtures";
import { ORDER_FULFILMENT } from "./fixtures";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:team-alarms";
const props = (over: Partial<SagaProps> = {}): SagaProps => ({
  name: "order-fulfilment",
  steps: ORDER_FULFILMENT,
  alarmTopicArn: TOPIC,
  ...over,
});
const synth = (p: SagaProps): TerraformJson => JSON.parse(synthScratch((s) => new Saga(s, "saga", p)));
function problems(p: unknown): string[] {
  try {
    synth(p as SagaProps);
  } catch (err) {
    expect(err).toBeInstanceOf(PropsError);
    return [...(err as PropsError).problems];
  }
  throw new Error("expected a PropsError");
}

const json = synth(props());
const machine = one(json, "aws_sfn_state_machine");
const fn = (n: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${n}`;

describe("Saga", () => {
  it("is a STANDARD state machine, encrypted with its customer key, logging ERROR without execution data, traced", () => {
    expect(machine).toMatchObject({
      name: "order-fulfilment",
      type: "STANDARD",
      encryption_configuration: {
        type: "CUSTOMER_MANAGED_KMS_KEY",
        kms_key_id: expect.stringMatching(/aws_kms_key\./),
      },
      logging_configuration: {
        level: "ERROR",
        include_execution_data: false,
        log_destination: expect.stringMatching(/aws_cloudwatch_log_group\..*\.arn\}:\*$/),
      },
      tracing_configuration: { enabled: true },
    });
    expect(JSON.parse(machine.definition).StartAt).toBe("Begin");
    expect(one(json, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/vendedlogs/states/order-fulfilment",
      kms_key_id: expect.stringMatching(/aws_kms_key\./),
    });
  });

  it("its role holds exactly the steps' invokes on their functions, the needs-a-human send, its key, log delivery and X-Ray", () => {
    const statements = JSON.parse(one(json, "aws_iam_role_policy").policy).Statement;
    const invoked = ["reserve-stock", "release-stock", "take-payment", "refund-payment", "request-shipment"];
    expect(statements[0]).toEqual({
      Sid: "SagaTasks0",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: invoked.flatMap((n) => [fn(n), `${fn(n)}:*`]),
    });
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual([
      "SagaTasks0",
      "NeedsAHuman",
      "UseTheSagaKey",
      "DeliverLogs",
      "Tracing",
    ]);
    expect(JSON.parse(one(json, "aws_iam_role").assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: "states.amazonaws.com" },
      Condition: { ArnLike: { "aws:SourceArn": expect.stringMatching(/:stateMachine:order-fulfilment$/) } },
    });
  });

  it("an encrypted needs-a-human queue only the role may send to; alarms on executions and the queue", () => {
    expect(one(json, "aws_sqs_queue")).toMatchObject({
      name: "order-fulfilment-needs-a-human",
      kms_master_key_id: expect.stringMatching(/aws_kms_key/),
    });
    expect(
      all(json, "aws_cloudwatch_metric_alarm")
        .map((a) => a.alarm_name)
        .sort(),
    ).toEqual(
      [
        "order-fulfilment-saga-ExecutionThrottled",
        "order-fulfilment-saga-ExecutionsAborted",
        "order-fulfilment-saga-ExecutionsFailed",
        "order-fulfilment-saga-ExecutionsTimedOut",
        "order-fulfilment-needs-a-human-oldest-message-age",
        "order-fulfilment-needs-a-human-visible-messages",
      ].sort(),
    );
  });

  it("other task kinds are granted exactly: DynamoDB on its table, SQS on its queue, PutEvents on its bus", () => {
    const j = synth(
      props({
        steps: [
          {
            name: "Record",
            action: {
              kind: "dynamodb",
              action: "PutItem",
              tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
              parameters: { Item: { id: { "S.$": "$.input.orderId" } } },
            },
            compensation: {
              kind: "dynamodb",
              action: "UpdateItem",
              tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
              parameters: {
                Key: { id: { "S.$": "$.input.orderId" } },
                UpdateExpression: "SET cancelled = :t",
                ExpressionAttributeValues: { ":t": { BOOL: true } },
              },
            },
          },
          {
            name: "Tell",
            action: {
              kind: "eventbridge",
              busArn: "arn:aws:events:eu-west-1:123456789012:event-bus/shop",
              detailType: "order.recorded",
              source: "acme.orders",
            },
          },
        ],
      }),
    );
    const statements = JSON.parse(one(j, "aws_iam_role_policy").policy).Statement;
    expect(statements.slice(0, 3)).toEqual([
      {
        Sid: "SagaTasks0",
        Effect: "Allow",
        Action: ["dynamodb:PutItem"],
        Resource: ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"],
      },
      {
        Sid: "SagaTasks1",
        Effect: "Allow",
        Action: ["dynamodb:UpdateItem"],
        Resource: ["arn:aws:dynamodb:eu-west-1:123456789012:table/orders"],
      },
      {
        Sid: "SagaTasks2",
        Effect: "Allow",
        Action: ["events:PutEvents"],
        Resource: ["arn:aws:events:eu-west-1:123456789012:event-bus/shop"],
      },
    ]);
  });

  it("refuses what the saga could not honour, every problem at once with its path", () => {
    const bad = problems(
      props({
        name: "Order_Fulfilment",
        steps: [
          { ...ORDER_FULFILMENT[0], heartbeatSeconds: 30, retry: { errors: ["Stock.OutOfStock"] } },
          { ...ORDER_FULFILMENT[1], name: "reserve-STOCK" },
          { ...ORDER_FULFILMENT[1], name: "Undo payment" },
          { ...ORDER_FULFILMENT[2], heartbeatSeconds: 3600, compensation: ORDER_FULFILMENT[0].compensation },
        ],
      }),
    );
    const rules = problems(
      props({
        steps: [
          { ...ORDER_FULFILMENT[0], heartbeatSeconds: 30, retry: { errors: ["Stock.OutOfStock"] } },
          { ...ORDER_FULFILMENT[1], name: "reserve-STOCK" },
          { ...ORDER_FULFILMENT[1], name: "Undo payment" },
          { ...ORDER_FULFILMENT[2], heartbeatSeconds: 3600, compensation: ORDER_FULFILMENT[0].compensation },
        ],
      }),
    );
    expect(rules).toEqual([
      "steps.0.heartbeatSeconds: expected a heartbeat only on an action that waits for a task token",
      "steps.0.nonRetryableErrors: Stock.OutOfStock is also in retry.errors: a non-retryable error is never retried",
      'steps.1.name: "reserve-STOCK" is also steps[0]\'s name: state names must be unique',
      expect.stringMatching(
        /^steps\.2\.name: "Undo payment" is a name the saga's own states use \(Begin, Done, .*"Undo "/,
      ),
      "steps.3.heartbeatSeconds: expected less than the step's timeout (3600 s)",
      "steps.3.compensation: the last step's compensation never runs (no step after it can fail): remove it",
    ]);
    // A bad name too: reported with the rules, not instead of them.
    expect(bad[0]).toBe("name: expected 1-40 lowercase letters, digits and '-', got \"Order_Fulfilment\"");
  });
});
