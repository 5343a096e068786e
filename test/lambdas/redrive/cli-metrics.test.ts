/**
 * The redrive's own metrics: each CLI run ends with one PutMetricData (replayed, failed, skipped, duration, for the
 * DLQ), CloudWatch through aws-sdk-client-mock over a real run on fauxqs; a failure to publish is a warning, never the
 * run's failure; a dry run publishes nothing.
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { runMetrics } from "../../../lambdas/redrive/engine/run-metrics";
import { createQueue, seed, uniqueName } from "./support/fauxqs";
import { runMainHere, stderrJson, withCliEmulator } from "./support/processes";

const ctx = withCliEmulator();
const cw = mockClient(CloudWatchClient);
afterAll(() => cw.restore());

/** A DLQ with `n` plain messages and a queue to replay them to. */
async function dlqOf(n: number) {
  const dlq = await createQueue(ctx.emu.sqs, uniqueName("m-dlq"));
  const to = await createQueue(ctx.emu.sqs, uniqueName("m-to"));
  await seed(
    ctx.emu.sqs,
    dlq.url,
    Array.from({ length: n }, (_, i) => ({ body: `m${i}` })),
  );
  return { dlq, to };
}

const run = (argv: string[]) =>
  runMainHere([...argv, "--json", "--wait-seconds", "0", "--not-production"], {
    ...ctx.env,
    RESILIENT_EDGE_METRICS: "",
  });

describe("redrive metrics", () => {
  it("a CLI run ends with one PutMetricData: replayed, failed, skipped and duration for the DLQ", async () => {
    cw.reset();
    cw.on(PutMetricDataCommand).resolves({});
    const { dlq, to } = await dlqOf(3);
    const r = await run(["--queue-url", dlq.url, "--to", to.url]);
    expect(r.code).toBe(0);
    const calls = cw.commandCalls(PutMetricDataCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.Namespace).toBe("ResilientEdge/Redrive");
    expect(input.MetricData!.map((m) => [m.MetricName, m.Unit, m.Dimensions])).toEqual(
      ["Replayed", "Failed", "Skipped", "Duration"].map((name) => [
        name,
        name === "Duration" ? "Milliseconds" : "Count",
        [{ Name: "QueueName", Value: dlq.url.split("/").pop() }],
      ]),
    );
    expect(input.MetricData!.slice(0, 3).map((m) => m.Value)).toEqual([3, 0, 0]);
    expect(stderrJson(r.stderr).find((l) => l.event === "redrive.metrics")).toMatchObject({ sent: 4 });
  });

  it("a failure to publish is a warning, and the run's exit code stays its own", async () => {
    cw.reset();
    cw.on(PutMetricDataCommand).rejects(
      Object.assign(new Error("not authorized to cloudwatch:PutMetricData"), { name: "AccessDenied" }),
    );
    const { dlq, to } = await dlqOf(1);
    const r = await run(["--queue-url", dlq.url, "--to", to.url]);
    expect(r.code).toBe(0);
    expect(stderrJson(r.stderr).find((l) => l.level === "warn" && l.metrics === false)?.message).toMatch(
      /^metrics not published \(the run is unaffected\): .*cloudwatch:PutMetricData/,
    );
  });

  it("publishes nothing for a dry run, or with --no-metrics", async () => {
    cw.reset();
    cw.on(PutMetricDataCommand).resolves({});
    const { dlq, to } = await dlqOf(1);
    expect((await run(["--queue-url", dlq.url, "--to", to.url, "--dry-run"])).code).toBe(0);
    expect((await run(["--queue-url", dlq.url, "--to", to.url, "--no-metrics"])).code).toBe(0);
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(
      runMetrics({ dryRun: true, queues: ["q"], replayed: 0, failed: 0, skippedTotal: 0, durationMs: 1 } as never),
    ).toBeUndefined();
  });
});
