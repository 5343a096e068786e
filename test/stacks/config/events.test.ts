import { formatProblem } from "../../../stacks/config/errors";
import { loadEnvironments } from "../../../stacks/config/load";
import { FIXTURE_ENV_DIR, configProblemsOf, exampleConfig, setPath, writeEnvDir } from "../../helpers/env-fixtures";

const problemsOf = configProblemsOf;

const ORDERS = "events.rules.0.targets.0"; // prod: orders (sqs)
const PARTNER = "events.rules.0.targets.1"; // prod: partner-orders (event-bus)
const CANCEL = "events.rules.1.targets.0"; // prod: cancel-order (lambda)

/** One bad edit of the prod example: [case, path to set, value, field path expected in the error, text expected]. */
const BAD_CASES: Array<[string, string, unknown, string, RegExp]> = [
  [
    "retry attempts above 185",
    "events.defaults.retryPolicy.maximumRetryAttempts",
    186,
    "events.defaults.retryPolicy.maximumRetryAttempts",
    /expected a number <= 185, got 186/,
  ],
  [
    "retry attempts below 0",
    `${ORDERS}.retryPolicy`,
    { maximumRetryAttempts: -1 },
    "events.rules[0].targets[0].retryPolicy.maximumRetryAttempts",
    /expected a number >= 0, got -1/,
  ],
  [
    "retry attempts not an integer",
    `${CANCEL}.retryPolicy.maximumRetryAttempts`,
    2.5,
    "events.rules[1].targets[0].retryPolicy.maximumRetryAttempts",
    /expected an integer, got 2.5/,
  ],
  [
    "event age below 60 s",
    `${ORDERS}.retryPolicy`,
    { maximumEventAgeInSeconds: 59 },
    "events.rules[0].targets[0].retryPolicy.maximumEventAgeInSeconds",
    /expected a number >= 60, got 59/,
  ],
  [
    "event age above 24 h",
    "events.defaults.retryPolicy.maximumEventAgeInSeconds",
    86401,
    "events.defaults.retryPolicy.maximumEventAgeInSeconds",
    /expected a number <= 86400, got 86401/,
  ],
  [
    "no default retry policy",
    "events.defaults.retryPolicy",
    undefined,
    "events.defaults.retryPolicy",
    /required field is missing/,
  ],
  [
    "retry policy on an event-bus target",
    `${PARTNER}.retryPolicy`,
    { maximumRetryAttempts: 3 },
    "events.rules[0].targets[1].retryPolicy",
    /event-bus targets take no retry policy/,
  ],
  [
    "input transformer on an event-bus target",
    `${PARTNER}.inputTransformer`,
    { inputTemplate: "x" },
    "events.rules[0].targets[1].inputTransformer",
    /event-bus targets take no input transformer/,
  ],
  [
    "FIFO DLQ",
    `${ORDERS}.deadLetterQueue`,
    { existingQueue: { arn: "arn:aws:sqs:eu-west-1:333333333333:orders-dlq.fifo" } },
    "events.rules[0].targets[0].deadLetterQueue.existingQueue.arn",
    /expected a standard queue: EventBridge cannot dead-letter to a FIFO queue/,
  ],
  [
    "DLQ in another region",
    `${ORDERS}.deadLetterQueue`,
    { existingQueue: { arn: "arn:aws:sqs:us-east-1:333333333333:orders-dlq" } },
    "events.rules[0].targets[0].deadLetterQueue.existingQueue.arn",
    /^expected a queue in the rule's region eu-west-1, got one in us-east-1$/,
  ],
  [
    "DLQ in another account",
    `${ORDERS}.deadLetterQueue`,
    { existingQueue: { arn: "arn:aws:sqs:eu-west-1:999999999999:orders-dlq" } },
    "events.rules[0].targets[0].deadLetterQueue.existingQueue.arn",
    /^expected a queue in account 333333333333, got one in 999999999999$/,
  ],
  [
    "DLQ ARN not an SQS ARN",
    `${ORDERS}.deadLetterQueue`,
    { existingQueue: { arn: "arn:aws:sns:eu-west-1:333333333333:orders" } },
    "events.rules[0].targets[0].deadLetterQueue.existingQueue.arn",
    /expected an SQS queue ARN/,
  ],
  [
    "encryption on an existing DLQ",
    `${ORDERS}.deadLetterQueue`,
    { encryption: "kms", existingQueue: { arn: "arn:aws:sqs:eu-west-1:333333333333:orders-dlq" } },
    "events.rules[0].targets[0].deadLetterQueue.encryption",
    /applies only to a DLQ the module creates/,
  ],
  [
    "two targets with the same name",
    `${CANCEL}.name`,
    "orders",
    "events.rules[1].targets[0].name",
    /unique target name, "orders" is also rules\[0\]\.targets\[0\]\.name/,
  ],
  [
    "an SQS target named like another target's queue",
    CANCEL,
    { kind: "sqs", name: "orders-dlq" },
    "events.rules[1].targets[0].name",
    /queue "<prefix>-orders-dlq" is also created for rules\[0\]\.targets\[0\]/,
  ],
  [
    "two rules with the same name",
    "events.rules.1.name",
    "order-placed",
    "events.rules[1].name",
    /unique rule name, "order-placed" is also rules\[0\]\.name/,
  ],
  [
    "event pattern not valid JSON",
    "events.rules.0.eventPattern",
    '{"source": ["acme.orders"]',
    "events.rules[0].eventPattern",
    /expected valid JSON/,
  ],
  [
    "event pattern field not an array",
    "events.rules.0.eventPattern",
    { source: "acme.orders" },
    "events.rules[0].eventPattern",
    /"source" to be an array of match values/,
  ],
  ["event pattern empty", "events.rules.0.eventPattern", {}, "events.rules[0].eventPattern", /at least one field/],
  [
    "event pattern missing",
    "events.rules.0.eventPattern",
    undefined,
    "events.rules[0].eventPattern",
    /required field is missing/,
  ],
  [
    "unknown target kind",
    `${ORDERS}.kind`,
    "sns",
    "events.rules[0].targets[0].kind",
    /^expected one of "sqs", "lambda", "event-bus", "step-functions", got "sns"$/,
  ],
  [
    "Lambda ARN in another account",
    `${CANCEL}.functionArn`,
    "arn:aws:lambda:eu-west-1:999999999999:function:cancel-order",
    "events.rules[1].targets[0].functionArn",
    /in account 333333333333/,
  ],
  [
    "Lambda ARN in another region",
    `${CANCEL}.functionArn`,
    "arn:aws:lambda:us-west-2:333333333333:function:cancel-order",
    "events.rules[1].targets[0].functionArn",
    /region eu-west-1/,
  ],
  [
    "both functionArn and functionName",
    `${CANCEL}.functionName`,
    "cancel-order",
    "events.rules[1].targets[0].functionArn",
    /exactly one of functionArn and functionName/,
  ],
  [
    "neither functionArn nor functionName",
    `${CANCEL}.functionArn`,
    undefined,
    "events.rules[1].targets[0].functionArn",
    /exactly one of functionArn and functionName/,
  ],
  [
    "malformed Lambda ARN",
    `${CANCEL}.functionArn`,
    "cancel-order",
    "events.rules[1].targets[0].functionArn",
    /Lambda function ARN/,
  ],
  [
    "malformed event bus ARN",
    `${PARTNER}.eventBusArn`,
    "arn:aws:events:eu-west-1:555555555555:rule/x",
    "events.rules[0].targets[1].eventBusArn",
    /event bus ARN/,
  ],
  ["target name with capitals", `${ORDERS}.name`, "Orders", "events.rules[0].targets[0].name", /lower-case letters/],
  ["no targets", "events.rules.1.targets", [], "events.rules[1].targets", /at least 1 item/],
  [
    "maxReceiveCount 0",
    `${ORDERS}.queue.maxReceiveCount`,
    0,
    "events.rules[0].targets[0].queue.maxReceiveCount",
    /expected a number >= 1, got 0/,
  ],
  [
    "unknown encryption",
    "events.defaults.encryption",
    "aes",
    "events.defaults.encryption",
    /expected one of "sqs-managed", "kms"/,
  ],
  ["unknown target field", `${ORDERS}.retries`, 3, "events.rules[0].targets[0].retries", /unknown field/],
  [
    "unknown bus kind",
    "events.bus",
    { kind: "partner" },
    "events.bus.kind",
    /^expected one of "custom", "default", "existing", got "partner"$/,
  ],
  [
    "custom bus named default",
    "events.bus",
    { kind: "custom", name: "default" },
    "events.bus.name",
    /for the default bus use/,
  ],
  [
    "negative archive retention",
    "events.archive.retentionDays",
    -1,
    "events.archive.retentionDays",
    /expected a number >= 0/,
  ],
  [
    "input path not a JSON path",
    `${CANCEL}.inputTransformer.inputPaths.orderId`,
    "detail.orderId",
    "events.rules[1].targets[0].inputTransformer.inputPaths.orderId",
    /JSON path starting with "\$"/,
  ],
  ["no events section", "events", undefined, "events", /required field is missing/],
  [
    "a Lambda target without asyncInvoke",
    CANCEL,
    { kind: "lambda", name: "cancel", functionName: "cancel" },
    "events.rules[1].targets[0].asyncInvoke",
    /^required field is missing: give executionRoleArn \(the module creates/,
  ],
  [
    "a Lambda target with both a role and another stack's destination",
    `${CANCEL}.asyncInvoke`,
    {
      executionRoleArn: "arn:aws:iam::333333333333:role/r",
      ownedByAnotherStack: { onFailureDestination: { arn: "arn:aws:sqs:eu-west-1:333333333333:q" } },
    },
    "events.rules[1].targets[0].asyncInvoke.executionRoleArn",
    /exactly one of executionRoleArn/,
  ],
  [
    "Lambda async retries above 2",
    `${CANCEL}.asyncInvoke`,
    { executionRoleArn: "arn:aws:iam::333333333333:role/r", maximumRetryAttempts: 3 },
    "events.rules[1].targets[0].asyncInvoke.maximumRetryAttempts",
    /expected a number <= 2, got 3/,
  ],
  [
    "Lambda async event age above 6 h",
    `${CANCEL}.asyncInvoke`,
    { executionRoleArn: "arn:aws:iam::333333333333:role/r", maximumEventAgeInSeconds: 21601 },
    "events.rules[1].targets[0].asyncInvoke.maximumEventAgeInSeconds",
    /expected a number <= 21600/,
  ],
  [
    "a function role in another account",
    `${CANCEL}.asyncInvoke`,
    { executionRoleArn: "arn:aws:iam::999999999999:role/r" },
    "events.rules[1].targets[0].asyncInvoke.executionRoleArn",
    /role in account 333333333333, got one in 999999999999/,
  ],
  [
    "another stack's on-failure destination in another account",
    `${CANCEL}.asyncInvoke`,
    { ownedByAnotherStack: { onFailureDestination: { arn: "arn:aws:sqs:eu-west-1:999999999999:q" } } },
    "events.rules[1].targets[0].asyncInvoke.ownedByAnotherStack.onFailureDestination.arn",
    /^expected a queue in account 333333333333, got one in 999999999999$/,
  ],
  [
    "retries set for a function another stack configures",
    `${CANCEL}.asyncInvoke`,
    {
      maximumRetryAttempts: 1,
      ownedByAnotherStack: { onFailureDestination: { arn: "arn:aws:sqs:eu-west-1:333333333333:q" } },
    },
    "events.rules[1].targets[0].asyncInvoke.maximumRetryAttempts",
    /applies only when the module configures the function/,
  ],
];

describe("events config", () => {
  it("accepts the example environments, every target kind in prod", () => {
    const envs = loadEnvironments(FIXTURE_ENV_DIR);
    const prod = envs.find((e) => e.name === "prod")!.config.events;
    expect(prod.rules.flatMap((r) => r.targets.map((t) => t.kind)).sort()).toEqual([
      "event-bus",
      "lambda",
      "sqs",
      "step-functions",
    ]);
    for (const env of envs)
      expect(env.config.events.defaults.retryPolicy).toEqual(
        expect.objectContaining({
          maximumRetryAttempts: expect.any(Number),
          maximumEventAgeInSeconds: expect.any(Number),
        }),
      );
  });

  it("documents each environment's own default retry policy", () => {
    const policies = Object.fromEntries(
      loadEnvironments(FIXTURE_ENV_DIR).map((e) => [e.name, e.config.events.defaults.retryPolicy]),
    );
    expect(policies).toEqual({
      dev: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 900 },
      staging: { maximumRetryAttempts: 12, maximumEventAgeInSeconds: 3600 },
      prod: { maximumRetryAttempts: 48, maximumEventAgeInSeconds: 14400 },
    });
  });

  it("fills documented defaults: custom bus, SQS-managed SSE, maxReceiveCount 5, DLQ age alarm 3600 s, no rules", () => {
    const dev = exampleConfig("dev");
    dev.events = { defaults: { retryPolicy: { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 60 } } };
    const [env] = loadEnvironments(writeEnvDir({ dev }));
    expect(env.config.events).toEqual({
      bus: { kind: "custom" },
      defaults: {
        retryPolicy: { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 60 },
        encryption: "sqs-managed",
        maxReceiveCount: 5,
      },
      alarms: { dlqOldestMessageAgeSeconds: 3600 },
      rules: [],
    });
  });

  it("accepts an event pattern as a JSON string, passed to the module as given (it writes compact JSON)", () => {
    const dev = setPath(exampleConfig("dev"), "events.rules.0.eventPattern", '{ "source": [ "acme.orders" ] }');
    const [env] = loadEnvironments(writeEnvDir({ dev }));
    expect(env.config.events.rules[0].eventPattern).toBe('{ "source": [ "acme.orders" ] }');
  });

  it("accepts an existing standard DLQ in the environment's region and account", () => {
    const prod = setPath(exampleConfig("prod"), `${ORDERS}.deadLetterQueue`, {
      existingQueue: { arn: "arn:aws:sqs:eu-west-1:333333333333:orders-dlq" },
    });
    expect(loadEnvironments(writeEnvDir({ prod }))).toHaveLength(1);
  });

  it.each(BAD_CASES)("%s: names the file and the field", (_case, path, value, field, text) => {
    const problems = problemsOf({ prod: setPath(exampleConfig("prod"), path, value) });
    expect(problems).toEqual([
      expect.objectContaining({ file: "prod.json", path: field, message: expect.stringMatching(text) }),
    ]);
    expect(formatProblem(problems[0])).toMatch(new RegExp(`^prod\\.json: ${field.replace(/[.[\]]/g, "\\$&")}: `));
  });

  it("reports a missing asyncInvoke together with the target's other problems", () => {
    const prod = setPath(exampleConfig("prod"), CANCEL, {
      kind: "lambda",
      name: "cancel",
      functionName: "cancel order",
    });
    expect(
      problemsOf({ prod })
        .map((p) => p.path)
        .sort(),
    ).toEqual(["events.rules[1].targets[0].asyncInvoke", "events.rules[1].targets[0].functionName"]);
  });

  it("rejects a malformed function name, naming the field", () => {
    const prod = exampleConfig("prod");
    setPath(prod, `${CANCEL}.functionArn`, undefined);
    setPath(prod, `${CANCEL}.functionName`, "cancel order");
    expect(problemsOf({ prod })).toEqual([
      expect.objectContaining({
        file: "prod.json",
        path: "events.rules[1].targets[0].functionName",
        message: expect.stringMatching(/function name of 1-64/),
      }),
    ]);
  });

  it("reports every events problem of a file at once", () => {
    const prod = exampleConfig("prod");
    setPath(prod, "events.defaults.retryPolicy.maximumRetryAttempts", 500);
    setPath(prod, `${PARTNER}.retryPolicy`, { maximumRetryAttempts: 1 });
    setPath(prod, "events.rules.1.eventPattern", "nope");
    expect(
      problemsOf({ prod })
        .map((p) => p.path)
        .sort(),
    ).toEqual([
      "events.defaults.retryPolicy.maximumRetryAttempts",
      "events.rules[0].targets[1].retryPolicy",
      "events.rules[1].eventPattern",
    ]);
  });
});
