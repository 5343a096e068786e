/** The example saga in the environment stacks: the state machine, the rule starting it, the redrive's grant. */
import { environmentJson } from "../helpers/synth";

describe.each(["staging", "prod"])("%s: order-fulfilment", (env) => {
  const json = environmentJson(env);
  const machine = Object.values(json.resource.aws_sfn_state_machine ?? {})[0] as any;
  const arn = `arn:aws:states:eu-west-1:${env === "staging" ? "222222222222" : "333333333333"}:stateMachine:${env}-order-fulfilment`;

  it("is the saga's STANDARD state machine, named <env>-order-fulfilment, with its three steps", () => {
    expect(machine).toMatchObject({ name: `${env}-order-fulfilment`, type: "STANDARD" });
    const states = Object.keys(JSON.parse(machine.definition).States);
    expect(states).toEqual(
      expect.arrayContaining([
        "Reserve stock",
        "Take payment",
        "Request shipment",
        "Undo Take payment",
        "Needs a human",
      ]),
    );
  });

  it("the rule's role and the redrive may use the saga's key to start it (StartExecution encrypts the input)", () => {
    const keyStatement = (name: string) =>
      JSON.parse(
        (Object.values(json.resource.aws_iam_role_policy).find((p: any) => p.name === name) as any).policy,
      ).Statement.find((s: any) => /^Use(The)?TargetKey/.test(s.Sid));
    const machineKey = expect.stringMatching(/aws_kms_key\.saga-order-fulfilment_key.*\.arn/);
    const context = { StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": arn } };
    expect(keyStatement("start-execution")).toMatchObject({ Resource: machineKey, Condition: context });
    expect(keyStatement(`${env}-redrive-redrive`)).toMatchObject({ Resource: machineKey, Condition: context });
  });

  it("order.placed starts it through its own role, and the redrive may start exactly it", () => {
    const target = Object.values(json.resource.aws_cloudwatch_event_target).find((t: any) => t.arn === arn) as any;
    expect(target).toMatchObject({
      role_arn: expect.stringMatching(/aws_iam_role\./),
      dead_letter_config: { arn: expect.any(String) },
    });
    const redrive = Object.values(json.resource.aws_iam_role_policy).find(
      (p: any) => p.name === `${env}-redrive-redrive`,
    ) as any;
    expect(
      JSON.parse(redrive.policy).Statement.find((s: any) => s.Sid === "StartExecutionOfMachineTargets"),
    ).toMatchObject({
      Action: ["states:StartExecution"],
      Resource: [arn],
    });
  });
});
