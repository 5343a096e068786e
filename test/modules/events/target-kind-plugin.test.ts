/**
 * A target kind is a plug-in: this file adds one ("existing-queue": an SQS queue someone else owns, by ARN) to the
 * registry, as a new kind's file and its registry entry would, and sees it validated (its own schema and the unknown-
 * kind message), synthesized (EventBridge target, retry policy, delivery DLQ, dead-letter route), granted by the
 * redrive function (send to exactly its queue) and redriven by the engine. Nothing else in modules/ names it.
 */
jest.mock("../../../modules/events/targets", () => {
  const { z } = jest.requireActual("zod");
  const actual = jest.requireActual("../../../modules/events/targets");
  const { kindRegistry } = jest.requireActual("../../../modules/events/targets/registry");
  const { targetBaseFields } = jest.requireActual("../../../modules/events/schema-parts");
  const queueArn = /^arn:aws:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;
  const existingQueue = {
    kind: "existing-queue",
    schema: z.strictObject({
      kind: z.literal("existing-queue"),
      ...targetBaseFields,
      queueArn: z.string().regex(queueArn, { message: "expected a standard SQS queue ARN" }),
    }),
    takesRetryPolicy: true,
    queueStems: () => [],
    keyUse: () => ({ uses: false, eventBridgeQueueStems: [] }),
    nameProblems: () => [],
    placeProblems: () => [],
    bind: (_scope: unknown, _c: unknown, t: { queueArn: string }) => ({ targetArn: t.queueArn, resources: {} }),
    replayTarget: { pattern: queueArn, expected: "an SQS queue ARN for an existing-queue target" },
    redriveGrant: (route: { targetArn: string }) => ({ queue: { arn: route.targetArn } }),
  };
  const kinds = [...actual.TARGET_KINDS, existingQueue];
  return { ...actual, TARGET_KINDS: kinds, ...kindRegistry(kinds) };
});

import { EventRouting, type EventRoutingProps } from "../../../modules/events/event-routing";
import { RedriveFunction } from "../../../modules/redrive/redrive-function";
import { PropsError } from "../../../modules/shared/validation";
import { redrive } from "../../../lambdas/redrive/engine/engine";
import { validateOptions } from "../../../lambdas/redrive/engine/options";
import { ebAttributes, MemoryPort } from "../../lambdas/redrive/support/memory-port";
import { synthScratch } from "../../helpers/synth";

const AUDIT_QUEUE = "arn:aws:sqs:eu-west-1:111111111111:audit-intake";

function props(target: Record<string, unknown>): EventRoutingProps {
  return {
    namePrefix: "test",
    alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:alarms",
    region: "eu-west-1",
    accountId: "111111111111",
    rules: [{ name: "placed", eventPattern: { source: ["acme.orders"] }, targets: [target as never] }],
  };
}

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (err) {
    if (err instanceof PropsError) return err.problems;
    throw err;
  }
  throw new Error("expected a PropsError");
}

describe("a target kind added in one file", () => {
  it("is validated by its own schema, and named among the kinds when one is unknown", () => {
    const bad = problemsOf(() =>
      EventRouting.validateProps("events", props({ kind: "existing-queue", name: "audit", queueArn: "audit" })),
    );
    expect(bad).toEqual([
      expect.stringMatching(/^rules\[0\]\.targets\[0\]\.queueArn: expected a standard SQS queue ARN/),
    ]);
    const unknown = problemsOf(() => EventRouting.validateProps("events", props({ kind: "sns", name: "audit" })));
    expect(unknown.join("\n")).toMatch(/rules\[0\]\.targets\[0\]\.kind: .*"existing-queue"/);
  });

  it("is synthesized with the retry policy, delivery DLQ and dead-letter route every target gets, and granted to the redrive", () => {
    let routing!: EventRouting;
    const json = JSON.parse(
      synthScratch((stack) => {
        routing = new EventRouting(
          stack,
          "events",
          props({ kind: "existing-queue", name: "audit", queueArn: AUDIT_QUEUE }),
        );
        new RedriveFunction(stack, "redrive", {
          functionName: "test-redrive",
          routes: routing.deadLetterRoutes,
          alarmTopicArn: "arn:aws:sns:eu-west-1:111111111111:alarms",
        });
      }),
    );
    const target = Object.values<any>(json.resource.aws_cloudwatch_event_target).find((t) => t.target_id === "audit");
    expect(target).toMatchObject({
      arn: AUDIT_QUEUE,
      retry_policy: { maximum_retry_attempts: 24, maximum_event_age_in_seconds: 3600 },
      dead_letter_config: { arn: expect.stringContaining("aws_sqs_queue.events_audit-delivery-dlq") },
    });
    expect(routing.deadLetterRoute("audit")).toMatchObject({ targetKind: "existing-queue", targetArn: AUDIT_QUEUE });
    const policy = JSON.parse(
      Object.values<any>(json.resource.aws_iam_role_policy).find((p) => p.name === "test-redrive-redrive").policy,
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({
        Sid: "ReplayToTargets",
        Action: expect.arrayContaining(["sqs:SendMessage"]),
        Resource: [AUDIT_QUEUE],
      }),
    );
  });

  it("is redriven: a dead letter whose TARGET_ARN is the kind's target goes back to it", async () => {
    const port = new MemoryPort();
    const dlq = port.addQueue("test-audit-delivery-dlq");
    const target = port.addQueue("audit-intake");
    expect(target.arn).toBe(AUDIT_QUEUE);
    port.put(dlq.url, '{"detail":{"id":"o-1"}}', ebAttributes(target.arn));
    const summary = await redrive(validateOptions({ queueUrl: dlq.url, waitTimeSeconds: 0 }), {
      port,
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    expect(summary).toMatchObject({ replayed: 1, failed: 0 });
    expect(port.messages(target.url).map((m) => m.body)).toEqual(['{"detail":{"id":"o-1"}}']);
  });
});
