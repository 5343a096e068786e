import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RedriveFunction, type RedriveFunctionProps } from "../../../modules/redrive/redrive-function";
import type { DeadLetterRoute } from "../../../modules/shared/dead-letter-route";
import { PropsError } from "../../../modules/shared/validation";
import { buildBundles } from "../../lambdas/redrive/support/processes";
import { synthScratch, type TerraformJson } from "../../helpers/synth";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:alarms";
const ROUTES: DeadLetterRoute[] = [
  {
    targetName: "orders",
    targetKind: "sqs",
    ruleArn: "arn:aws:events:eu-west-1:111111111111:rule/bus/placed",
    targetArn: "arn:aws:sqs:eu-west-1:111111111111:orders",
    dlqArn: "arn:aws:sqs:eu-west-1:111111111111:orders-delivery-dlq",
    dlqUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/orders-delivery-dlq",
    dlqKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/11111111-1111-1111-1111-111111111111",
    targetKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/22222222-2222-2222-2222-222222222222",
  },
  {
    targetName: "cancel",
    targetKind: "lambda",
    ruleArn: "arn:aws:events:eu-west-1:111111111111:rule/bus/cancelled",
    targetArn: "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order",
    dlqArn: "arn:aws:sqs:eu-west-1:111111111111:cancel-delivery-dlq",
    dlqUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/cancel-delivery-dlq",
  },
  {
    targetName: "partner-orders",
    targetKind: "event-bus",
    ruleArn: "arn:aws:events:eu-west-1:111111111111:rule/bus/placed",
    targetArn: "arn:aws:events:eu-west-1:555555555555:event-bus/partner-orders",
    dlqArn: "arn:aws:sqs:eu-west-1:111111111111:partner-orders-delivery-dlq",
    dlqUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/partner-orders-delivery-dlq",
  },
];
const BASE: RedriveFunctionProps = { functionName: "test-redrive", routes: ROUTES, alarmTopicArn: TOPIC };

beforeAll(() => buildBundles());

function synth(props: Partial<RedriveFunctionProps> = {}): TerraformJson {
  return JSON.parse(synthScratch((stack) => new RedriveFunction(stack, "redrive", { ...BASE, ...props })));
}
const only = (json: TerraformJson, type: string) => Object.values(json.resource[type] ?? {});

