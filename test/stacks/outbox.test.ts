/** The outbox in an environment's stack: the writer's grant, the redrive draining the pipes' DLQ, config errors. */
import { configProblemsOf, exampleConfig } from "../helpers/env-fixtures";
import { environmentJson } from "../helpers/synth";
import { ORDER_CANCELLED, ORDER_PLACED } from "../modules/outbox/fixtures";

function staging(outbox: Record<string, unknown>) {
  return { ...exampleConfig("staging"), outbox };
}
const OUTBOX = {
  name: "orders",
  table: { kind: "new", partitionKey: { name: "orderId" } },
  writers: ["orders"],
  events: { placed: ORDER_PLACED, cancelled: ORDER_CANCELLED },
};

// The fixture staging environment carries the example outbox (orders, the orders consumer its writer).
const json = environmentJson("staging");
const fns = Object.values(json.resource.aws_lambda_function) as any[];
const policies = Object.values(json.resource.aws_iam_role_policy) as any[];
const statementsOf = (name: string) =>
  JSON.parse(policies.find((p) => p.name === name).policy).Statement as {
    Sid: string;
    Action: string[];
    Resource: unknown;
  }[];

describe("outbox in the environment stack", () => {
  it("the writer consumer gets the table's name and exactly get/put/update on it", () => {
    const consumer = fns.find((f) => f.function_name === "staging-orders");
    expect(consumer.environment.variables.CONSUMER_STATE_TABLE).toMatch(/aws_dynamodb_table\.outbox_table.*\.name/);
    expect(statementsOf("staging-orders-consumer").find((s) => s.Sid === "WriteOutboxState")).toEqual({
      Sid: "WriteOutboxState",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
      Resource: expect.stringMatching(/aws_dynamodb_table\.outbox_table.*\.arn/),
    });
  });

  it("the redrive drains the pipes' DLQ, reads the pipes and the stream, and puts on the bus", () => {
    const redrive = fns.find((f) => f.function_name === "staging-redrive");
    expect(JSON.parse(redrive.environment.variables.REDRIVE_SOURCE_QUEUE_URLS)).toEqual(
      expect.arrayContaining([expect.stringMatching(/aws_sqs_queue\.outbox_dlq.*\.url/)]),
    );
    const s = statementsOf("staging-redrive-redrive");
    expect(s.find((x) => x.Sid === "DescribeOutboxPipes")?.Resource).toEqual([
      expect.stringMatching(/aws_pipes_pipe\.outbox_pipe-staging-orders-placed.*\.arn/),
      expect.stringMatching(/aws_pipes_pipe\.outbox_pipe-staging-orders-cancelled.*\.arn/),
    ]);
    expect(s.find((x) => x.Sid === "ReadOutboxStreams")?.Resource).toEqual([expect.stringMatching(/stream_arn/)]);
    expect(Object.keys(json.resource.aws_pipes_pipe)).toHaveLength(2);
  });

  it("a writer that is not a consumer, and a module rule, are named with their config paths", () => {
    const problems = configProblemsOf({
      staging: staging({ ...OUTBOX, writers: ["billing"], maximumRetryAttempts: -1 }),
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^outbox\.maximumRetryAttempts: expected a number >= 0/)]),
    );
    const writer = configProblemsOf({ staging: staging({ ...OUTBOX, writers: ["billing"] }) });
    expect(writer.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'outbox.writers[0]: "billing" is not a consumer of this environment (consumers: orders)',
    ]);
  });
});
