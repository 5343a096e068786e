/**
 * Props from plain JavaScript: every public construct, given a valid props object with random mutations (keys removed
 * at any depth, keys misspelled, values replaced by other types, unknown keys added), either builds (the mutation was
 * harmless) with no "undefined" in any resource name or setting, or throws a PropsError; never any other error.
 */
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { type App, TerraformElement, TerraformStack, Testing } from "cdktn";
import type { Construct } from "constructs";
import * as fc from "fast-check";
import { AlarmTopic } from "../../modules/alarms/alarm-topic";
import { GithubActionsRole } from "../../modules/bootstrap/github-actions-role";
import { RestApiFrontDoor } from "../../modules/api/rest-api-front-door";
import { QueueConsumer } from "../../modules/consumer/queue-consumer";
import { EventRouting } from "../../modules/events/event-routing";
import { RedriveFunction } from "../../modules/redrive/redrive-function";
import { PropsError } from "../../modules/shared/validation";
import { demoProps } from "./api/fixtures";

const TOPIC = "arn:aws:sns:eu-west-1:111111111111:team-alarms";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";

type Build = (scope: Construct, props: any) => void;

/** Valid props of each construct, touching every kind of field (unions, records, arrays, optional objects). */
const CASES: Array<[string, Build, () => unknown]> = [
  [
    "RestApiFrontDoor",
    (s, p) => new RestApiFrontDoor(s, "api", p),
    () => ({
      ...demoProps(),
      resources: {
        ...demoProps().resources,
        "/returns": {
          POST: {
            requestModel: "NewOrder",
            integration: {
              type: "SQS",
              timeoutMs: 1000,
              queue: { name: "returns", visibilityTimeoutSeconds: 60, encryption: "kms", kmsKeyArn: KEY },
            },
          },
        },
      },
      distribution: { priceClass: "PriceClass_100", accessLogs: true },
      accessLogs: { retentionDays: 30 },
      alarms: { serverErrors: 5, evaluationPeriods: 3, datapointsToAlarm: 2 },
      tags: { team: "orders" },
    }),
  ],
  [
    "EventRouting",
    (s, p) => new EventRouting(s, "events", p),
    () => ({
      namePrefix: "cat",
      alarmTopicArn: TOPIC,
      region: "eu-west-1",
      accountId: "111111111111",
      eventBus: { kind: "custom", name: "cat-bus" },
      archive: { retentionDays: 3, eventPattern: { source: ["acme.orders"] } },
      defaultRetryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 600 },
      rules: [
        {
          name: "placed",
          eventPattern: { source: ["acme.orders"] },
          targets: [
            {
              kind: "sqs",
              name: "orders",
              queue: { maxReceiveCount: 7, encryption: "kms" },
              deadLetterQueue: { maxMessageSizeBytes: 262144 },
            },
            {
              kind: "event-bus",
              name: "partner",
              eventBusArn: "arn:aws:events:eu-west-1:222222222222:event-bus/partner",
            },
          ],
        },
        {
          name: "cancelled",
          eventPattern: '{"source":["acme.orders"]}',
          targets: [
            {
              kind: "lambda",
              name: "cancel",
              functionName: "cancel-order",
              asyncInvoke: { executionRoleArn: "arn:aws:iam::111111111111:role/cancel-order", maximumRetryAttempts: 1 },
              retryPolicy: { maximumRetryAttempts: 2 },
              inputTransformer: { inputPaths: { id: "$.detail.id" }, inputTemplate: '{"id": <id>}' },
            },
          ],
        },
      ],
    }),
  ],
  [
    "RedriveFunction",
    (s, p) => new RedriveFunction(s, "redrive", p),
    () => ({
      functionName: "cat-redrive",
      alarmTopicArn: TOPIC,
      routes: [
        {
          targetName: "orders",
          targetKind: "sqs",
          targetArn: "arn:aws:sqs:eu-west-1:111111111111:cat-orders",
          dlqArn: "arn:aws:sqs:eu-west-1:111111111111:cat-orders-delivery-dlq",
          dlqUrl: "https://sqs.eu-west-1.amazonaws.com/111111111111/cat-orders-delivery-dlq",
          dlqKmsKeyArn: KEY,
        },
      ],
      additionalDestinations: [{ queueArn: "arn:aws:sqs:eu-west-1:111111111111:other" }],
      memorySize: 512,
      schedule: { expression: "rate(1 hour)", errorCodes: ["TIMEOUT"], maxMessages: 100 },
    }),
  ],
  [
    "QueueConsumer",
    (s, p) => new QueueConsumer(s, "consumer", p),
    () => ({
      functionName: "cat-orders-consumer",
      queue: {
        arn: "arn:aws:sqs:eu-west-1:111111111111:cat-orders",
        name: "cat-orders",
        visibilityTimeoutSeconds: 200,
        deadLetterQueueName: "cat-orders-dlq",
        kmsKeyArn: KEY,
      },
      alarmTopicArn: TOPIC,
      timeoutSeconds: 30,
      batchSize: 25,
      maximumBatchingWindowSeconds: 10,
      environment: { ORDERS_URL: "https://orders.example.com" },
      tags: { team: "orders" },
    }),
  ],
  [
    "GithubActionsRole",
    (s, p) => new GithubActionsRole(s, "ci", p),
    () => ({
      name: "ci",
      path: "/ci/",
      accountId: "111111111111",
      oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com",
      repository: "acme/edge",
      subjects: [{ branch: "main" }, { environment: "prod" }, { pullRequest: true }],
      managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
      state: { bucket: "acme-state", key: "edge/dev.tfstate", kmsKeyArn: KEY, readOnly: true },
      maxSessionSeconds: 3600,
    }),
  ],
  [
    "AlarmTopic",
    (s, p) => new AlarmTopic(s, "alarms", p),
    () => ({ name: "team-alarms", emails: ["ops@example.com"], keyDeletionWindowDays: 7 }),
  ],
];