describe("RedriveFunction", () => {
  let json: TerraformJson;
  beforeAll(() => {
    json = synth();
  });

  it("deploys the esbuild bundle on nodejs22.x with X-Ray, unreserved concurrency (explicit -1) and the zip's SHA-256 as source_code_hash", () => {
    const [fn] = only(json, "aws_lambda_function");
    expect(fn).toMatchObject({
      function_name: "test-redrive",
      runtime: "nodejs22.x",
      handler: "index.handler",
      tracing_config: { mode: "Active" },
      reserved_concurrent_executions: -1,
      timeout: 300,
      memory_size: 512,
      filename: expect.stringMatching(/redrive\.zip$/),
      source_code_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
    });
    // Deterministic: a second synth of the same bundle gives the same hash.
    expect(only(synth(), "aws_lambda_function")[0].source_code_hash).toBe(fn.source_code_hash);
  });

  it("sets the handler's defaults as environment variables", () => {
    const [fn] = only(
      synth({ maxRedrives: 5, concurrency: 4, rate: 100, visibilityTimeoutSeconds: 120, maxMessages: 5000 }),
      "aws_lambda_function",
    );
    expect(fn.environment.variables).toEqual({
      REDRIVE_SOURCE_QUEUE_URLS: JSON.stringify(ROUTES.map((r) => r.dlqUrl)),
      REDRIVE_MAX_REDRIVES: "5",
      REDRIVE_CONCURRENCY: "4",
      REDRIVE_RATE: "100",
      REDRIVE_VISIBILITY_TIMEOUT: "120",
      REDRIVE_MAX_MESSAGES: "5000",
      REDRIVE_FIFO_GROUP_ID: "redrive",
      REDRIVE_DEADLINE_MARGIN_MS: "15000",
    });
  });

  it("IAM: drains exactly the DLQs, replays only to SQS targets, uses only the KMS keys involved; no wildcard actions", () => {
    const [policy] = only(json, "aws_iam_role_policy");
    const statements = JSON.parse(policy.policy).Statement as {
      Sid: string;
      Action: string[];
      Resource: string | string[];
      Condition?: unknown;
    }[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.DrainDeadLetterQueues).toMatchObject({
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      Resource: ROUTES.map((r) => r.dlqArn),
    });
    expect(bySid.ReplayToTargets).toMatchObject({
      Action: ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
      Resource: [ROUTES[0].targetArn],
    });
    expect(bySid.DecryptDeadLetters).toMatchObject({ Action: ["kms:Decrypt"], Resource: [ROUTES[0].dlqKmsKeyArn] });
    expect(bySid.EncryptReplays).toMatchObject({
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [ROUTES[0].targetKmsKeyArn],
    });
    expect(bySid.InvokeLambdaTargets).toEqual({
      Sid: "InvokeLambdaTargets",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: [ROUTES[1].targetArn],
    });
    expect(bySid.PutEventsOnBusTargets).toEqual({
      Sid: "PutEventsOnBusTargets",
      Effect: "Allow",
      Action: ["events:PutEvents"],
      Resource: [ROUTES[2].targetArn],
    });
    for (const s of statements) for (const a of s.Action) expect(a).not.toMatch(/\*/);
    expect(statements.filter((s) => s.Resource === "*").map((s) => s.Sid)).toEqual(["XRayTracing"]);
  });

  it("without customer keys there is no KMS statement; additional destinations join the replay statement", () => {
    const routes = ROUTES.map(({ dlqKmsKeyArn: _a, targetKmsKeyArn: _b, ...r }) => r);
    const extra = "arn:aws:sqs:eu-west-1:111111111111:replays";
    const [policy] = only(synth({ routes, additionalDestinations: [{ queueArn: extra }] }), "aws_iam_role_policy");
    const statements = JSON.parse(policy.policy).Statement as { Sid: string; Resource: string[] }[];
    expect(statements.map((s) => s.Sid)).not.toEqual(expect.arrayContaining(["DecryptDeadLetters"]));
    expect(statements.find((s) => s.Sid === "ReplayToTargets")!.Resource).toEqual([ROUTES[0].targetArn, extra]);
  });

  it("IAM for Lambda and event-bus targets only when routes have them: exactly their ARNs (qualifier kept), each once", () => {
    const statementsOf = (routes: DeadLetterRoute[]) =>
      JSON.parse(only(synth({ routes }), "aws_iam_role_policy")[0].policy).Statement as {
        Sid: string;
        Action: string[];
        Resource: string[];
      }[];
    const sqsOnly = statementsOf([ROUTES[0]]);
    expect(sqsOnly.map((s) => s.Sid)).not.toContain("InvokeLambdaTargets");
    expect(sqsOnly.map((s) => s.Sid)).not.toContain("PutEventsOnBusTargets");
    expect(sqsOnly.flatMap((s) => s.Action).filter((a) => /^(lambda|events):/.test(a))).toEqual([]);
    const live = "arn:aws:lambda:eu-west-1:111111111111:function:cancel-order:live";
    const more = statementsOf([
      ...ROUTES,
      {
        ...ROUTES[1],
        targetName: "cancel-again",
        dlqArn: "arn:aws:sqs:eu-west-1:111111111111:c2-dlq",
        dlqUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/c2-dlq",
      },
      {
        ...ROUTES[1],
        targetName: "cancel-live",
        targetArn: live,
        dlqArn: "arn:aws:sqs:eu-west-1:111111111111:c3-dlq",
        dlqUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/c3-dlq",
      },
    ]);
    expect(more.find((s) => s.Sid === "InvokeLambdaTargets")!.Resource).toEqual([ROUTES[1].targetArn, live]);
    expect(more.find((s) => s.Sid === "PutEventsOnBusTargets")!.Resource).toEqual([ROUTES[2].targetArn]);
    // Replaying to SQS stays limited to SQS targets.
    expect(more.find((s) => s.Sid === "ReplayToTargets")!.Resource).toEqual([ROUTES[0].targetArn]);
  });

  it("a Lambda or event-bus route whose targetArn is not of that kind is refused, by path", () => {
    expect(() =>
      synth({
        routes: [
          ROUTES[0],
          { ...ROUTES[1], targetArn: ROUTES[2].targetArn },
          { ...ROUTES[2], targetArn: "arn:aws:events:eu-west-1:555555555555:rule/x" },
        ],
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringMatching(/^routes\[1\]\.targetArn: expected a Lambda function ARN/),
          expect.stringMatching(/^routes\[2\]\.targetArn: expected an event bus ARN/),
        ],
      }),
    );
  });

  it("log group with retention, named for the function and used by it", () => {
    const [group] = only(synth({ logRetentionDays: 14 }), "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: "/aws/lambda/test-redrive", retention_in_days: 14 });
    expect(only(json, "aws_lambda_function")[0].logging_config.log_group).toMatch(/aws_cloudwatch_log_group\..*\.name/);
  });

  it("errors alarm publishes to the environment's topic", () => {
    const [alarm] = only(json, "aws_cloudwatch_metric_alarm");
    expect(alarm).toMatchObject({
      alarm_name: "test-redrive-errors",
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: "test-redrive" },
      threshold: 1,
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
  });

  it("no schedule by default; a schedule invokes the function with its error codes, with retries and a DLQ", () => {
    expect(json.resource.aws_cloudwatch_event_rule).toBeUndefined();
    const scheduled = synth({ schedule: { expression: "rate(1 hour)", errorCodes: ["THROTTLING"], maxMessages: 500 } });
    expect(only(scheduled, "aws_cloudwatch_event_rule")[0]).toMatchObject({
      schedule_expression: "rate(1 hour)",
      state: "ENABLED",
    });
    expect(JSON.parse(only(scheduled, "aws_cloudwatch_event_target")[0].input)).toEqual({
      errorCodes: ["THROTTLING"],
      maxMessages: 500,
    });
    expect(only(scheduled, "aws_lambda_permission")[0]).toMatchObject({
      principal: "events.amazonaws.com",
      action: "lambda:InvokeFunction",
    });
    expect(only(scheduled, "aws_cloudwatch_event_target")[0]).toMatchObject({
      retry_policy: { maximum_retry_attempts: 2, maximum_event_age_in_seconds: 3600 },
      dead_letter_config: { arn: expect.stringMatching(/aws_sqs_queue\..*schedule-dlq.*\.arn/) },
    });
    expect(only(scheduled, "aws_sqs_queue")[0]).toMatchObject({
      name: "test-redrive-schedule-dlq",
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1209600,
    });
    expect(
      only(scheduled, "aws_cloudwatch_metric_alarm")
        .map((a: any) => a.alarm_name)
        .sort(),
    ).toEqual(["test-redrive-errors", "test-redrive-schedule-dlq-visible-messages"]);
    const queuePolicy = JSON.parse(only(scheduled, "aws_sqs_queue_policy")[0].policy);
    expect(queuePolicy.Statement[0]).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Condition: { ArnEquals: { "aws:SourceArn": expect.stringMatching(/aws_cloudwatch_event_rule\..*\.arn/) } },
    });
    expect(
      only(
        synth({ schedule: { expression: "rate(1 day)", errorCodes: ["TIMEOUT"], enabled: false } }),
        "aws_cloudwatch_event_rule",
      )[0].state,
    ).toBe("DISABLED");
    // A scheduled run Lambda accepted and that failed is kept: no Lambda retries, on failure to the schedule DLQ the role may send to.
    const dlqArn = expect.stringMatching(/^\$\{aws_sqs_queue\..*schedule-dlq.*\.arn\}$/);
    expect(only(scheduled, "aws_lambda_function_event_invoke_config")).toEqual([
      expect.objectContaining({
        function_name: expect.stringMatching(/aws_lambda_function\..*\.function_name/),
        maximum_retry_attempts: 0,
        maximum_event_age_in_seconds: 3600,
        destination_config: { on_failure: { destination: dlqArn } },
      }),
    ]);
    const failures = (only(scheduled, "aws_iam_role_policy") as any[]).find(
      (p) => p.name === "test-redrive-schedule-failures",
    );
    expect(JSON.parse(failures.policy).Statement).toEqual([
      { Sid: "SendFailedScheduledRuns", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: dlqArn },
    ]);
    expect(only(synth(), "aws_lambda_function_event_invoke_config")).toEqual([]);
  });

  it("reservedConcurrency reserves that many executions; 0 (a disabled function) and more than 100 are refused", () => {
    expect(only(synth({ reservedConcurrency: 2 }), "aws_lambda_function")[0]).toMatchObject({
      reserved_concurrent_executions: 2,
    });
    expect(() => synth({ reservedConcurrency: 0 })).toThrow(/reservedConcurrency: expected a number >= 1, got 0/);
    expect(() => synth({ reservedConcurrency: 101 })).toThrow(/reservedConcurrency: expected a number <= 100, got 101/);
  });

  it("reports every bad prop at once, by path", () => {
    let error: PropsError | undefined;
    try {
      synth({
        functionName: "bad name",
        routes: [{ ...ROUTES[0], dlqArn: "not-an-arn" }, { ...ROUTES[0] }],
        timeoutSeconds: 30,
        logRetentionDays: 10,
        concurrency: 0,
        schedule: { expression: "every hour", errorCodes: [] },
      });
    } catch (err) {
      error = err as PropsError;
    }
    expect(error).toBeInstanceOf(PropsError);
    expect(error!.problems.map((p) => p.split(":")[0]).sort()).toEqual(
      [
        "concurrency",
        "functionName",
        "logRetentionDays",
        "routes[0].dlqArn",
        "routes[1].targetName",
        "schedule.errorCodes",
        "schedule.expression",
        "timeoutSeconds",
      ].sort(),
    );
  });

  it("refuses to synthesize without the bundle, saying how to build it", () => {
    expect(() => synth({ bundleDir: "dist/lambdas/no-such-bundle" })).toThrow(
      /bundleDir: expected the esbuild bundle .*npm run build/,
    );
  });

  it("needs at least one route", () => {
    expect(() => synth({ routes: [] })).toThrow(/routes: expected at least 1 item\(s\), got an array/);
  });
  describe("the value rules of its schema (RedriveFunctionSchema)", () => {
    const problemsOf = (props: Partial<RedriveFunctionProps>): readonly string[] => {
      try {
        synth(props);
      } catch (err) {
        if (err instanceof PropsError) return err.problems;
        throw err;
      }
      return [];
    };
    const schedule = { expression: "rate(1 hour)", errorCodes: ["TIMEOUT"] };

    it("a schedule replays only known error codes (any case): an unknown one would fail every scheduled run", () => {
      expect(problemsOf({ schedule: { ...schedule, errorCodes: ["timeout", "RetriesExhausted"] } })).toEqual([]);
      expect(problemsOf({ schedule: { ...schedule, errorCodes: ["TIME_OUT"] } })).toEqual([
        expect.stringMatching(/^schedule\.errorCodes\[0\]: unknown error code "TIME_OUT": expected one of .*TIMEOUT/),
      ]);
    });

    it("the function name leaves room for the role's and the schedule rule's suffixes", () => {
      expect(problemsOf({ functionName: "f".repeat(59) })).toEqual([]);
      expect(problemsOf({ functionName: "f".repeat(60) })).toEqual([
        expect.stringMatching(/^functionName: expected 1-59 letters/),
      ]);
      expect(problemsOf({ functionName: "f".repeat(55), schedule })).toEqual([]);
      expect(problemsOf({ functionName: "f".repeat(56), schedule })).toEqual([
        'functionName: expected at most 55 characters with a schedule (its rule adds "-schedule"), got 56',
      ]);
    });

    it("extra destinations: each once, with a key ARN (an alias ARN would grant nothing)", () => {
      const queueArn = "arn:aws:sqs:eu-west-1:111111111111:replays";
      expect(problemsOf({ additionalDestinations: [{ queueArn }, { queueArn }] })).toEqual([
        "additionalDestinations[1].queueArn: expected each queue once; it is already additionalDestinations[0]",
      ]);
      expect(
        problemsOf({
          additionalDestinations: [{ queueArn, kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:alias/replays" }],
        }),
      ).toEqual([expect.stringMatching(/^additionalDestinations\[0\]\.kmsKeyArn: expected a KMS key ARN/)]);
    });

    it("a schedule's cap stays within the function's, and the alarm period is whole minutes", () => {
      expect(problemsOf({ maxMessages: 100, schedule: { ...schedule, maxMessages: 500 } })).toEqual([
        "schedule.maxMessages: expected at most maxMessages (100), got 500",
      ]);
      expect(problemsOf({ alarmPeriodSeconds: 90 })).toEqual(["alarmPeriodSeconds: expected a multiple of 60, got 90"]);
    });

    it("a missing bundle is reported with the schema's problems, in one PropsError", () => {
      expect(problemsOf({ bundleDir: "dist/lambdas/no-such-bundle", concurrency: 65 })).toEqual([
        "concurrency: expected a number <= 64, got 65",
        expect.stringMatching(/^bundleDir: expected the esbuild bundle at dist\/lambdas\/no-such-bundle\/index\.js/),
      ]);
    });
  });
});

describe("the redrive Lambda bundle", () => {
  it("takes its option limits and defaults from the contract (modules/shared/contract/redrive-limits.ts), without cdktf or zod", () => {
    const meta = JSON.parse(
      readFileSync(join(__dirname, "..", "..", "..", "dist", "lambdas", "redrive", "index.js.meta.json"), "utf8"),
    );
    const inputs = Object.keys(meta.inputs);
    expect(inputs).toContain("modules/shared/contract/redrive-limits.ts");
    expect(inputs.filter((i) => /node_modules\/(cdktf|cdktn|constructs|zod|@cdktf|@cdktn)\//.test(i))).toEqual([]);
    // Of modules/, only the contract the function shares with RedriveFunction (names, limits, error codes).
    expect(inputs.filter((i) => i.startsWith("modules/") && !i.startsWith("modules/shared/contract/"))).toEqual([]);
  });
});
