/**
 * The saga's ASL, valid (asl-validator) and executed locally (aws-local-stepfunctions, each Task overridden by a
 * local function): every failure point of the example saga, and random sagas (fast-check): completed steps are
 * compensated exactly once each in reverse order, retryable errors are retried by the policy and non-retryable ones
 * never, a compensation failure reaches the needs-a-human queue with the whole context, a success compensates nothing.
 */
import aslValidator from "asl-validator";
import { ExecutionError, StateMachine } from "aws-local-stepfunctions";
import fc from "fast-check";
import { COMPENSATION_FAILED, sagaDefinition } from "../../../modules/saga/saga-definition";
import type { SagaStep } from "../../../modules/saga/saga-schema";
import { HUMAN_QUEUE_URL, ORDER_FULFILMENT } from "./fixtures";

/** States no transition reaches, and transitions to no state (what asl-validator checks of the graph; it costs ~0.1 s a call). */
function transitionProblems(definition: Record<string, any>): string[] {
  const states = definition.States as Record<string, any>;
  const targets = (st: any): string[] => [st.Next, ...(st.Catch ?? []).map((c: any) => c.Next)].filter(Boolean);
  const reached = new Set<string>([definition.StartAt]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of [...reached])
      for (const t of targets(states[name] ?? {})) if (!reached.has(t)) grew = reached.add(t) !== undefined;
  }
  const dangling = Object.values(states)
    .flatMap(targets)
    .filter((t) => !(t in states));
  return [
    ...Object.keys(states)
      .filter((n) => !reached.has(n))
      .map((n) => `unreachable ${n}`),
    ...dangling.map((t) => `no state ${t}`),
  ];
}

type Behaviour = { fails?: string; failsTimes?: number; compensationFails?: boolean };

/** Runs a saga with local tasks; records every call in order. */
async function run(steps: readonly SagaStep[], behaviour: Record<string, Behaviour>) {
  const definition = sagaDefinition("test", steps, HUMAN_QUEUE_URL);
  const calls: string[] = [];
  const human: unknown[] = [];
  const attempts = new Map<string, number>();
  const handlers: Record<string, (input: any) => unknown> = {};
  const fail = (name: string, message = "") => Object.assign(new Error(message || name), { name });
  for (const step of steps) {
    handlers[step.name] = (input) => {
      calls.push(`do ${step.name}`);
      const n = (attempts.get(step.name) ?? 0) + 1;
      attempts.set(step.name, n);
      const b = behaviour[step.name];
      if (b?.fails && n <= (b.failsTimes ?? Number.POSITIVE_INFINITY)) throw fail(b.fails, `${step.name} failed`);
      return step.action.kind === "lambda" && !step.action.waitForTaskToken
        ? { Payload: { ok: step.name } }
        : { ok: step.name, input };
    };
    if (step.compensation)
      handlers[`Undo ${step.name}`] = () => {
        calls.push(`undo ${step.name}`);
        if (behaviour[step.name]?.compensationFails) throw fail("Refund.Unavailable", "cannot undo");
        return {};
      };
  }
  handlers["Needs a human"] = (input) => {
    human.push(input.MessageBody);
    return {};
  };
  const retryIntervalOverrides = Object.fromEntries(Object.keys(definition.States as object).map((s) => [s, 0]));
  // The definition is validated once by asl-validator (first test): the runner need not compile its schema per run.
  const machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  // The Context Object the service fills (the local runner takes it as given): execution, machine, task token.
  const context = {
    Execution: { Id: "arn:aws:states:eu-west-1:123456789012:execution:test:e-1", Input: { orderId: "o-1" } },
    StateMachine: { Id: "arn:aws:states:eu-west-1:123456789012:stateMachine:test" },
    Task: { Token: "task-token" },
  };
  const execution = machine.run(
    { orderId: "o-1" },
    { overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides }, context: context as never },
  );
  try {
    const result = await execution.result;
    return { ok: true as const, result, calls, human, attempts };
  } catch (err) {
    if (!(err instanceof ExecutionError)) throw err;
    return { ok: false as const, error: (err.cause as Error | undefined) ?? err, calls, human, attempts };
  }
}

