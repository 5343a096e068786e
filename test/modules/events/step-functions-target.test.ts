/** The step-functions target kind: EventRouting starts a state machine through a role scoped to it, as any target. */
import { EventRouting } from "../../../modules/events/event-routing";
import { RedriveFunction } from "../../../modules/redrive/redrive-function";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch } from "../../helpers/synth";
import { all, one } from "../api/fixtures";

const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:order-fulfilment";
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:alarms";
const rules = (target: Record<string, unknown>) => [
  {
    name: "order-placed",
    eventPattern: { source: ["acme.orders"] },
    targets: [{ kind: "step-functions", name: "fulfil", ...target }],
  },
];

let routing: EventRouting;
const json = JSON.parse(
  synthScratch((s) => {
    routing = new EventRouting(s, "events", {
      namePrefix: "shop",
      alarmTopicArn: TOPIC,
      rules: rules({ stateMachineArn: MACHINE }) as never,
    });
    new RedriveFunction(s, "redrive", {
      functionName: "shop-redrive",
      routes: routing.deadLetterRoutes,
      alarmTopicArn: TOPIC,
    });
  }),
);

describe("step-functions target", () => {
  it("starts the machine through a role only the rule may assume, allowed only StartExecution on it; retry policy and DLQ", () => {
    const target = one(json, "aws_cloudwatch_event_target");
    expect(target).toMatchObject({
      arn: MACHINE,
      role_arn: expect.stringMatching(/aws_iam_role\..*\.arn/),
      retry_policy: { maximum_retry_attempts: 24, maximum_event_age_in_seconds: 3600 },
      dead_letter_config: { arn: expect.stringMatching(/aws_sqs_queue\..*\.arn/) },
    });
    const role = one(json, "aws_iam_role", (r) => r.name === "shop-fulfil-start");
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Condition: { ArnEquals: { "aws:SourceArn": expect.stringMatching(/aws_cloudwatch_event_rule\..*\.arn/) } },
    });
    expect(JSON.parse(one(json, "aws_iam_role_policy", (p) => p.name === "start-execution").policy).Statement).toEqual([
      { Sid: "StartTheStateMachine", Effect: "Allow", Action: "states:StartExecution", Resource: MACHINE },
    ]);
    expect(
      all(json, "aws_cloudwatch_metric_alarm").some((a) => /fulfil-delivery-dlq-visible-messages$/.test(a.alarm_name)),
    ).toBe(true);
  });

  it("its dead-letter route names the machine, and the redrive may start exactly it", () => {
    expect(routing.deadLetterRoutes).toEqual([
      expect.objectContaining({ targetKind: "step-functions", targetArn: MACHINE }),
    ]);
    const policy = JSON.parse(one(json, "aws_iam_role_policy", (p) => p.name === "shop-redrive-redrive").policy);
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === "StartExecutionOfMachineTargets")).toEqual({
      Sid: "StartExecutionOfMachineTargets",
      Effect: "Allow",
      Action: ["states:StartExecution"],
      Resource: [MACHINE],
    });
  });

  it("with the machine's customer key: the role and the redrive may use it, only under the machine's encryption context", () => {
    const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555";
    let r!: EventRouting;
    const j = JSON.parse(
      synthScratch((s) => {
        r = new EventRouting(s, "events", {
          namePrefix: "shop",
          alarmTopicArn: TOPIC,
          rules: rules({ stateMachineArn: MACHINE, kmsKeyArn: KEY }) as never,
        });
        new RedriveFunction(s, "redrive", {
          functionName: "shop-redrive",
          routes: r.deadLetterRoutes,
          alarmTopicArn: TOPIC,
        });
      }),
    );
    const scoped = {
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: KEY,
      Condition: { StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": MACHINE } },
    };
    expect(JSON.parse(one(j, "aws_iam_role_policy", (p) => p.name === "start-execution").policy).Statement[1]).toEqual({
      Sid: "UseTheTargetKey",
      ...scoped,
    });
    const redrive = JSON.parse(
      one(j, "aws_iam_role_policy", (p) => p.name === "shop-redrive-redrive").policy,
    ).Statement;
    expect(redrive.find((st: { Sid: string }) => st.Sid.startsWith("UseTargetKey"))).toEqual({
      Sid: "UseTargetKey0",
      ...scoped,
    });
    // Without a key: no key statement at all.
    expect(
      JSON.parse(one(json, "aws_iam_role_policy", (p) => p.name === "start-execution").policy).Statement,
    ).toHaveLength(1);
  });

  it("refuses a state machine that is not one, by its path", () => {
    const problemsOf = (arn: string): string[] => {
      try {
        synthScratch((s) => {
          new EventRouting(s, "events", {
            namePrefix: "shop",
            alarmTopicArn: TOPIC,
            rules: rules({ stateMachineArn: arn }) as never,
          });
        });
      } catch (err) {
        expect(err).toBeInstanceOf(PropsError);
        return [...(err as PropsError).problems];
      }
      throw new Error("expected a PropsError");
    };
    for (const arn of ["nope", "arn:aws:states:eu-west-1:123456789012:execution:x:y"])
      expect(problemsOf(arn)).toEqual([
        expect.stringMatching(/^rules\[0\]\.targets\[0\]\.stateMachineArn: expected a state machine ARN/),
      ]);
  });
});
