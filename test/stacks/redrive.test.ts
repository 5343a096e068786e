/**
 * The redrive function in each environment's stack, and the drift test: the built bundle runs
 * with exactly the environment variables the synthesized function declares, against the emulator.
 */
import { exampleConfig, setPath, writeEnvDir } from "../helpers/env-fixtures";
import { environmentJson, type TerraformJson } from "../helpers/synth";
import {
  awsEnv,
  createQueue,
  drain,
  type Emulator,
  eventBridgeAttributes,
  REGION,
  ACCOUNT,
  seed,
  startEmulator,
  uniqueName,
} from "../lambdas/redrive/support/fauxqs";
import { buildBundles, invokeBundle } from "../lambdas/redrive/support/processes";

beforeAll(() => buildBundles());

function redriveFunction(json: TerraformJson): Record<string, any> {
  const fns = Object.values(json.resource.aws_lambda_function ?? {}).filter((f: any) =>
    /-redrive$/.test(f.function_name),
  );
  expect(fns).toHaveLength(1);
  return fns[0];
}

/** Ids of the DLQs of queues a consumer (event source mapping) reads. */
function consumerDlqIds(json: TerraformJson): string[] {
  const queues = json.resource.aws_sqs_queue ?? {};
  const consumed = Object.values(json.resource.aws_lambda_event_source_mapping ?? {}).map(
    (m: any) => /aws_sqs_queue\.([^.]+)\.arn/.exec(m.event_source_arn)?.[1],
  );
  return consumed.flatMap((id) => {
    const target = /aws_sqs_queue\.([^.]+)\.arn/.exec(
      JSON.parse(queues[id!]?.redrive_policy ?? "{}").deadLetterTargetArn ?? "",
    )?.[1];
    return target ? [target] : [];
  });
}