describe("saga definition", () => {
  it("is valid Amazon States Language, with readable state names", () => {
    const definition = sagaDefinition("order-fulfilment", ORDER_FULFILMENT, HUMAN_QUEUE_URL);
    const { isValid, errors } = aslValidator(definition as never);
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
    expect(transitionProblems(definition)).toEqual([]);
    // The helper the random sagas use agrees with asl-validator on a graph with an unreachable state.
    const broken = { ...definition, States: { ...(definition.States as object), Orphan: { Type: "Succeed" } } };
    expect(aslValidator(broken as never).isValid).toBe(false);
    expect(transitionProblems(broken)).toEqual(["unreachable Orphan"]);
    expect(Object.keys(definition.States as object)).toEqual([
      "Begin",
      "Reserve stock",
      "Failed at Reserve stock",
      "Undo Reserve stock",
      "Undone Reserve stock",
      "Take payment",
      "Failed at Take payment",
      "Undo Take payment",
      "Undone Take payment",
      "Request shipment",
      "Failed at Request shipment",
      "Needs a human",
      "Compensation failed",
      "Saga failed",
      "Done",
    ]);
  });

  it("success runs every step and no compensation", async () => {
    const r = await run(ORDER_FULFILMENT, {});
    expect(r.ok).toBe(true);
    expect(r.calls).toEqual(["do Reserve stock", "do Take payment", "do Request shipment"]);
  });

  it.each([
    ["Reserve stock", ["do Reserve stock"]],
    ["Take payment", ["do Reserve stock", "do Take payment", "undo Reserve stock"]],
    [
      "Request shipment",
      ["do Reserve stock", "do Take payment", "do Request shipment", "undo Take payment", "undo Reserve stock"],
    ],
  ])(
    "a non-retryable failure at %s undoes the completed steps once each, in reverse, and fails with that error",
    async (at, calls) => {
      const error =
        at === "Take payment" ? "Payment.Declined" : at === "Reserve stock" ? "Stock.OutOfStock" : "Shipping.Refused";
      const r = await run(ORDER_FULFILMENT, { [at]: { fails: error } });
      expect(r.ok).toBe(false);
      expect(r.calls).toEqual(calls);
      expect(r.ok === false && (r.error as Error).name).toBe(error);
      expect(r.human).toEqual([]);
    },
  );

  it("retries a transient error by the policy and succeeds; a declared non-retryable error is never retried", async () => {
    const transient = await run(ORDER_FULFILMENT, {
      "Take payment": { fails: "Lambda.TooManyRequestsException", failsTimes: 2 },
    });
    expect(transient.ok).toBe(true);
    expect(transient.attempts.get("Take payment")).toBe(3);
    const exhausted = await run(ORDER_FULFILMENT, { "Take payment": { fails: "Lambda.ServiceException" } });
    expect(exhausted.attempts.get("Take payment")).toBe(4); // 1 + maxAttempts 3
    const declined = await run(ORDER_FULFILMENT, { "Take payment": { fails: "Payment.Declined" } });
    expect(declined.attempts.get("Take payment")).toBe(1);
  });

  it("a compensation that fails for good sends the whole context to the needs-a-human queue and fails the execution", async () => {
    const r = await run(ORDER_FULFILMENT, {
      "Request shipment": { fails: "Shipping.Refused" },
      "Take payment": { compensationFails: true },
    });
    expect(r.ok === false && (r.error as Error).name).toBe(COMPENSATION_FAILED);
    expect(r.calls.filter((c) => c === "undo Take payment")).toHaveLength(9); // 1 + 8 retries
    expect(r.calls).not.toContain("undo Reserve stock");
    expect(r.human).toEqual([
      expect.objectContaining({
        failedStep: "Request shipment",
        error: expect.objectContaining({ Error: "Shipping.Refused" }),
        compensationError: expect.objectContaining({ Error: "Refund.Unavailable" }),
        completed: ["Reserve stock", "Take payment"],
        undone: {},
        input: { orderId: "o-1" },
      }),
    ]);
  });

  it("random sagas: compensated exactly once each, in reverse order of completion, only completed steps", async () => {
    const step = (i: number, withUndo: boolean): SagaStep => ({
      name: `Step ${i}`,
      action: { kind: "lambda", functionArn: `arn:aws:lambda:eu-west-1:123456789012:function:s${i}` },
      ...(withUndo
        ? { compensation: { kind: "lambda", functionArn: `arn:aws:lambda:eu-west-1:123456789012:function:u${i}` } }
        : {}),
      nonRetryableErrors: ["Business.Rejected"],
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.constantFrom("Business.Rejected", "Lambda.ServiceException"),
        async (undos, failAt, error) => {
          const steps = undos.map((u, i) => step(i, u && i < undos.length - 1));
          // Every shape's transitions hold (asl-validator refuses an unreachable state or a dangling Next).
          expect(transitionProblems(sagaDefinition("random", steps, HUMAN_QUEUE_URL))).toEqual([]);
          const at = failAt === undefined ? undefined : failAt % steps.length;
          const r = await run(steps, at === undefined ? {} : { [`Step ${at}`]: { fails: error } });
          const done = at === undefined ? steps.length : at;
          const expectedUndo = steps
            .slice(0, done)
            .filter((s) => s.compensation)
            .map((s) => `undo ${s.name}`)
            .reverse();
          expect(r.calls.filter((c) => c.startsWith("undo "))).toEqual(at === undefined ? [] : expectedUndo);
          expect(r.ok).toBe(at === undefined);
          if (at !== undefined) expect(r.attempts.get(`Step ${at}`)).toBe(error === "Business.Rejected" ? 1 : 4);
        },
      ),
      { numRuns: 40 },
    );
  });
});
