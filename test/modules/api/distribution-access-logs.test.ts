import {
  CLOUDFRONT_LOG_REGION,
  DistributionAccessLogs,
  type DistributionAccessLogsProps,
} from "../../../modules/api/distribution-access-logs";
import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { PropsError } from "../../../modules/shared/validation";
import { configProblemsOf, exampleConfig, setPath, writeEnvDir } from "../../helpers/env-fixtures";
import { environmentJson, synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, demoProps, one, ref } from "./fixtures";

const SOURCE = "aws_cloudwatch_log_delivery_source";
const DESTINATION = "aws_cloudwatch_log_delivery_destination";
const DELIVERY = "aws_cloudwatch_log_delivery";
const LOG_GROUP = "aws_cloudwatch_log_group";
const DELIVERY_TYPES = [LOG_GROUP, SOURCE, DESTINATION, DELIVERY];
const DISTRIBUTION_ARN = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL";

const cloudFrontLogs = (g: Record<string, any>) => g.name.startsWith("/aws/cloudfront/");

function frontDoor(props: RestApiFrontDoorProps): TerraformJson {
  return JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "front-door", props)));
}

/** Asserts the four resources log `distributionRef`'s requests for API `name`, in us-east-1, kept `days`. */
function expectDelivery(json: TerraformJson, name: string, distributionRef: string, days: number): void {
  const group = one(json, LOG_GROUP, cloudFrontLogs);
  expect(group).toEqual({
    region: "us-east-1",
    name: `/aws/cloudfront/${name}`,
    retention_in_days: days,
    tags: expect.anything(),
  });
  expect(one(json, SOURCE)).toMatchObject({
    region: "us-east-1",
    name: `${name}-cf-access`,
    log_type: "ACCESS_LOGS",
    resource_arn: distributionRef,
  });
  expect(one(json, DESTINATION)).toMatchObject({
    region: "us-east-1",
    name: `${name}-cf-access`,
    output_format: "json",
    delivery_destination_configuration: [{ destination_resource_arn: ref(json, LOG_GROUP, cloudFrontLogs, "arn") }],
  });
  expect(one(json, DELIVERY)).toMatchObject({
    region: "us-east-1",
    delivery_source_name: ref(json, SOURCE, () => true, "name"),
    delivery_destination_arn: ref(json, DESTINATION, () => true, "arn"),
  });
}

