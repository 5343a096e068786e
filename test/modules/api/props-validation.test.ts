import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { TerraformStack, Testing, Token } from "cdktn";
import { z } from "zod";
import { ApiAlarms } from "../../../modules/api/api-alarms";
import { ApiDistribution } from "../../../modules/api/api-distribution";
import { ApiRoutes } from "../../../modules/api/api-routes";
import { ApiStage } from "../../../modules/api/api-stage";
import { AsyncRouteQueue } from "../../../modules/api/async-route-queue";
import { Parsed, parseProps } from "../../../modules/shared/parse-props";
import { API_REFERENCE_SAMPLES } from "../../../modules/shared/reference-samples";
import { UsagePlanTiers } from "../../../modules/api/usage-plan-tiers";
import { PropsError } from "../../../modules/shared/validation";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";

/** The API module's parse: the one entry point with the module's reference fields. */
const validateProps = (construct: string, schema: z.ZodType, props: unknown) =>
  parseProps(construct, schema, props, { references: API_REFERENCE_SAMPLES }) as any;

describe("parseProps with Terraform references (the API module's one parse per construct)", () => {
  const schema = z.strictObject({
    name: z.string().regex(/^[a-z]+$/, { message: "expected lower-case letters" }),
    queues: z.record(z.string(), z.strictObject({ kmsKeyArn: z.string().regex(/^arn:aws:kms:/) })),
  });

  it("returns the parsed props with a Terraform reference in a reference field put back, not its stand-in", () => {
    const token = Token.asString({ Ref: "key" });
    const parsed = validateProps("Test t", schema, { name: "orders", queues: { a: { kmsKeyArn: token } } });
    expect(parsed.queues.a.kmsKeyArn).toBe(token);
  });

  it("judges a reference anywhere else as the text it is", () => {
    expect(() => validateProps("Test t", schema, { name: Token.asString({ Ref: "x" }), queues: {} })).toThrow(
      /Test t: invalid props:\n {2}name: expected lower-case letters, got "\$\{TfToken/,
    );
  });

  it("a `__proto__` key (dropped by zod's records) never reaches the construct, nor Object.prototype", () => {
    const queues = { a: { kmsKeyArn: KEY } };
    Object.defineProperty(queues, "__proto__", {
      value: { kmsKeyArn: Token.asString({ Ref: "x" }) },
      enumerable: true,
      configurable: true,
      writable: true,
    });
    const parsed = validateProps("Test t", schema, { name: "orders", queues });
    expect(Object.keys(parsed.queues)).toEqual(["a"]);
    expect(({} as Record<string, unknown>).kmsKeyArn).toBeUndefined();
  });

  it("props a parent parsed (RestApiFrontDoor's parts get theirs as Parsed) are not parsed again", () => {
    const props = { name: "NOT VALID" };
    expect(validateProps("Test t", schema, new Parsed(props))).toBe(props);
    expect(() => validateProps("Test t", schema, { name: "NOT VALID" })).toThrow(PropsError);
  });
});

describe("the constructs RestApiFrontDoor is made of validate their own props when used alone", () => {
  function problems(build: (stack: TerraformStack) => void): string[] {
    const stack = new TerraformStack(Testing.app(), "parts");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    try {
      build(stack);
    } catch (err) {
      if (!(err instanceof PropsError)) throw err;
      return [...err.problems];
    }
    throw new Error("expected a PropsError");
  }

  it.each<[string, (stack: TerraformStack) => void, string[]]>([
    [
      "UsagePlanTiers: a tier above the account throttle, a misspelled key",
      (s) =>
        new UsagePlanTiers(s, "tiers", {
          apiName: "shop",
          restApiId: "id",
          stageName: "v1",
          tiers: { gold: { throttle: { rateLimit: 20_000, burstLimit: 1 }, qouta: {} } as any },
        }),
      [
        "tiers.gold.throttle.rateLimit: expected a number <= 10000, got 20000",
        'tiers.gold.qouta: unknown field (did you mean "quota"?)',
      ],
    ],
    [
      "ApiAlarms: the issue's 2,000,000 server errors, a topic that is no ARN",
      (s) =>
        new ApiAlarms(s, "alarms", {
          apiName: "shop",
          stageName: "v1",
          topicArn: "alarms",
          thresholds: { serverErrors: 2_000_000 },
        }),
      [
        'topicArn: expected an SNS topic ARN, got "alarms"',
        "thresholds.serverErrors: expected a number <= 1000000, got 2000000",
      ],
    ],
    [
      "ApiStage: a throttle missing, a log key alias",
      (s) =>
        new ApiStage(s, "stage", {
          restApiId: "id",
          apiName: "shop",
          stageName: "v1",
          redeploymentHash: "h",
          accessLogKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:alias/logs",
        } as any),
      [
        "throttle: required field is missing (expected an object)",
        'accessLogKmsKeyArn: expected a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/<uuid> (not an alias), got "arn:aws:kms:eu-west-1:123456789012:alias/logs"',
      ],
    ],
    [
      "ApiDistribution: a certificate outside us-east-1",
      (s) =>
        new ApiDistribution(s, "edge", {
          apiName: "shop",
          originDomainName: "id.execute-api.eu-west-1.amazonaws.com",
          originPath: "/v1",
          customDomain: {
            domainName: "api.example.com",
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
          },
        }),
      [
        'customDomain.certificateArn: expected an ACM certificate ARN in us-east-1 (CloudFront only uses certificates there), got "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-55555...',
      ],
    ],
    [
      "AsyncRouteQueue: a bad name, encryption kms without a key (the queue options' own rules)",
      (s) => new AsyncRouteQueue(s, "queue", { name: "bad name", encryption: "kms" }),
      [
        "name: expected a standard queue name of 1-76 letters, digits, '-' or '_' (its DLQ adds \"-dlq\"), got \"bad name\"",
        'kmsKeyArn: expected a KMS key ARN when encryption is "kms"',
      ],
    ],
    [
      "ApiRoutes: no RequestValidation construct",
      (s) =>
        new ApiRoutes(s, "routes", {
          restApiId: "id",
          rootResourceId: "root",
          resources: { "/items": { GET: { integration: { type: "MOCK", timeoutMs: 100 } } } },
        } as any),
      ["validation: required field is missing (expected the API's RequestValidation construct)"],
    ],
  ])("%s", (_case, build, expected) => {
    expect(problems(build).sort()).toEqual([...expected].sort());
  });
});
