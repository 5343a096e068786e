/** LAMBDA routes (AWS_PROXY): the integration, the invoke permission scoped to exactly one method and stage, the function's alarms. */
import { methodExecutionArn } from "../../../modules/api/lambda-proxy-permission";
import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, demoProps, one } from "./fixtures";

const ORDERS_FN = "arn:aws:lambda:eu-central-1:123456789012:function:orders-api";
const ITEMS_FN = "arn:aws:lambda:eu-west-1:123456789012:function:items-api:live";

function props(): RestApiFrontDoorProps {
  const base = demoProps();
  return {
    ...base,
    resources: {
      ...base.resources,
      "/lambda-orders": { GET: { integration: { type: "LAMBDA", timeoutMs: 6000, functionArn: ORDERS_FN } } },
      "/lambda-orders/{orderId}/items/{itemId}": {
        GET: { integration: { type: "LAMBDA", timeoutMs: 3000, functionArn: ITEMS_FN } },
        DELETE: { integration: { type: "LAMBDA", timeoutMs: 3000, functionArn: ITEMS_FN } },
      },
    },
    methodThrottles: undefined,
    tiers: undefined,
    apiKeys: undefined,
  };
}

const json: TerraformJson = JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "api", props())));
const restApi = Object.keys(json.resource.aws_api_gateway_rest_api)[0];

describe("LAMBDA routes", () => {
  it("are AWS_PROXY integrations calling the function in its own region, with the route's timeout", () => {
    const proxies = all(json, "aws_api_gateway_integration").filter((i) => i.type === "AWS_PROXY");
    const uri = (fn: string) =>
      `arn:aws:apigateway:${fn.split(":")[3]}:lambda:path/2015-03-31/functions/${fn}/invocations`;
    expect(proxies.map((i) => `${i.uri} ${i.timeout_milliseconds} ${i.integration_http_method}`).sort()).toEqual(
      [`${uri(ORDERS_FN)} 6000 POST`, `${uri(ITEMS_FN)} 3000 POST`, `${uri(ITEMS_FN)} 3000 POST`].sort(),
    );
  });

  it("grant API Gateway lambda:InvokeFunction for exactly one method on the stage, path parameters as *", () => {
    const execution = `\${aws_api_gateway_rest_api.${restApi}.execution_arn}`;
    expect(
      all(json, "aws_lambda_permission")
        .map((p) => [p.function_name, p.principal, p.action, p.source_arn])
        .sort(),
    ).toEqual(
      [
        [ORDERS_FN, "apigateway.amazonaws.com", "lambda:InvokeFunction", `${execution}/live/GET/lambda-orders`],
        [
          ITEMS_FN,
          "apigateway.amazonaws.com",
          "lambda:InvokeFunction",
          `${execution}/live/GET/lambda-orders/*/items/*`,
        ],
        [
          ITEMS_FN,
          "apigateway.amazonaws.com",
          "lambda:InvokeFunction",
          `${execution}/live/DELETE/lambda-orders/*/items/*`,
        ],
      ].sort(),
    );
    expect(methodExecutionArn("arn:x", "v1", "GET", "/")).toBe("arn:x/v1/GET/");
    expect(methodExecutionArn("arn:x", "v1", "ANY", "/{proxy+}")).toBe("arn:x/v1/ANY/*");
  });

  it("alarm on each function's errors and throttles, once per function, with its alias as the Resource dimension", () => {
    const lambdaAlarms = all(json, "aws_cloudwatch_metric_alarm").filter((a) => a.namespace === "AWS/Lambda");
    expect(lambdaAlarms.map((a) => [a.metric_name, a.dimensions]).sort()).toEqual(
      [
        ["Errors", { FunctionName: "orders-api" }],
        ["Throttles", { FunctionName: "orders-api" }],
        ["Errors", { FunctionName: "items-api", Resource: "items-api:live" }],
        ["Throttles", { FunctionName: "items-api", Resource: "items-api:live" }],
      ].sort(),
    );
    for (const a of lambdaAlarms)
      expect(a).toMatchObject({ statistic: "Sum", threshold: 1, comparison_operator: "GreaterThanOrEqualToThreshold" });
    expect(new Set(lambdaAlarms.map((a) => a.alarm_name)).size).toBe(4);
  });

  it("the deployment trigger covers them; a bad function ARN or an unknown type is named", () => {
    const hash = one(json, "aws_api_gateway_deployment").triggers.redeployment;
    const other = props();
    (other.resources["/lambda-orders"].GET!.integration as { timeoutMs: number }).timeoutMs = 7000;
    const changed = JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "api", other)));
    expect(one(changed, "aws_api_gateway_deployment").triggers.redeployment).not.toBe(hash);
    const bad = props() as any;
    bad.resources["/lambda-orders"].GET.integration.functionArn = "orders-api";
    bad.resources["/lambda-orders/{orderId}/items/{itemId}"].GET.integration.type = "LAMDA";
    let problems: readonly string[] = [];
    try {
      synthScratch((stack) => new RestApiFrontDoor(stack, "api", bad));
    } catch (err) {
      expect(err).toBeInstanceOf(PropsError);
      problems = (err as PropsError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(
        /^resources\.\/lambda-orders\.GET\.integration\.functionArn: expected a Lambda function ARN/,
      ),
      'resources./lambda-orders/{orderId}/items/{itemId}.GET.integration.type: expected an integration type of "MOCK", "HTTP_PROXY", "SQS", "LAMBDA", got "LAMDA"',
    ]);
  });
});
