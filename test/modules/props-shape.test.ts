/**
 * The crashes and silent acceptances product teams hit from plain JavaScript (issue 10), each a PropsError naming the
 * path now, through the one validation path (zod, parseProps in modules/shared/zod-problems.ts).
 */
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktn";
import type { Construct } from "constructs";
import { AlarmTopic } from "../../modules/alarms/alarm-topic";
import * as api from "../../modules/api";
import * as bootstrap from "../../modules/bootstrap";
import * as consumer from "../../modules/consumer";
import * as events from "../../modules/events";
import { RestApiFrontDoor } from "../../modules/api/rest-api-front-door";
import { QueueConsumer } from "../../modules/consumer/queue-consumer";
import { EventRouting } from "../../modules/events/event-routing";
import { RedriveFunction } from "../../modules/redrive/redrive-function";
import { z } from "zod";
import { parseProps } from "../../modules/shared/parse-props";
import { PropsError } from "../../modules/shared/validation";
import { demoProps } from "./api/fixtures";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:team-alarms";

/** The problems of the PropsError `build` throws in a fresh stack (fails if it throws anything else, or nothing). */
function problems(build: (scope: Construct) => void): string[] {
  const stack = new TerraformStack(Testing.app(), "scratch");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  try {
    build(stack);
  } catch (err) {
    if (err instanceof PropsError) return [...err.problems];
    throw err;
  }
  throw new Error("expected a PropsError");
}

const routing = (props: unknown) => problems((s) => new EventRouting(s, "events", props as any));
const frontDoor = (props: unknown) => problems((s) => new RestApiFrontDoor(s, "api", props as any));

const sqsRule = (target: Record<string, unknown>) => ({
  namePrefix: "cat",
  alarmTopicArn: TOPIC,
  rules: [{ name: "placed", eventPattern: { source: ["acme"] }, targets: [target] }],
});

describe("EventRouting from plain JavaScript", () => {
  it('kind "sns" is an unknown target kind, not an event-bus target without an ARN', () => {
    expect(routing(sqsRule({ kind: "sns", name: "orders" }))).toEqual([
      'rules[0].targets[0].kind: expected one of "sqs", "lambda", "event-bus", "step-functions", got "sns"',
    ]);
  });

  it("a target without a name is a problem, never queues named cat-undefined", () => {
    expect(routing(sqsRule({ kind: "sqs" }))).toEqual([
      "rules[0].targets[0].name: required field is missing (expected a string)",
    ]);
  });

  it("a rule without targets, and a target without a kind, are problems at their paths", () => {
    const props = sqsRule({ name: "orders" });
    expect(routing(props)).toEqual([
      'rules[0].targets[0].kind: required field is missing (expected one of "sqs", "lambda", "event-bus", "step-functions")',
    ]);
    expect(routing({ ...props, rules: [{ name: "placed", eventPattern: { source: ["acme"] } }] })).toEqual([
      "rules[0].targets: required field is missing (expected an array)",
    ]);
  });

  it("misspelled keys at any depth are named with the key meant", () => {
    const props = sqsRule({ kind: "sqs", name: "orders", queue: { maxRecieveCount: 3 } });
    expect(routing({ ...props, alarmTopic: TOPIC })).toEqual([
      'rules[0].targets[0].queue.maxRecieveCount: unknown field (did you mean "maxReceiveCount"?)',
      'alarmTopic: unknown field (did you mean "alarmTopicArn"?)',
    ]);
  });
});

describe("RestApiFrontDoor from plain JavaScript", () => {
  const { throttle, name, ...rest } = demoProps();

  it("a missing throttle and name are problems, not a TypeError", () => {
    expect(frontDoor({ ...rest, name })).toEqual(["throttle: required field is missing (expected an object)"]);
    expect(frontDoor({ ...rest, throttle })).toEqual(["name: required field is missing (expected a string)"]);
  });

  it("a method without an integration is a problem at its path", () => {
    expect(frontDoor({ ...demoProps(), resources: { "/orders": { GET: { public: true } } } })).toEqual([
      "resources./orders.GET.integration: required field is missing (expected an object)",
    ]);
  });

  it('throtle is not ignored: "did you mean throttle", with every other problem at once', () => {
    expect(
      frontDoor({
        ...rest,
        name,
        throtle: throttle,
        caching: [],
        apiKeys: 5,
        tiers: null,
        resources: { "/x": { GTE: {} } },
      }),
    ).toEqual([
      'resources./x.GTE: unknown field (did you mean "GET"?)',
      "resources: expected at least one resource with a method",
      "throttle: required field is missing (expected an object)",
      "tiers: expected a record, got null",
      "apiKeys: expected an array, got 5",
      "caching: expected an object, got an array",
      'throtle: unknown field (did you mean "throttle"?)',
    ]);
  });

  it("wrong types inside the definition name the field and what was expected", () => {
    const p = demoProps();
    expect(
      frontDoor({
        ...p,
        throttle: "fast",
        resources: { "/orders": { GET: { integration: { type: "LAMDBA", timeoutMs: 100 } } } },
        tiers: { gold: { throttle: { rateLimit: "10", burstLimit: 5 }, quota: { limit: 1, period: "YEAR" } } },
      }),
    ).toEqual([
      'resources./orders.GET.integration.type: expected an integration type of "MOCK", "HTTP_PROXY", "SQS", "LAMBDA", got "LAMDBA"',
      'throttle: expected an object, got "fast"',
      'tiers.gold.throttle.rateLimit: expected a number, got "10"',
      'tiers.gold.quota.period: expected one of "DAY", "WEEK", "MONTH", got "YEAR"',
    ]);
  });

  it("null or missing props are one problem", () => {
    expect(frontDoor(null)).toEqual(["props: expected an object, got null"]);
    expect(frontDoor(undefined)).toEqual(["props: required field is missing (expected an object)"]);
  });
});

