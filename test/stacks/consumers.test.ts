/**
 * The `consumers` config section and its stack wiring, on a fixture environment of the test's own:
 * dev's config with an async route `POST /jobs` and a consumer of it added here.
 */
import { Testing } from "cdktn";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../stacks/app";
import { configProblemsOf, exampleConfig, writeEnvDir } from "../helpers/env-fixtures";

/** dev's config plus an async route and its consumer; `edit` changes the copy. */
function withConsumer(edit: (config: Record<string, any>) => void = () => undefined): Record<string, any> {
  const config = exampleConfig("dev");
  config.api.models.Job = { type: "object", required: ["kind"], properties: { kind: { type: "string" } } };
  config.api.resources["/jobs"] = {
    POST: {
      requestModel: "Job",
      integration: {
        type: "SQS",
        timeoutMs: 2000,
        queue: { name: "dev-jobs", visibilityTimeoutSeconds: 130, maxReceiveCount: 3 },
      },
    },
  };
  config.consumers = [
    {
      name: "jobs",
      route: "POST /jobs",
      timeoutSeconds: 20,
      maximumBatchingWindowSeconds: 10,
      maximumConcurrency: 3,
      environment: { ORDERS_SERVICE_URL: "https://jobs.example.com/run" },
    },
  ];
  edit(config);
  return config;
}

const { stacks } = buildApp({
  envDir: writeEnvDir({ dev: withConsumer() }),
  outdir: mkdtempSync(join(tmpdir(), "synth-")),
});

describe("consumers config", () => {
  it("accepts a consumer of an async route whose timing fits the queue", () => {
    expect(stacks[0].consumers).toHaveLength(1);
  });

  it("refuses a timeout whose 6x plus the window exceeds the route queue's visibility timeout", () => {
    expect(configProblemsOf({ dev: withConsumer((c) => (c.consumers[0].timeoutSeconds = 21)) })).toEqual([
      {
        file: "dev.json",
        path: "consumers[0].timeoutSeconds",
        message:
          "the queue's visibility timeout is 130 s, expected at least 136 s (6 x timeoutSeconds 21 + maximumBatchingWindowSeconds 10): raise it or lower timeoutSeconds",
      },
    ]);
  });

  it("refuses a route that is not async, a route writing to an existing queue, a second consumer, and a low reserved concurrency", () => {
    const problems = configProblemsOf({
      dev: withConsumer((c) => {
        c.api.resources["/returns"] = {
          POST: {
            requestModel: "Job",
            integration: {
              type: "SQS",
              timeoutMs: 2000,
              existingQueue: { arn: "arn:aws:sqs:eu-west-1:111111111111:returns" },
            },
          },
        };
        c.consumers.push(
          { name: "items", route: "POST /items" },
          { name: "returns", route: "POST /returns" },
          { name: "jobs-2", route: "POST /jobs", timeoutSeconds: 20, maximumConcurrency: 4, reservedConcurrency: 3 },
        );
      }),
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "consumers[1].route: POST /items is not an async (SQS) route of api.resources; a consumer reads the queue of one",
      "consumers[2].route: POST /returns writes to an existing queue (existingQueue): its consumer belongs with the queue's owner",
      "consumers[3].route: POST /jobs already has a consumer (consumers[0]): two consumers would each get half of the records",
      "consumers[3].reservedConcurrency: expected at least maximumConcurrency (4), got 3: the event source would be throttled",
    ]);
  });
});

describe("async route config", () => {
  it("reports an async route's rules at their config paths: model required, never cached, standard existing queue, key ARNs", () => {
    const problems = configProblemsOf({
      dev: withConsumer((c) => {
        c.consumers = [];
        delete c.api.resources["/jobs"].POST.requestModel;
        c.api.resources["/jobs"].POST.integration.queue.kmsKeyArn = "arn:aws:kms:eu-west-1:111111111111:alias/jobs";
        c.api.resources["/returns"] = {
          PUT: {
            requestModel: "Job",
            integration: {
              type: "SQS",
              timeoutMs: 2000,
              existingQueue: { arn: "arn:aws:sqs:eu-west-1:111111111111:returns.fifo" },
            },
          },
        };
      }),
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(
      expect.arrayContaining([
        "api.resources./jobs.POST.requestModel: required for an async (SQS) route: the body goes straight to the queue, so API Gateway must validate it first",
        expect.stringMatching(
          /^api\.resources\.\/jobs\.POST\.integration\.queue\.kmsKeyArn: expected a KMS key ARN .*\(not an alias\)/,
        ),
        expect.stringMatching(
          /^api\.resources\.\/returns\.PUT\.integration\.existingQueue\.arn: expected a standard queue/,
        ),
      ]),
    );
  });
});

describe("consumers in the environment stack", () => {
  const json = JSON.parse(Testing.synth(stacks[0]));
  const queueId = Object.entries<any>(json.resource.aws_sqs_queue).find(([, q]) => q.name === "dev-jobs")![0];
  const dlqId = Object.entries<any>(json.resource.aws_sqs_queue).find(([, q]) => q.name === "dev-jobs-dlq")![0];

  it("maps the route's queue to the consumer function dev-jobs", () => {
    const [mapping] = Object.values<any>(json.resource.aws_lambda_event_source_mapping);
    expect(mapping).toMatchObject({
      event_source_arn: `\${aws_sqs_queue.${queueId}.arn}`,
      function_response_types: ["ReportBatchItemFailures"],
      scaling_config: { maximum_concurrency: 3 },
    });
    const fn = Object.values<any>(json.resource.aws_lambda_function).find((f) => f.function_name === "dev-jobs");
    expect(fn.environment.variables.ORDERS_SERVICE_URL).toBe("https://jobs.example.com/run");
  });

  it("registers the consumer's DLQ with the redrive function, which may send back to the queue", () => {
    const redrive = Object.values<any>(json.resource.aws_lambda_function).find(
      (f) => f.function_name === "dev-redrive",
    );
    expect(JSON.parse(redrive.environment.variables.REDRIVE_SOURCE_QUEUE_URLS)).toContain(
      `\${aws_sqs_queue.${dlqId}.url}`,
    );
    const policy = Object.values<any>(json.resource.aws_iam_role_policy).find((p) => p.name === "dev-redrive-redrive");
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements.find((s: any) => s.Sid === "DrainDeadLetterQueues").Resource).toContain(
      `\${aws_sqs_queue.${dlqId}.arn}`,
    );
    expect(statements.find((s: any) => s.Sid === "ReplayToTargets").Resource).toContain(
      `\${aws_sqs_queue.${queueId}.arn}`,
    );
  });

  it("outputs each consumer's function and queue URLs", () => {
    expect(json.output.consumers.value).toEqual({
      jobs: {
        route: "POST /jobs",
        functionName: expect.stringMatching(/aws_lambda_function/),
        queueUrl: `\${aws_sqs_queue.${queueId}.url}`,
        dlqUrl: `\${aws_sqs_queue.${dlqId}.url}`,
      },
    });
  });
});
