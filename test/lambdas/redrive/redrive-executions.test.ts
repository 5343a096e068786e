/** The execution redrive's engine over a memory port: the cap, retries of a throttled call, a lasting refusal. */
import { redriveExecutions } from "../../../lambdas/redrive/executions/redrive-executions";
import type { ExecutionsPort, UnsuccessfulExecution } from "../../../lambdas/redrive/ports/port";

const MACHINE = "arn:aws:states:eu-west-1:123456789012:stateMachine:m";
const exec = (n: number): UnsuccessfulExecution => ({
  executionArn: `arn:aws:states:eu-west-1:123456789012:execution:m:e${n}`,
  status: "FAILED",
  error: "Lambda.ServiceException",
  failedState: "Take payment",
  redrivable: true,
  redriveCount: 0,
});

function port(n: number, redrive: (arn: string, attempt: number) => void): ExecutionsPort & { calls: string[] } {
  const calls: string[] = [];
  const attempts = new Map<string, number>();
  return {
    calls,
    async *unsuccessful() {
      for (let i = 0; i < n; i++) yield exec(i).executionArn;
    },
    describe: async (arn) => ({ ...exec(Number(arn.split(":e").pop())), executionArn: arn }),
    redrive: async (arn) => {
      const a = (attempts.get(arn) ?? 0) + 1;
      attempts.set(arn, a);
      calls.push(arn);
      redrive(arn, a);
    },
  };
}

const options = { stateMachineArn: MACHINE, dryRun: false, errorCodes: [], maxExecutions: 3 };

describe("redriveExecutions", () => {
  it("stops at the cap of executions taken", async () => {
    const p = port(10, () => undefined);
    const s = await redriveExecutions(options, { executions: p });
    expect(s).toMatchObject({ found: 3, replayed: 3 });
    expect(p.calls).toHaveLength(3);
  });

  it("retries a throttled RedriveExecution, and reports a lasting refusal as failed with its error", async () => {
    const throttled = Object.assign(new Error("slow down"), {
      name: "ThrottlingException",
      $retryable: { throttling: true },
    });
    const refused = Object.assign(new Error("older than 14 days"), { name: "ExecutionNotRedrivable" });
    const p = port(2, (arn, attempt) => {
      if (arn.endsWith("e0") && attempt < 3) throw throttled;
      if (arn.endsWith("e1")) throw refused;
    });
    const records: unknown[] = [];
    const s = await redriveExecutions(options, {
      executions: p,
      record: (r) => records.push(r),
      retry: { attempts: 4, baseDelayMs: 1 },
    });
    expect(s).toMatchObject({ found: 2, replayed: 1, failed: 1 });
    expect(p.calls.filter((c) => c.endsWith("e1"))).toHaveLength(1); // not retried: a refusal
    expect(records).toContainEqual(
      expect.objectContaining({ outcome: "failed", error: expect.stringMatching(/ExecutionNotRedrivable/) }),
    );
  });
});
