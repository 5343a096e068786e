import { ApiExecutionLogGroup } from "../../../modules/api/api-execution-log-group";
import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";

// Own fixture: one cached GET, one uncached POST, a stage named "prod", logs kept 30 days under a key.
const LOG_KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const props = (overrides: Partial<RestApiFrontDoorProps> = {}): RestApiFrontDoorProps => ({
  name: "catalog",
  alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:catalog-alarms",
  stageName: "prod",
  resources: {
    "/items": {
      GET: { integration: { type: "MOCK", timeoutMs: 1000 }, cache: { ttlSeconds: 60 } },
      POST: { integration: { type: "MOCK", timeoutMs: 1000 } },
    },
  },
  throttle: { rateLimit: 50, burstLimit: 20 },
  caching: { enabled: true, layer: "api-gateway", clusterSizeGb: 0.5 },
  accessLogs: { retentionDays: 30, kmsKeyArn: LOG_KEY },
  ...overrides,
});

const synth = (p: RestApiFrontDoorProps): TerraformJson =>
  JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "front-door", p)));
const entries = (json: TerraformJson, type: string) => Object.entries<Record<string, any>>(json.resource[type] ?? {});

const withKey = synth(props());
const defaults = synth(props({ accessLogs: undefined, caching: undefined }));

describe("ApiStage: cache invalidation never turns a browser reload into a 403", () => {
  it("every cached method keeps invalidation authorized but ignores an unauthorized Cache-Control: max-age=0", () => {
    const settings = entries(withKey, "aws_api_gateway_method_settings").map(([, s]) => s);
    expect(settings.map((s) => s.method_path).sort()).toEqual(["*/*", "~1items/GET"]);
    for (const s of settings) {
      expect(s.settings).toMatchObject({
        require_authorization_for_cache_control: true,
        unauthorized_cache_control_header_strategy: "SUCCEED_WITHOUT_RESPONSE_HEADER",
      });
    }
    expect(settings.find((s) => s.method_path === "~1items/GET")?.settings.caching_enabled).toBe(true);
  });
});

describe("ApiStage: execution logs have an owner", () => {
  const groupOf = (json: TerraformJson) => {
    const hits = entries(json, "aws_cloudwatch_log_group").filter(([, g]) =>
      String(g.name).startsWith("API-Gateway-Execution-Logs_"),
    );
    expect(hits).toHaveLength(1);
    return { address: `aws_cloudwatch_log_group.${hits[0][0]}`, body: hits[0][1] };
  };

  it("manages API-Gateway-Execution-Logs_<rest api id>/<stage> with the access logs' retention and KMS key", () => {
    const [[apiName]] = entries(withKey, "aws_api_gateway_rest_api");
    const { body } = groupOf(withKey);
    expect(body).toMatchObject({
      name: `API-Gateway-Execution-Logs_\${aws_api_gateway_rest_api.${apiName}.id}/prod`,
      retention_in_days: 30,
      kms_key_id: LOG_KEY,
      tags: { api: "catalog" },
    });
  });

  it("the stage depends on the group, so it exists before API Gateway first writes an execution log", () => {
    const { address } = groupOf(withKey);
    const [[, stage]] = entries(withKey, "aws_api_gateway_stage");
    expect(stage.depends_on).toContain(address);
  });

  it("without accessLogs settings: kept 90 days, CloudWatch Logs' own encryption", () => {
    const { body } = groupOf(defaults);
    expect(body.retention_in_days).toBe(90);
    expect(body.kms_key_id).toBeUndefined();
  });

  it("ApiExecutionLogGroup rejects a retention CloudWatch Logs does not accept and a stage name API Gateway does not", () => {
    let problems: readonly string[] = [];
    try {
      synthScratch(
        (stack) =>
          new ApiExecutionLogGroup(stack, "logs", { restApiId: "abc123", stageName: "bad stage", retentionDays: 45 }),
      );
    } catch (err) {
      expect(err).toBeInstanceOf(PropsError);
      problems = (err as PropsError).problems;
    }
    expect(problems).toEqual([
      "stageName: expected 1-128 letters, digits, '-' or '_', got \"bad stage\"",
      expect.stringMatching(/^retentionDays: expected one of 1, 3, 5, .*, got 45$/),
    ]);
  });
});