/** A place in the props: its container and key (the root has none). */
interface Spot {
  readonly parent?: Record<string, unknown> | unknown[];
  readonly key?: string | number;
  readonly value: unknown;
}

function spots(value: unknown, parent?: Spot["parent"], key?: Spot["key"]): Spot[] {
  const here: Spot = { parent, key, value };
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => spots(v, value, i))];
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return [here, ...Object.keys(obj).flatMap((k) => spots(obj[k], obj, k))];
  }
  return [here];
}

const wrongValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  // Fresh containers every time: a shared constant could end up inside itself.
  fc.constant(0).map(() => []),
  fc.constant(0).map(() => ({})),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
);

const mutation = fc.record({
  op: fc.constantFrom("remove", "misspell", "wrong-type", "add-unknown"),
  pick: fc.nat(),
  typo: fc.constantFrom("drop", "swap", "double", "case", "insert"),
  at: fc.nat(),
  value: wrongValue,
  key: fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom("constructor", "toString", "__proto__")),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function misspell(key: string, typo: Mutation["typo"], at: number): string {
  const i = at % key.length;
  switch (typo) {
    case "drop":
      return key.length > 1 ? key.slice(0, i) + key.slice(i + 1) : `${key}x`;
    case "swap":
      return key.length > 1 && key[i] !== key[(i + 1) % key.length]
        ? key.slice(0, i) + key[(i + 1) % key.length] + key.slice(i + 1)
        : `${key}_`;
    case "double":
      return key.slice(0, i) + key[i] + key.slice(i);
    case "case":
      return key.toUpperCase() === key ? key.toLowerCase() : key.toUpperCase();
    default:
      return `${key.slice(0, i)}q${key.slice(i)}`;
  }
}

/** Applies one mutation in place; returns the new root (a wrong type may replace it). */
function mutate(root: unknown, m: Mutation): unknown {
  const all = spots(root);
  const spot = all[m.pick % all.length];
  const { parent, key } = spot;
  if (m.op === "add-unknown") {
    const objects = all.filter((s) => s.value && typeof s.value === "object" && !Array.isArray(s.value));
    const target = objects[m.pick % objects.length]?.value as Record<string, unknown> | undefined;
    if (target && !Object.hasOwn(target, m.key))
      Object.defineProperty(target, m.key, {
        value: m.value ?? 1,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return root;
  }
  if (parent === undefined || key === undefined) return m.op === "wrong-type" ? m.value : root;
  if (m.op === "wrong-type") (parent as Record<string | number, unknown>)[key] = m.value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else if (m.op === "remove") delete parent[key as string];
  else {
    const renamed = misspell(key as string, m.typo, m.at);
    const value = parent[key as string];
    delete parent[key as string];
    Object.defineProperty(parent, renamed, { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

/** Every string in the built construct's resources (as synth renders them, before references resolve). */
function renderedConfig(stack: TerraformStack): string {
  return JSON.stringify(
    stack.node
      .findAll()
      .filter((c): c is TerraformElement => c instanceof TerraformElement)
      .map((e) => e.toTerraform()),
  );
}

/** The props as text, undefined and non-finite numbers included: equal texts build alike, so each builds once. */
function canonical(props: unknown): string {
  return (
    JSON.stringify(props, (_k, v) =>
      v === undefined ? "<undefined>" : typeof v === "number" && !Number.isFinite(v) ? `<${v}>` : v,
    ) ?? "<undefined>"
  );
}

describe.each(CASES)("%s props from plain JavaScript", (_name, build, valid) => {
  const app: App = Testing.app();
  let n = 0;
  /** Builds the construct in a scratch stack; on success returns what it rendered and its construct ids. */
  function attempt(props: unknown, synthToo: boolean): string {
    const stack = new TerraformStack(app, `s${n++}`);
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    // cdktf captures a full stack trace for every token it creates; jest formats each through source maps, which made
    // a construct about 8x slower to build here. Formatting them as "" while building is what keeps 1,000 runs fast; the
    // trace of an error thrown here is still formatted when read, after the original formatter is back.
    const format = Error.prepareStackTrace;
    Error.prepareStackTrace = () => "";
    try {
      build(stack, props);
      const ids = stack.node.findAll().map((c) => c.node.id);
      return `${ids.join(" ")}\n${synthToo ? Testing.synth(stack) : renderedConfig(stack)}`;
    } finally {
      Error.prepareStackTrace = format;
      app.node.tryRemoveChild(stack.node.id);
    }
  }

  it("the valid props build, with no undefined anywhere", () => {
    expect(attempt(valid(), true)).not.toMatch(/undefined/);
  });

  it("1,000 random mutations: each builds without an undefined, or throws a PropsError", () => {
    let built = 0;
    let rejected = 0;
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const props = mutations.reduce(mutate, valid());
        // Mutations often coincide (the same optional key removed): props already passed are not built again.
        const key = canonical(props);
        if (seen.has(key)) return;
        let out: string;
        try {
          out = attempt(props, built % 250 === 0);
        } catch (err) {
          if (!(err instanceof PropsError)) throw err;
          expect(err.problems.length).toBeGreaterThan(0);
          for (const problem of err.problems) expect(problem).toMatch(/^\S[^\n]*?: \S/);
          rejected++;
          seen.add(key);
          return;
        }
        built++;
        expect(out).not.toMatch(/undefined/);
        seen.add(key);
      }),
      { numRuns: 1000 },
    );
    // Both outcomes occur: the mutations reach optional fields (harmless) and required ones (rejected).
    expect(built).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(100);
  });
});