describe("the other constructs from plain JavaScript", () => {
  it("RedriveFunction: routes of the wrong type and unknown keys", () => {
    expect(
      problems(
        (s) =>
          new RedriveFunction(s, "redrive", {
            functionName: "r",
            alarmTopicArn: TOPIC,
            routes: "all",
            memory: 512,
          } as any),
      ),
    ).toEqual(['routes: expected an array, got "all"', 'memory: unknown field (did you mean "memorySize"?)']);
  });

  it("QueueConsumer: a missing queue is a problem, not a TypeError", () => {
    expect(
      problems((s) => new QueueConsumer(s, "consumer", { functionName: "c", alarmTopicArn: TOPIC } as any)),
    ).toEqual(["queue: required field is missing (expected an object)"]);
  });

  it("AlarmTopic: one e-mail as a string is a problem, not a TypeError", () => {
    expect(problems((s) => new AlarmTopic(s, "alarms", { name: "alarms", emails: "ops@example.com" } as any))).toEqual([
      'emails: expected an array, got "ops@example.com"',
    ]);
  });
});

/** Every exported construct class, by name (the big five are covered above and in props-mutations.test.ts). */
const SMALLER = Object.entries({ ...api, ...events, ...consumer, ...bootstrap }).filter(
  ([name, value]) =>
    typeof value === "function" &&
    name !== "PropsError" &&
    !["RestApiFrontDoor", "EventRouting", "QueueConsumer", "GithubOidcProvider"].includes(name),
) as Array<[string, new (scope: Construct, id: string, props: unknown) => unknown]>;

describe("the smaller exported constructs from plain JavaScript", () => {
  it("are all covered", () => {
    expect(SMALLER.map(([name]) => name).sort()).toEqual(
      expect.arrayContaining([
        "ApiStage",
        "ApiRoutes",
        "ApiAuthorizers",
        "ApiCors",
        "TargetQueue",
        "EventsKey",
        "IdempotencyTable",
        "UsagePlanTiers",
        "GithubActionsRole",
        "StateBucket",
      ]),
    );
    // GithubOidcProvider takes no props.
    expect(SMALLER).toHaveLength(27);
  });

  it.each(SMALLER)(
    "%s: null props, empty props and an unknown key are PropsErrors naming the paths",
    (_name, Construct) => {
      expect(problems((s) => new Construct(s, "x", null))).toEqual(["props: expected an object, got null"]);
      const empty = problems((s) => new Construct(s, "x", { tagz: {} }));
      expect(empty.length).toBeGreaterThan(0);
      // The zod formatter's words (modules/shared/zod-problems.ts): every construct validates the one way.
      for (const p of empty.slice(0, -1)) expect(p).toMatch(/^\w+: required field is missing \(expected /);
      expect(empty.at(-1)).toMatch(/^tagz: unknown field \((did you mean "tags"\?|expected one of .*)\)$/);
    },
  );
});

describe("the structural problems every construct reports (parseProps)", () => {
  const schema = z.strictObject({
    name: z.string(),
    limits: z.strictObject({ rateLimit: z.number(), burstLimit: z.number() }).optional(),
    targets: z
      .array(z.discriminatedUnion("kind", [z.strictObject({ kind: z.literal("a"), size: z.number().optional() })]))
      .optional(),
    tags: z.record(z.string(), z.string()).optional(),
  });
  const problemsOf = (value: unknown): readonly string[] => {
    try {
      parseProps("Thing x", schema, value);
      return [];
    } catch (err) {
      if (err instanceof PropsError) return err.problems;
      throw err;
    }
  };

  it("accepts a matching value, and undefined for optional fields", () => {
    expect(problemsOf({ name: "x", limits: undefined, targets: [{ kind: "a" }], tags: { team: "t" } })).toEqual([]);
  });

  it("suggests the nearest key (also by case), or lists the keys when none is near", () => {
    expect(problemsOf({ name: "x", Limits: {}, zzzzzz: 1 })).toEqual([
      'Limits: unknown field (did you mean "limits"?)',
      'zzzzzz: unknown field (expected one of "name", "limits", "targets", "tags")',
    ]);
  });

  it("quotes keys that would not read as one, and reports a union's missing tag", () => {
    expect(problemsOf({ name: "x", " ": 1, "": 2, targets: [{ size: 1 }] })).toEqual([
      'targets[0].kind: required field is missing (expected one of "a")',
      '[" "]: unknown field (expected one of "name", "limits", "targets", "tags")',
      '[""]: unknown field (expected one of "name", "limits", "targets", "tags")',
    ]);
  });

  it("names the tags a union takes when one given matches none", () => {
    expect(problemsOf({ name: "x", targets: [{ kind: "b" }] })).toEqual([
      'targets[0].kind: expected one of "a", got "b"',
    ]);
  });

  it("reports null, NaN, arrays for objects and objects for arrays", () => {
    expect(problemsOf({ name: null, limits: [], targets: {}, tags: { team: Number.NaN } })).toEqual([
      "name: expected a string, got null",
      "limits: expected an object, got an array",
      "targets: expected an array, got an object",
      "tags.team: expected a string, got NaN",
    ]);
  });
});
