/**
 * LAMBDA routes: proxy (AWS_PROXY, the default) and non-proxy (AWS): the event the function gets, rendered from the
 * mapping template as API Gateway would (velocityjs), and its answers selected by the error message, patterns that
 * exclude each other; the same method-scoped permission and alarms either way.
 */
import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, demoProps } from "./fixtures";
import { renderResponse, renderTemplate } from "./support/api-gateway-vtl";

const FN = "arn:aws:lambda:eu-west-1:123456789012:function:orders:live";

function props(integration: Record<string, unknown>): RestApiFrontDoorProps {
  return demoProps({
    resources: {
      "/orders/{orderId}": {
        PUT: { integration: { type: "LAMBDA", functionArn: FN, timeoutMs: 5000, ...integration } as never },
      },
    },
    methodThrottles: undefined,
    tiers: undefined,
    apiKeys: undefined,
  });
}
const synth = (p: RestApiFrontDoorProps): TerraformJson =>
  JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "front-door", p)));

const proxy = synth(props({}));
const custom = synth(props({ proxy: false }));
const integrationOf = (json: TerraformJson) =>
  all(json, "aws_api_gateway_integration").find((i) => i.uri?.includes(":lambda:path/"))!;

describe("LAMBDA routes", () => {
  it("are proxy integrations by default: the function answers the whole response", () => {
    expect(integrationOf(proxy)).toMatchObject({
      type: "AWS_PROXY",
      integration_http_method: "POST",
      timeout_milliseconds: 5000,
    });
    expect(integrationOf(proxy).request_templates).toBeUndefined();
    expect(all(proxy, "aws_api_gateway_integration_response")).toEqual([]);
  });

  it("non-proxy: the function gets the template's event (body, path and query parameters, who asked)", () => {
    const i = integrationOf(custom);
    expect(i).toMatchObject({
      type: "AWS",
      integration_http_method: "POST",
      passthrough_behavior: "NEVER",
      uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${FN}/invocations`,
    });
    const event = renderTemplate(i.request_templates["application/json"], {
      body: JSON.stringify({ sku: "a-1", quantity: 2 }),
      path: { orderId: 'o-"1"' },
      querystring: { dryRun: "true" },
      context: { requestId: "req-1", identity: { apiKeyId: "key-1" } },
    });
    expect(JSON.parse(event)).toEqual({
      body: { sku: "a-1", quantity: 2 },
      pathParameters: { orderId: 'o-"1"' },
      queryStringParameters: { dryRun: "true" },
      requestId: "req-1",
      apiKeyId: "key-1",
    });
  });

  it("non-proxy: 200 is the result, a [BadRequest] error 400 with its message, any other error 500 without it", () => {
    const responses = all(custom, "aws_api_gateway_integration_response");
    const byStatus = (code: string) => responses.find((r) => r.status_code.includes(`-${code}_`))!;
    expect(
      all(custom, "aws_api_gateway_method_response")
        .map((r) => r.status_code)
        .sort(),
    ).toEqual(["200", "400", "500"]);
    expect(byStatus("200").selection_pattern).toBeUndefined();
    const pattern = (code: string) => new RegExp(byStatus(code).selection_pattern);
    for (const message of ["[BadRequest] sku is missing", "[BadRequest]\nline two"]) {
      expect([pattern("400").test(message), pattern("500").test(message)]).toEqual([true, false]);
    }
    for (const message of [
      "TypeError: cannot read properties of undefined",
      "Task timed out after 5.00 seconds",
      "x\n[BadRequest]",
    ]) {
      expect([pattern("400").test(message), pattern("500").test(message)]).toEqual([false, true]);
    }
    const bad = renderResponse(byStatus("400").response_templates["application/json"], {
      body: JSON.stringify({ errorMessage: '[BadRequest] sku "x" is missing', errorType: "Error" }),
    });
    expect(JSON.parse(bad.body)).toEqual({ message: '[BadRequest] sku "x" is missing' });
    const internal = renderResponse(byStatus("500").response_templates["application/json"], {
      body: JSON.stringify({ errorMessage: "password=hunter2 in stack trace" }),
    });
    expect(JSON.parse(internal.body)).toEqual({ message: "Internal server error" });
  });

  it("either way: invokable only by this method on this stage, and alarmed", () => {
    for (const json of [proxy, custom]) {
      const [permission] = all(json, "aws_lambda_permission");
      expect(permission.source_arn).toMatch(/\/live\/PUT\/orders\/\*$/);
      expect(
        all(json, "aws_cloudwatch_metric_alarm")
          .filter((a) => a.namespace === "AWS/Lambda")
          .map((a) => a.metric_name)
          .sort(),
      ).toEqual(["Errors", "Throttles"]);
    }
  });

  it("takes a template of the team's own, and refuses one on a proxy route", () => {
    const own = synth(props({ proxy: false, requestTemplate: '{"orderId": "$input.params(\'orderId\')"}' }));
    expect(integrationOf(own).request_templates["application/json"]).toBe('{"orderId": "$input.params(\'orderId\')"}');
    expect(() => synth(props({ requestTemplate: "{}" }))).toThrow(PropsError);
    expect(() => synth(props({ requestTemplate: "{}" }))).toThrow(
      /resources\.\/orders\/\{orderId\}\.PUT\.integration\.requestTemplate: a proxy integration \(proxy unset or true\) passes the request as it is/,
    );
  });
});
