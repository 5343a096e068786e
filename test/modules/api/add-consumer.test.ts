/** RestApiFrontDoor.addConsumer: a queue consumer of an async route in one call, wired as the platform's stacks wire it. */
import { TerraformOutput } from "cdktn";
import { RestApiFrontDoor } from "../../../modules/api/rest-api-front-door";
import type { DeadLetterRoute } from "../../../modules/shared/dead-letter-route";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { demoProps, one, TEAM_TOPIC_ARN } from "./fixtures";

/** The demo API with an async POST /returns whose queue it creates (and a route writing to an existing queue). */
function api(stack: Parameters<Parameters<typeof synthScratch>[0]>[0]) {
  const p = demoProps();
  return new RestApiFrontDoor(stack, "api", {
    ...p,
    resources: {
      ...p.resources,
      "/returns": {
        POST: {
          requestModel: "NewOrder",
          integration: { type: "SQS", timeoutMs: 2000, queue: { visibilityTimeoutSeconds: 300, maxReceiveCount: 4 } },
        },
      },
      "/refunds": {
        POST: {
          requestModel: "NewOrder",
          integration: {
            type: "SQS",
            timeoutMs: 2000,
            existingQueue: { arn: "arn:aws:sqs:eu-west-1:123456789012:refunds" },
          },
        },
      },
    },
  });
}

describe("RestApiFrontDoor.addConsumer", () => {
  it("consumes the route's queue (its ARN, visibility and DLQ) and gives the DLQ's redrive route back to the queue", () => {
    const json = JSON.parse(
      synthScratch((stack) => {
        const { deadLetterRoute } = api(stack).addConsumer("POST /returns", {
          functionName: "shop-returns",
          alarmTopicArn: TEAM_TOPIC_ARN,
        });
        // Its ARNs are references: an output shows them as Terraform resolves them.
        new TerraformOutput(stack, "route", { value: deadLetterRoute });
      }),
    ) as TerraformJson;
    const route = json.output!.route.value as DeadLetterRoute;
    const queue = one(json, "aws_sqs_queue", (q) => q.name === "orders-returns-post");
    expect(queue.visibility_timeout_seconds).toBe(300);
    const mapping = one(json, "aws_lambda_event_source_mapping");
    expect(mapping.event_source_arn).toMatch(/aws_sqs_queue\.api_routes_queue-returns.*\.arn/);
    expect(one(json, "aws_lambda_function").function_name).toBe("shop-returns");
    expect(one(json, "aws_cloudwatch_metric_alarm", (a) => /dlq-visible-messages$/.test(a.alarm_name)).alarm_name).toBe(
      "orders-returns-post-dlq-visible-messages",
    );
    expect(route).toMatchObject({ targetName: "consumer-shop-returns", targetKind: "sqs" });
    expect(route.targetArn).toMatch(/aws_sqs_queue\..*queue-returns.*\.arn/);
    expect(route.dlqUrl).toMatch(/aws_sqs_queue\..*\.url/);
  });

  it("refuses a route that is not an async route with a queue it creates, naming those that are", () => {
    for (const bad of ["POST /refunds", "GET /orders", "POST /nope"]) {
      let error: unknown;
      try {
        synthScratch((stack) => {
          api(stack).addConsumer(bad, { functionName: "x", alarmTopicArn: TEAM_TOPIC_ARN });
        });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PropsError);
      expect((error as PropsError).problems).toEqual([
        `route: expected an async route whose queue this API creates (POST /returns), got "${bad}"`,
      ]);
    }
  });
});
