/** The game day's pure parts: flags, the plan from an env file, the reconciliation, the report; the CLI's exits as a whole process. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { APIGatewayClient, GetRestApisCommand } from "@aws-sdk/client-api-gateway";
import { mockClient } from "aws-sdk-client-mock";
import { discoverEndpoint } from "../../../lambdas/gameday/endpoint";
import { parseOptions, UsageError } from "../../../lambdas/gameday/options";
import { orderIdOf, orderIds } from "../../../lambdas/gameday/orders";
import { planGameday, PlanError } from "../../../lambdas/gameday/plan";
import { clean, reconcile } from "../../../lambdas/gameday/reconcile";
import { humanReport } from "../../../lambdas/gameday/report";
import type { SendResult } from "../../../lambdas/gameday/send";
import { parseEnvironmentFile } from "../../../stacks/config/load";
import { exampleConfig, writeEnvDir } from "../../helpers/env-fixtures";
import { buildBundles, ROOT } from "../redrive/support/processes";

const problemsOf = (argv: string[]) => {
  try {
    parseOptions(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).problems;
  }
  throw new Error("expected a UsageError");
};

const loaded = (config: Record<string, unknown>) =>
  parseEnvironmentFile("env/staging.json", JSON.stringify(config)).environment!;

describe("game day flags", () => {
  it("names every bad flag at once, with what it expected", () => {
    expect(problemsOf(["--requests", "1.5", "--rate", "0", "--route", "orders", "--redrive", "--no-redrive"])).toEqual([
      "--env: required: the environment's name (env/<name>.json)",
      "--experiment: required: an experiment of its faultInjection.experiments",
      '--route: expected a method and path such as "POST /orders", got "orders"',
      "--redrive and --no-redrive: give one of them",
      '--requests: expected a whole number from 1 to 100000, got "1.5"',
      '--rate: expected a number from 1 to 1000, got "0"',
    ]);
    expect(problemsOf(["--env", "x", "--bogus"])).toEqual([expect.stringMatching(/Unknown option '--bogus'/)]);
  });

  it("applies the defaults: 8 in flight, 20 a second, 4 tries, 5 s polls, 10 minutes to settle; redrive asked", () => {
    const o = parseOptions([
      "--env",
      "s",
      "--experiment",
      "e",
      "--requests",
      "10",
      "--endpoint",
      "https://a.example.com",
    ]);
    expect(o).toMatchObject({ concurrency: 8, rate: 20, attempts: 4, pollSeconds: 5, settleTimeoutSeconds: 600 });
    expect(o.redrive).toBeUndefined();
    expect(o.sendAfterSeconds).toBeUndefined();
  });
});

describe("the API's stage URL when no --endpoint is given", () => {
  const apigw = mockClient(APIGatewayClient);
  afterAll(() => apigw.restore());
  const plan = () => planGameday(loaded(exampleConfig("staging")), "orders-errors");

  it("is the environment's REST API found by its name, on its stage", async () => {
    apigw.reset();
    apigw
      .on(GetRestApisCommand)
      .resolvesOnce({ items: [{ id: "other1", name: "other" }], position: "p2" })
      .resolvesOnce({ items: [{ id: "abc123", name: "edge-demo" }] });
    expect(await discoverEndpoint(new APIGatewayClient({ region: "eu-west-1" }), plan())).toBe(
      "https://abc123.execute-api.eu-west-1.amazonaws.com/v1",
    );
  });

  it("refuses to guess between two APIs of that name, and names the account when there is none", async () => {
    apigw.reset();
    apigw.on(GetRestApisCommand).resolves({
      items: [
        { id: "a1", name: "edge-demo" },
        { id: "b2", name: "edge-demo" },
      ],
    });
    await expect(discoverEndpoint(new APIGatewayClient({ region: "eu-west-1" }), plan())).rejects.toThrow(
      "2 REST APIs are named edge-demo in account 222222222222 (eu-west-1): a1, b2; pass --endpoint",
    );
    apigw.reset();
    apigw.on(GetRestApisCommand).resolves({ items: [] });
    await expect(discoverEndpoint(new APIGatewayClient({ region: "eu-west-1" }), plan())).rejects.toThrow(
      "no REST API named edge-demo in account 222222222222 (eu-west-1): deploy the environment first, or pass --endpoint",
    );
  });
});

describe("the plan from an env file", () => {
  it("sends to the route whose consumer writes the state table, its queue named as the API module names it", () => {
    expect(planGameday(loaded(exampleConfig("staging")), "orders-errors")).toMatchObject({
      route: "POST /orders",
      queueName: "edge-demo-orders-post",
      deadLetterQueueName: "edge-demo-orders-post-dlq",
      consumer: "staging-orders",
      stateTable: "staging-orders-state",
      apiName: "edge-demo",
      stageName: "v1",
      slowPollIntervalSeconds: 60,
      production: false,
    });
  });

  it("refuses an unknown experiment, a route without a consumer, a consumer that writes no state table", () => {
    const env = loaded(exampleConfig("staging"));
    expect(() => planGameday(env, "nope")).toThrow(
      new PlanError(
        "env/staging.json: faultInjection.experiments: no experiment named nope (experiments: orders-errors, orders-latency)",
      ),
    );
    expect(() => planGameday(env, "orders-errors", "POST /items")).toThrow(/no consumer reads POST \/items/);
    const noWriter = exampleConfig("staging");
    noWriter.outbox.writers = [];
    expect(() => planGameday(loaded(noWriter), "orders-errors", "POST /orders")).toThrow(
      /outbox\.writers: consumer orders \(POST \/orders\) does not write the outbox's state table/,
    );
  });
});

describe("the reconciliation", () => {
  const ids = orderIds("gd-x", 6);
  const sent =
    (accepted: boolean, status = 202): ((id: string) => SendResult) =>
    (orderId) => ({
      orderId,
      accepted,
      status,
      attempts: 1,
    });
  const results = [...ids.slice(0, 5).map(sent(true)), sent(false, 429)(ids[5])];

  it("accounts for each accepted order once: processed, in the DLQ, or missing once the queue drained", () => {
    const r = reconcile(results, {
      processed: new Set(ids.slice(0, 3)),
      deadLetterQueue: { name: "orders-dlq", ids: new Set([ids[3]]) },
      settled: true,
    });
    expect(r).toEqual({
      sent: 6,
      accepted: 5,
      rejected: { "429": [ids[5]] },
      processed: 3,
      inDeadLetterQueue: { "orders-dlq": [ids[3]] },
      unsettled: [],
      missing: [ids[4]],
    });
    expect(clean(r)).toBe(false);
  });

  it("never calls an order missing (or the run clean) while the queue still held messages", () => {
    const r = reconcile(results, {
      processed: new Set(ids.slice(0, 4)),
      deadLetterQueue: { name: "q", ids: new Set() },
      settled: false,
    });
    expect(r.missing).toEqual([]);
    expect(r.unsettled).toEqual([ids[4]]);
    expect(clean(r)).toBe(false);
    expect(clean({ ...r, unsettled: [] })).toBe(true);
  });

  it("reads a run's order ids back from message bodies, and nothing else", () => {
    expect(orderIds("gd-x", 12).slice(0, 2)).toEqual(["gd-x-01", "gd-x-02"]);
    expect(
      [JSON.stringify({ orderId: "gd-x-07" }), '{"orderId":"gd-y-01"}', "not json", undefined].map((b) =>
        orderIdOf(b, "gd-x"),
      ),
    ).toEqual(["gd-x-07", undefined, undefined, undefined]);
  });

  it("tells people what was lost, by id, and what waits in a DLQ with the command to redrive it", () => {
    const reconciliation = reconcile(results, {
      processed: new Set(ids.slice(0, 3)),
      deadLetterQueue: { name: "orders-dlq", ids: new Set([ids[3]]) },
      settled: true,
    });
    const base = {
      runId: "gd-x",
      env: "staging",
      route: "POST /orders",
      sent: 6,
      experiment: {
        name: "orders-errors",
        id: "EXP1",
        templateId: "EXT1",
        state: { status: "completed" },
        alarmsFired: ["a-dlq"],
      },
    };
    const lost = humanReport({ ...base, reconciliation, clean: false });
    expect(lost).toContain("rejected (429)                         1");
    expect(lost).toContain("in the DLQ orders-dlq                  1");
    expect(lost).toContain(`MISSING: 1 accepted order(s) were lost: ${ids[4]}`);
    expect(lost).toContain("Alarms that fired: a-dlq");
    const ok = humanReport({ ...base, reconciliation: { ...reconciliation, missing: [] }, clean: true });
    expect(ok).toContain("Every accepted order is accounted for: nothing is missing.");
    expect(ok).toMatch(/1 order\(s\) wait in orders-dlq: npm run -s redrive -- --queue-url/);
  });
});

describe("the CLI as a whole process", () => {
  beforeAll(() => buildBundles());
  const run = (args: string[], envDir: string) =>
    spawnSync(process.execPath, [join(ROOT, "dist", "cli", "gameday.cjs"), ...args, "--env-dir", envDir], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: "true" },
    });
  const base = ["--experiment", "orders-errors", "--requests", "5", "--endpoint", "https://api.example.com"];

  it("refuses a production environment without --production (exit 3), before any AWS call", () => {
    const prod = exampleConfig("prod");
    prod.faultInjection = { ...exampleConfig("staging").faultInjection, allowInProduction: true };
    prod.outbox = exampleConfig("staging").outbox;
    prod.consumers = exampleConfig("staging").consumers;
    const dir = writeEnvDir({ prod });
    const r = run(["--env", "prod", ...base], dir);
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 3,
      stderr:
        "gameday: prod is a production environment (its env file says production: true): add --production to run a game day there\n",
    });
  });

  it("names a missing env file, and an invalid one field by field (exit 2)", () => {
    const dir = writeEnvDir({ staging: { ...exampleConfig("staging"), owner: "" } });
    const missing = run(["--env", "qa", ...base], dir);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^gameday: --env: no env file .*\/qa\.json \(environments: staging\)\n/);
    const invalid = run(["--env", "staging", ...base], dir);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/^gameday: .*staging\.json: owner: expected the owning team's name\n/);
  });
});