describe("redrive in the environment stacks", () => {
  it.each(["dev", "staging", "prod"])(
    "%s: one redrive function drains every event DLQ and consumer DLQ of the environment",
    (name) => {
      const json = environmentJson(name);
      const fn = redriveFunction(json);
      expect(fn.function_name).toBe(`${name}-redrive`);
      const dlqUrls = JSON.parse(fn.environment.variables.REDRIVE_SOURCE_QUEUE_URLS) as string[];
      const dlqs = Object.entries(json.resource.aws_sqs_queue ?? {}).filter(([, q]: [string, any]) =>
        /-(delivery-dlq|async-failures|pipe-dlq)$/.test(q.name),
      );
      expect(dlqs.length).toBeGreaterThan(0);
      const ids = [...dlqs.map(([id]) => id), ...consumerDlqIds(json)];
      expect(dlqUrls.sort()).toEqual(ids.map((id) => `\${aws_sqs_queue.${id}.url}`).sort());
      const [alarm] = Object.values(json.resource.aws_cloudwatch_metric_alarm).filter(
        (a: any) => a.alarm_name === `${name}-redrive-errors`,
      ) as any[];
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\.alarms_topic.*\.arn/)]);
    },
  );

  it("config reaches the function: prod's rate and log retention, dev's disabled schedule", () => {
    const prod = environmentJson("prod");
    expect(redriveFunction(prod).environment.variables.REDRIVE_RATE).toBe("200");
    expect(
      Object.values(prod.resource.aws_cloudwatch_log_group).find((g: any) => g.name === "/aws/lambda/prod-redrive"),
    ).toMatchObject({ retention_in_days: 365 });
    const dev = environmentJson("dev");
    expect(
      Object.values(dev.resource.aws_cloudwatch_event_rule).find((r: any) => r.name === "dev-redrive-schedule"),
    ).toMatchObject({ state: "DISABLED", schedule_expression: "rate(1 hour)" });
  });

  it("prod: the function may invoke exactly the Lambda targets and put events on exactly the event-bus targets and the outbox's bus; the role ARN is an output", () => {
    const json = environmentJson("prod");
    const policies = Object.values(json.resource.aws_iam_role_policy).filter(
      (p: any) => p.name === "prod-redrive-redrive",
    ) as any[];
    expect(policies).toHaveLength(1);
    const statements = JSON.parse(policies[0].policy).Statement as {
      Sid: string;
      Action: string[];
      Resource: string[];
    }[];
    const targets = Object.values(json.resource.aws_cloudwatch_event_target).map((t: any) => t.arn as string);
    const lambdas = [
      ...new Set(targets.filter((a) => a.startsWith("arn:aws:lambda:") || /aws_lambda_function/.test(a))),
    ];
    const buses = [...new Set(targets.filter((a) => /:event-bus\//.test(a)))];
    expect(lambdas).toContain("arn:aws:lambda:eu-west-1:333333333333:function:cancel-order");
    expect(buses).toEqual(["arn:aws:events:eu-west-1:555555555555:event-bus/partner-orders"]);
    expect(statements.find((s) => s.Sid === "InvokeLambdaTargets")).toMatchObject({
      Action: ["lambda:InvokeFunction"],
      Resource: lambdas,
    });
    // The event-bus targets, and the environment's own bus the outbox's pipe failures are replayed onto.
    expect(statements.find((s) => s.Sid === "PutEventsOnBusTargets")).toMatchObject({
      Action: ["events:PutEvents"],
      Resource: [...buses, expect.stringMatching(/^\$\{aws_cloudwatch_event_bus\.events_bus.*\.arn\}$/)],
    });
    expect(json.output!["redrive-role-arn"].value).toMatch(/aws_iam_role\..*\.arn/);
  });

  it("redrive.enabled false: no function", () => {
    const dev = setPath(exampleConfig("dev"), "redrive.enabled", false);
    const json = environmentJson("dev", writeEnvDir({ dev }));
    expect(
      Object.values(json.resource.aws_lambda_function ?? {}).filter((f: any) => /-redrive$/.test(f.function_name)),
    ).toEqual([]);
  });

  describe("drift: the built bundle runs with the synthesized function's environment", () => {
    let emu: Emulator;
    beforeAll(async () => {
      emu = await startEmulator();
    });
    afterAll(() => emu.stop());

    /** Stands up the environment's DLQs in the emulator, runs the built bundle with the synthesized variables, checks every DLQ drained. */
    async function drift(name: string): Promise<void> {
      const json = environmentJson(name);
      const variables: Record<string, string> = { ...redriveFunction(json).environment.variables };
      // Stand each DLQ the function references up in the emulator (Terraform would give real URLs).
      const refs = new Map<string, { url: string; arn: string }>();
      for (const [, id] of variables.REDRIVE_SOURCE_QUEUE_URLS.matchAll(/\$\{aws_sqs_queue\.([^.}]+)\.url\}/g)) {
        refs.set(id, await createQueue(emu.sqs, uniqueName(id.replace(/_[0-9A-F]{8}$/, "").slice(0, 60))));
      }
      expect(refs.size).toBeGreaterThan(0);
      variables.REDRIVE_SOURCE_QUEUE_URLS = variables.REDRIVE_SOURCE_QUEUE_URLS.replace(
        /\$\{aws_sqs_queue\.([^.}]+)\.url\}/g,
        (_, id: string) => refs.get(id)!.url,
      );
      const leftovers = Object.entries(variables).filter(([, v]) => v.includes("${"));
      expect(leftovers).toEqual([]);

      const target = await createQueue(emu.sqs, uniqueName(`${name}-target`));
      const maxRedrives = Number(variables.REDRIVE_MAX_REDRIVES);
      const rule = `arn:aws:events:${REGION}:${ACCOUNT}:rule/r`;
      for (const dlq of refs.values()) {
        await seed(emu.sqs, dlq.url, [
          { body: `fresh-${dlq.arn}`, attributes: eventBridgeAttributes({ ruleArn: rule, targetArn: target.arn }) },
          {
            body: `poison-${dlq.arn}`,
            attributes: {
              ...eventBridgeAttributes({ ruleArn: rule, targetArn: target.arn }),
              "redrive-context": {
                DataType: "String",
                StringValue: JSON.stringify({ redriveCount: maxRedrives, originalMessageId: "x" }),
              },
            },
          },
        ]);
      }
      const out = await invokeBundle({}, awsEnv(emu.endpoint, variables));
      expect(out.error).toBeUndefined();
      expect(out.result).toMatchObject({
        received: 2 * refs.size,
        replayed: refs.size,
        skipped: { "max-redrives-reached": refs.size },
        failed: 0,
      });
      expect((await drain(emu.sqs, target.url)).map((m) => m.Body).sort()).toEqual(
        [...refs.values()].map((d) => `fresh-${d.arn}`).sort(),
      );
    }

    // Both environments at once: each run ends with one empty long poll per DLQ, idle time the two runs share.
    it("dev and prod", async () => {
      await Promise.all(["dev", "prod"].map(drift));
    });
  });
});
