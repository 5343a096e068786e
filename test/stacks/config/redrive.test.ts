import { loadEnvironments } from "../../../stacks/config/load";
import { FIXTURE_ENV_DIR, configProblemsOf, exampleConfig, setPath, writeEnvDir } from "../../helpers/env-fixtures";
import { synthEnvironments } from "../../helpers/synth";

const problemsOf = configProblemsOf;

const Q = "arn:aws:sqs:eu-west-1:333333333333:replays";

/** [case, path to set in prod.json, value, field path expected, message expected]. */
const BAD: Array<[string, string, unknown, string, RegExp]> = [
  ["concurrency 0", "redrive.concurrency", 0, "redrive.concurrency", /expected a number >= 1, got 0/],
  ["concurrency above 64", "redrive.concurrency", 65, "redrive.concurrency", /expected a number <= 64, got 65/],
  ["max redrives not an integer", "redrive.maxRedrives", 1.5, "redrive.maxRedrives", /expected an integer, got 1.5/],
  ["timeout below 60 s", "redrive.timeoutSeconds", 30, "redrive.timeoutSeconds", /expected a number >= 60, got 30/],
  [
    "log retention CloudWatch does not offer",
    "redrive.logRetentionDays",
    10,
    "redrive.logRetentionDays",
    /expected one of 1, 3, 5/,
  ],
  ["unknown field", "redrive.maxRedrive", 3, "redrive.maxRedrive", /unknown field/],
  [
    "schedule expression",
    "redrive.schedule",
    { expression: "hourly", errorCodes: ["TIMEOUT"] },
    "redrive.schedule.expression",
    /expected rate\(<n> <unit>\) or cron/,
  ],
  [
    "schedule without error codes",
    "redrive.schedule",
    { expression: "rate(1 hour)", errorCodes: [] },
    "redrive.schedule.errorCodes",
    /expected at least 1 item/,
  ],
  [
    "schedule error code malformed",
    "redrive.schedule",
    { expression: "rate(1 hour)", errorCodes: ["NOT OK"] },
    "redrive.schedule.errorCodes[0]",
    /expected an error code such as TIMEOUT, got "NOT OK"/,
  ],
  [
    "schedule above maxMessages",
    "redrive",
    { maxMessages: 100, schedule: { expression: "rate(1 hour)", errorCodes: ["TIMEOUT"], maxMessages: 500 } },
    "redrive.schedule.maxMessages",
    /expected at most maxMessages \(100\), got 500/,
  ],
  [
    "destination not an SQS ARN",
    "redrive.additionalDestinations",
    [{ queueArn: "arn:aws:sns:eu-west-1:333333333333:t" }],
    "redrive.additionalDestinations[0].queueArn",
    /expected an SQS queue ARN/,
  ],
  [
    "reserved concurrency 0 (disables the function)",
    "redrive.reservedConcurrency",
    0,
    "redrive.reservedConcurrency",
    /expected a number >= 1, got 0/,
  ],
  [
    "destination twice",
    "redrive.additionalDestinations",
    [{ queueArn: Q }, { queueArn: Q }],
    "redrive.additionalDestinations[1].queueArn",
    /already additionalDestinations\[0\]/,
  ],
];

describe("redrive config", () => {
  it("the example environments are valid", () => {
    expect(() => loadEnvironments(FIXTURE_ENV_DIR)).not.toThrow();
  });

  it.each(BAD)("%s: names env/prod.json and the field", (_, path, value, field, message) => {
    const prod = setPath(exampleConfig("prod"), path, value);
    const problems = problemsOf({ prod });
    expect(problems).toContainEqual({ file: "prod.json", path: field, message: expect.stringMatching(message) });
  });

  it("reports every problem of the section at once", () => {
    const prod = setPath(exampleConfig("prod"), "redrive", { concurrency: 0, rate: 0, memoryMb: 64 });
    expect(
      problemsOf({ prod })
        .map((p) => p.path)
        .sort(),
    ).toEqual(["redrive.concurrency", "redrive.memoryMb", "redrive.rate"]);
  });

  it("reservedConcurrency reaches the function; absent, it stays unset (the module's default: unreserved)", () => {
    const prod = setPath(exampleConfig("prod"), "redrive.reservedConcurrency", 3);
    const fn = Object.values<any>(
      JSON.parse(synthEnvironments(writeEnvDir({ prod })).prod).resource.aws_lambda_function,
    ).find((f) => f.function_name === "prod-redrive");
    expect(fn.reserved_concurrent_executions).toBe(3);
    const unset = exampleConfig("prod");
    delete unset.redrive?.reservedConcurrency;
    expect(loadEnvironments(writeEnvDir({ prod: unset }))[0].config.redrive?.reservedConcurrency).toBeUndefined();
  });

  it("the section is optional: defaults apply", () => {
    const prod = setPath(exampleConfig("prod"), "redrive", undefined);
    const [env] = loadEnvironments(writeEnvDir({ prod }));
    expect(env.config.redrive).toBeUndefined();
  });
});