describe("DistributionAccessLogs (CloudFront standard logging v2 to CloudWatch Logs)", () => {
  const edge = frontDoor(demoProps({ accessLogs: { retentionDays: 30 } }));

  it("the front door logs its distribution by default: log group, ACCESS_LOGS source, JSON destination and delivery, all in us-east-1", () => {
    expect(CLOUDFRONT_LOG_REGION).toBe("us-east-1");
    expectDelivery(
      edge,
      "orders",
      ref(edge, "aws_cloudfront_distribution", () => true, "arn"),
      30,
    );
  });

  it("the stage's log group stays in the stack's region; only the CloudFront resources name a region", () => {
    expect(one(edge, LOG_GROUP, (g) => g.name.startsWith("/aws/apigateway/")).region).toBeUndefined();
    for (const type of DELIVERY_TYPES)
      for (const r of all(edge, type).filter((x) => x.region !== undefined)) expect(r.region).toBe("us-east-1");
  });

  it("retention defaults to 90 days, like the stage's access logs", () => {
    const json = frontDoor(demoProps());
    expect(one(json, LOG_GROUP, cloudFrontLogs).retention_in_days).toBe(90);
  });

  it("distribution.accessLogs: false creates none of the four resources and nothing else changes", () => {
    const off = frontDoor(demoProps({ accessLogs: { retentionDays: 30 }, distribution: { accessLogs: false } }));
    expect(all(off, LOG_GROUP).filter(cloudFrontLogs)).toEqual([]);
    for (const type of [SOURCE, DESTINATION, DELIVERY]) expect(all(off, type)).toEqual([]);
    const withoutLogs = (json: TerraformJson) =>
      Object.keys(json.resource)
        .filter((t) => ![SOURCE, DESTINATION, DELIVERY].includes(t))
        .sort();
    expect(withoutLogs(off)).toEqual(withoutLogs(edge));
    expect(one(off, "aws_cloudfront_distribution")).toEqual(one(edge, "aws_cloudfront_distribution"));
  });

  it("exposes the construct, and none when off", () => {
    synthScratch((stack) => {
      const on = new RestApiFrontDoor(stack, "on", demoProps());
      const off = new RestApiFrontDoor(
        stack,
        "off",
        demoProps({ name: "billing", distribution: { accessLogs: false } }),
      );
      expect(on.distribution.accessLogs).toBeInstanceOf(DistributionAccessLogs);
      expect(off.distribution.accessLogs).toBeUndefined();
    });
  });

  it("two APIs in one account get distinct log groups, delivery sources and destinations", () => {
    const json: TerraformJson = JSON.parse(
      synthScratch((stack) => {
        new RestApiFrontDoor(stack, "first", demoProps());
        new RestApiFrontDoor(stack, "second", demoProps({ name: "billing", manageAccountLogging: false }));
      }),
    );
    expect(
      all(json, LOG_GROUP)
        .filter(cloudFrontLogs)
        .map((g) => g.name)
        .sort(),
    ).toEqual(["/aws/cloudfront/billing", "/aws/cloudfront/orders"]);
    expect(
      all(json, SOURCE)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["billing-cf-access", "orders-cf-access"]);
    expect(
      all(json, DESTINATION)
        .map((s) => s.name)
        .sort(),
    ).toEqual(["billing-cf-access", "orders-cf-access"]);
    expect(all(json, DELIVERY)).toHaveLength(2);
  });

  it("the longest API name (40) still fits the 60-character delivery names", () => {
    const name = `a${"b".repeat(39)}`;
    const json = frontDoor(demoProps({ name }));
    expect(one(json, SOURCE).name).toHaveLength(50);
  });

  it("standalone: takes a literal distribution ARN and tags every resource", () => {
    const json: TerraformJson = JSON.parse(
      synthScratch(
        (stack) =>
          new DistributionAccessLogs(stack, "logs", {
            name: "site",
            distributionArn: DISTRIBUTION_ARN,
            retentionDays: 14,
            tags: { team: "web" },
          }),
      ),
    );
    expectDelivery(json, "site", DISTRIBUTION_ARN, 14);
    for (const type of DELIVERY_TYPES) for (const r of all(json, type)) expect(r.tags).toEqual({ team: "web" });
  });

  describe("bad props", () => {
    function problems(props: DistributionAccessLogsProps): string[] {
      try {
        synthScratch((stack) => new DistributionAccessLogs(stack, "logs", props));
      } catch (err) {
        expect(err).toBeInstanceOf(PropsError);
        return [...(err as PropsError).problems];
      }
      throw new Error("expected a PropsError");
    }

    it.each<[string, Partial<DistributionAccessLogsProps>, RegExp]>([
      [
        "a name too long for the 60-character delivery names",
        { name: "x".repeat(51) },
        /^name: expected 1-50 letters, digits, '_' or '-' \(delivery names "<name>-cf-access" allow 60\)/,
      ],
      ["a name with a character delivery names refuse", { name: "my.site" }, /^name: expected 1-50 letters/],
      [
        "a distribution ARN that is not CloudFront's",
        { distributionArn: "arn:aws:s3:::bucket" },
        /^distributionArn: expected a CloudFront distribution ARN/,
      ],
      [
        "a retention CloudWatch Logs does not offer",
        { retentionDays: 10 },
        /^retentionDays: expected one of 1, 3, 5, 7, 14, 30, .*got 10$/,
      ],
    ])("%s: throws PropsError naming the field", (_case, change, expected) => {
      expect(problems({ name: "site", distributionArn: DISTRIBUTION_ARN, ...change })).toEqual([
        expect.stringMatching(expected),
      ]);
    });

    it("reports every problem at once", () => {
      expect(problems({ name: "", distributionArn: "nope", retentionDays: 2 }).map((p) => p.split(":")[0])).toEqual([
        "name",
        "distributionArn",
        "retentionDays",
      ]);
    });

    it("the front door rejects a non-boolean distribution.accessLogs", () => {
      try {
        frontDoor(demoProps({ distribution: { accessLogs: "yes" as unknown as boolean } }));
        throw new Error("expected a PropsError");
      } catch (err) {
        expect(err).toBeInstanceOf(PropsError);
        expect((err as PropsError).problems).toEqual(['distribution.accessLogs: expected a boolean, got "yes"']);
      }
    });
  });
});

describe("CloudFront access logs in each environment", () => {
  const ENVS = ["dev", "staging", "prod"] as const;

  it.each(ENVS)(
    "%s: the distribution's requests are delivered to /aws/cloudfront/edge-demo in us-east-1, kept accessLogs.retentionDays",
    (env) => {
      const json = environmentJson(env);
      const days = exampleConfig(env).api.accessLogs?.retentionDays ?? 90;
      expect(exampleConfig(env).api.distribution?.accessLogs).toBeUndefined();
      expectDelivery(
        json,
        "edge-demo",
        ref(json, "aws_cloudfront_distribution", () => true, "arn"),
        days,
      );
      for (const type of DELIVERY_TYPES)
        for (const r of all(json, type).filter((x) => x.region !== undefined))
          expect(r.tags).toEqual({ api: "edge-demo" });
    },
  );

  it("dev keeps 14 days and prod 90: retention follows each environment's config", () => {
    expect(one(environmentJson("dev"), LOG_GROUP, cloudFrontLogs).retention_in_days).toBe(14);
    expect(one(environmentJson("prod"), LOG_GROUP, cloudFrontLogs).retention_in_days).toBe(90);
  });

  it('"distribution": {"accessLogs": false} in env/<name>.json turns them off', () => {
    const dev = setPath(exampleConfig("dev"), "api.distribution.accessLogs", false);
    const json = environmentJson("dev", writeEnvDir({ dev }));
    expect(all(json, LOG_GROUP).filter(cloudFrontLogs)).toEqual([]);
    for (const type of [SOURCE, DESTINATION, DELIVERY]) expect(all(json, type)).toEqual([]);
    expect(all(json, "aws_cloudfront_distribution")).toHaveLength(1);
  });

  it("a non-boolean accessLogs fails synth naming the file and the field", () => {
    const prod = setPath(exampleConfig("prod"), "api.distribution.accessLogs", "yes");
    expect(configProblemsOf({ prod })).toEqual([
      expect.objectContaining({
        file: "prod.json",
        path: "api.distribution.accessLogs",
        message: 'expected a boolean, got "yes"',
      }),
    ]);
  });
});
