import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";

/** A topic ARN from outside any stack: the module must work with whatever topic a team passes. */
export const TEAM_TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:team-alarms";

/** A small API exercising every feature; tests override parts of it. */
export function demoProps(overrides: Partial<RestApiFrontDoorProps> = {}): RestApiFrontDoorProps {
  return {
    name: "orders",
    alarmTopicArn: TEAM_TOPIC_ARN,
    stageName: "live",
    models: { NewOrder: { type: "object", required: ["sku"], properties: { sku: { type: "string" } } } },
    resources: {
      "/health": { GET: { public: true, integration: { type: "MOCK", timeoutMs: 800, responseBody: { ok: true } } } },
      "/orders": {
        GET: {
          parameters: { "querystring.page": false },
          integration: { type: "MOCK", timeoutMs: 1500 },
          cache: { ttlSeconds: 120, keyParameters: ["querystring.page"] },
        },
        POST: {
          requestModel: "NewOrder",
          parameters: { "header.Idempotency-Key": true },
          integration: { type: "MOCK", timeoutMs: 2500, statusCode: 201 },
        },
      },
      "/orders/{orderId}": {
        GET: {
          integration: {
            type: "HTTP_PROXY",
            uri: "https://orders.internal.example.com/orders/{orderId}",
            timeoutMs: 4000,
          },
          cache: { keyParameters: ["header.Accept-Language"] },
        },
      },
      "/orders/{orderId}/items": {
        GET: {
          integration: {
            type: "HTTP_PROXY",
            uri: "https://orders.internal.example.com/orders/{orderId}/items",
            timeoutMs: 6000,
          },
        },
      },
    },
    throttle: { rateLimit: 100, burstLimit: 50 },
    methodThrottles: { "POST /orders": { rateLimit: 10, burstLimit: 5 } },
    tiers: {
      bronze: {
        throttle: { rateLimit: 5, burstLimit: 2 },
        quota: { limit: 1000, period: "DAY" },
        methodThrottles: { "POST /orders": { rateLimit: 1, burstLimit: 1 } },
      },
      gold: { throttle: { rateLimit: 50, burstLimit: 25 }, quota: { limit: 100000, period: "MONTH", offset: 10 } },
    },
    apiKeys: [
      { name: "web-shop", tier: "gold" },
      { name: "intern-project", tier: "bronze", enabled: false },
    ],
    caching: { enabled: true, layer: "edge", clusterSizeGb: 0.5 },
    ...overrides,
  };
}

/** Resources of one type, without cdktf's metadata. */
export function all(json: TerraformJson, type: string): Array<Record<string, any>> {
  return Object.values(json.resource[type] ?? {}).map((r) => {
    const { "//": _meta, ...rest } = r as Record<string, any>;
    return rest;
  });
}

/** Logical names (`type.name`) of the resources of one type, with their bodies. */
export function named(json: TerraformJson, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(json.resource[type] ?? {}).map(([name, body]) => [
    `${type}.${name}`,
    body as Record<string, any>,
  ]);
}

/** The one resource of a type matching a predicate (fails when not exactly one). */
export function one(
  json: TerraformJson,
  type: string,
  match: (r: Record<string, any>) => boolean = () => true,
): Record<string, any> {
  const found = all(json, type).filter(match);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** `${aws_x.name.attr}` for a resource found by predicate. */
export function ref(
  json: TerraformJson,
  type: string,
  match: (r: Record<string, any>) => boolean,
  attr: string,
): string {
  const hits = named(json, type).filter(([, r]) => match(r));
  if (hits.length !== 1) throw new Error(`expected one ${type}, found ${hits.length}`);
  return `\${${hits[0][0]}.${attr}}`;
}

/** Resource types that take tags, among those the front door creates. */
export const TAGGABLE = [
  "aws_api_gateway_rest_api",
  "aws_api_gateway_stage",
  "aws_api_gateway_usage_plan",
  "aws_api_gateway_api_key",
  "aws_cloudwatch_log_group",
  "aws_cloudwatch_log_delivery_source",
  "aws_cloudwatch_log_delivery_destination",
  "aws_cloudwatch_log_delivery",
  "aws_cloudfront_distribution",
  "aws_cloudwatch_metric_alarm",
  "aws_iam_role",
];

/** A front door with `props` alone in a scratch stack, synthesized. */
export function synthFrontDoor(props: RestApiFrontDoorProps): TerraformJson {
  return JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "front-door", props)));
}

/** The problems of the PropsError `props` are refused with (fails the test when they are accepted). */
export function frontDoorProblems(props: RestApiFrontDoorProps): string[] {
  try {
    synthFrontDoor(props);
  } catch (err) {
    expect(err).toBeInstanceOf(PropsError);
    return [...(err as PropsError).problems];
  }
  throw new Error("expected a PropsError");
}
