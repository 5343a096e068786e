import { readFileSync } from "node:fs";
import { SqsQueue } from "@cdktn/provider-aws/lib/sqs-queue";
import { checkStacks, formatReport, idleRules, judgedCount, passed } from "../../policy/engine";
import type { Rule } from "../../policy/rule";
import { RULES, sqsEncrypted } from "../../policy/rules";
import { StackView, type TerraformJson } from "../../policy/terraform-json";
import { scratchJson } from "./scratch";

// Two stacks, each with one unencrypted queue: sqs-encrypted finds aws_sqs_queue.plain in both.
const plain = scratchJson((s) => new SqsQueue(s, "plain", { name: "plain" }));
const stacks = { dev: plain, prod: plain };
const rules = [sqsEncrypted];
const REASON = "fixture queue holds no data; encryption is proven by the sqs-encrypted tests";

describe("policy engine", () => {
  it("reports each finding with rule, Checkov id, stack, address and reason, and fails", () => {
    const report = checkStacks(stacks, { rules, waivers: [] });
    expect(report.findings).toEqual(
      ["dev", "prod"].map((stack) => ({
        rule: "sqs-encrypted",
        checkov: "CKV_AWS_27",
        stack,
        address: "aws_sqs_queue.plain",
        reason: "neither sqs_managed_sse_enabled = true nor kms_master_key_id is set",
      })),
    );
    expect(passed(report)).toBe(false);
    expect(formatReport(report)).toContain(
      "FAIL   sqs-encrypted (CKV_AWS_27) dev aws_sqs_queue.plain: neither sqs_managed_sse_enabled = true nor kms_master_key_id is set",
    );
  });

  it("a waiver covers its one resource in the stacks it names, and the report prints it with its reason", () => {
    const report = checkStacks(stacks, {
      rules,
      waivers: [{ rule: "sqs-encrypted", stacks: ["dev", "prod"], path: "aws_sqs_queue.plain", reason: REASON }],
    });
    expect(report.findings).toEqual([]);
    expect(report.waived.map((w) => w.finding.stack)).toEqual(["dev", "prod"]);
    expect(passed(report)).toBe(true);
    const text = formatReport(report);
    expect(text).toContain(
      "WAIVED sqs-encrypted (CKV_AWS_27) dev aws_sqs_queue.plain: neither sqs_managed_sse_enabled = true nor kms_master_key_id is set",
    );
    expect(text).toContain(`waiver reason: ${REASON}`);
    expect(text).toMatch(/passed: 0 finding\(s\), 2 waived, 0 waiver error\(s\)$/);
  });

  it("a waiver limited to one stack leaves the other stack's finding failing", () => {
    const report = checkStacks(stacks, {
      rules,
      waivers: [{ rule: "sqs-encrypted", stacks: ["dev"], path: "aws_sqs_queue.plain", reason: REASON }],
    });
    expect(report.findings.map((f) => f.stack)).toEqual(["prod"]);
    expect(report.waived.map((w) => w.finding.stack)).toEqual(["dev"]);
  });

  describe("construct paths", () => {
    // cdktf writes each resource's construct path into its metadata; the engine reports it relative to the stack.
    const withMetadata = (stack: string): TerraformJson => ({
      resource: {
        aws_sqs_queue: {
          "orders-queue_45B7E620": {
            name: "orders",
            "//": { metadata: { path: `${stack}/events/orders-queue`, uniqueId: "x" } },
          },
        },
      },
    });
    const apps = { dev: withMetadata("dev"), prod: withMetadata("prod") };

    it("each finding carries the resource's construct path inside its stack, printed after the address", () => {
      const report = checkStacks(apps, { rules, waivers: [] });
      expect(report.findings.map((f) => [f.stack, f.path])).toEqual([
        ["dev", "events/orders-queue"],
        ["prod", "events/orders-queue"],
      ]);
      expect(formatReport(report)).toContain(
        "FAIL   sqs-encrypted (CKV_AWS_27) dev aws_sqs_queue.orders-queue_45B7E620 (events/orders-queue): neither",
      );
    });

    it("a waiver matches by stack and construct path, never by the address alone", () => {
      const byPath = checkStacks(apps, {
        rules,
        waivers: [{ rule: "sqs-encrypted", stacks: ["prod"], path: "events/orders-queue", reason: REASON }],
      });
      expect(byPath.waived.map((w) => `${w.finding.stack}/${w.finding.path}`)).toEqual(["prod/events/orders-queue"]);
      expect(byPath.findings.map((f) => f.stack)).toEqual(["dev"]);
      const byAddress = checkStacks(apps, {
        rules,
        waivers: [
          { rule: "sqs-encrypted", stacks: ["prod"], path: "aws_sqs_queue.orders-queue_45B7E620", reason: REASON },
        ],
      });
      expect(byAddress.waived).toEqual([]);
      expect(byAddress.waiverErrors).toEqual([
        "waiver sqs-encrypted aws_sqs_queue.orders-queue_45B7E620: matches no finding in prod; remove it",
      ]);
    });
  });

  it("a waiver whose stacks were not checked (another app's output) is not applied and is not an error", () => {
    const other = { "orders-api": plain };
    const report = checkStacks(other, {
      rules,
      waivers: [{ rule: "sqs-encrypted", stacks: ["dev"], path: "aws_sqs_queue.plain", reason: REASON }],
    });
    expect(report.waived).toEqual([]);
    expect(report.findings.map((f) => f.stack)).toEqual(["orders-api"]);
    expect(report.waiverErrors).toEqual([]);
    expect(report.notApplicable.map((w) => w.stacks)).toEqual([["dev"]]);
    expect(formatReport(report)).toContain(
      "SKIP   waiver sqs-encrypted aws_sqs_queue.plain: none of its stacks (dev) was checked",
    );
  });

  it("a waiver that matches nothing in a stack it names is an error", () => {
    const report = checkStacks(stacks, {
      rules,
      waivers: [{ rule: "sqs-encrypted", stacks: ["dev", "qa"], path: "aws_sqs_queue.gone", reason: REASON }],
    });
    expect(report.waiverErrors).toEqual([
      'waiver sqs-encrypted aws_sqs_queue.gone: matches no finding in dev; remove it, or fix its path (did you mean "aws_sqs_queue.plain"?)',
    ]);
    expect(passed(report)).toBe(false);
    expect(formatReport(report)).toContain(
      "ERROR  waiver sqs-encrypted aws_sqs_queue.gone: matches no finding in dev; remove it",
    );
  });

  it("rejects waivers for unknown rules, without a real reason or stacks, with a bad path, or duplicated", () => {
    const report = checkStacks(stacks, {
      rules,
      waivers: [
        { rule: "sqs-encrypted", stacks: ["dev", "prod"], path: "aws_sqs_queue.plain", reason: "ok" },
        { rule: "sqs-encrypted", stacks: ["prod"], path: "aws_sqs_queue.plain", reason: REASON },
        { rule: "no-such-rule", stacks: ["dev"], path: "aws_sqs_queue.plain", reason: REASON },
        { rule: "sqs-encrypted", stacks: [], path: "/dev/plain", reason: REASON },
      ],
    });
    expect(report.waiverErrors).toEqual([
      'waiver sqs-encrypted aws_sqs_queue.plain: reason must explain the exception in at least 20 characters, got "ok"',
      "waiver sqs-encrypted aws_sqs_queue.plain: declared twice for stack prod",
      'waiver no-such-rule aws_sqs_queue.plain: unknown rule "no-such-rule" (expected one of "sqs-encrypted")',
      "waiver sqs-encrypted /dev/plain: stacks must name at least one stack, got []",
      'waiver sqs-encrypted /dev/plain: path must be a construct path inside the stack (api/routes/method-health-GET) or a provider/backend address, got "/dev/plain"',
      // The first of the two duplicates covers the findings; the second is left unused.
      "waiver sqs-encrypted aws_sqs_queue.plain: matches no finding in prod; remove it",
      "waiver no-such-rule aws_sqs_queue.plain: matches no finding in dev; remove it",
    ]);
  });

  it("counts what each rule judged and prints the rules that judged nothing as IDLE", () => {
    const report = checkStacks(stacks, { rules: RULES, waivers: [] });
    expect(report.judged["sqs-encrypted"]).toBe(2); // one queue in each of two stacks
    expect(report.judged["account-remote-state-locked"]).toBe(2); // every stack has state, even local
    expect(report.judged["lambda-xray"]).toBe(0);
    expect(idleRules(report).map((r) => r.id)).toContain("lambda-xray");
    expect(idleRules(report).map((r) => r.id)).not.toContain("sqs-encrypted");
    expect(formatReport(report)).toContain(
      "IDLE   lambda-xray: judged nothing, no aws_lambda_function in any stack checked",
    );
  });

  it("judgedCount reads resources, data sources, provider configurations and the backend", () => {
    const view = new StackView("s", {
      terraform: {},
      provider: { aws: [{ region: "eu-west-1" }, { alias: "use1", region: "us-east-1" }] },
      resource: { aws_iam_role: { a: {}, b: {} } },
      data: { aws_iam_policy_document: { d: {} } },
    });
    const rule: Rule = {
      id: "x-y",
      meaning: "m",
      kinds: ["aws_iam_role", "data.aws_iam_policy_document", "provider.aws", "terraform.backend"],
      check: () => [],
    };
    expect(judgedCount(rule, view)).toBe(2 + 1 + 2 + 1);
  });

  it("a rule that throws becomes a finding instead of passing silently", () => {
    const broken: Rule = {
      id: "broken",
      meaning: "always throws",
      kinds: ["aws_sqs_queue"],
      check: () => {
        throw new Error("boom");
      },
    };
    const report = checkStacks({ dev: plain }, { rules: [broken], waivers: [] });
    expect(report.findings).toEqual([
      { rule: "broken", checkov: undefined, stack: "dev", address: "(rule)", reason: "the rule failed to run: boom" },
    ]);
  });

  it("every rule has a unique kebab-case id, a one-line meaning and the kinds it judges", () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(r.meaning).not.toMatch(/\n/);
      expect(r.kinds.length).toBeGreaterThan(0);
      if (r.checkov) expect(r.checkov).toMatch(/^CKV2?_(AWS|TF)_\d+$/);
    }
  });

  it("the Guardrails page's table (docs/guardrails.md) lists every rule with its Checkov id", () => {
    const readme = readFileSync("docs/guardrails.md", "utf8");
    for (const r of RULES) expect(readme).toMatch(new RegExp(`\\| \`${r.id}\` \\| ${r.checkov ?? "-"}`));
  });

  it("a misspelled rule or construct path gets a did-you-mean", () => {
    const report = checkStacks(
      { dev: plain },
      {
        rules: RULES,
        waivers: [
          { rule: "sqs-encryptd", stacks: ["dev"], path: "plain", reason: "a reason long enough to count here" },
          {
            rule: "sqs-encrypted",
            stacks: ["dev"],
            path: "aws_sqs_queue.plian",
            reason: "a reason long enough to count here",
          },
        ],
      },
    );
    expect(report.waiverErrors).toEqual(
      expect.arrayContaining([
        'waiver sqs-encryptd plain: unknown rule "sqs-encryptd" (did you mean "sqs-encrypted"?)',
        'waiver sqs-encrypted aws_sqs_queue.plian: matches no finding in dev; remove it, or fix its path (did you mean "aws_sqs_queue.plain"?)',
      ]),
    );
  });
});
