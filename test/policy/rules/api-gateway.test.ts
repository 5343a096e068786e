import { ApiGatewayIntegration } from "@cdktn/provider-aws/lib/api-gateway-integration";
import { ApiGatewayMethod } from "@cdktn/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodSettings } from "@cdktn/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayResource } from "@cdktn/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktn/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage, type ApiGatewayStageConfig } from "@cdktn/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import type { TerraformStack } from "cdktn";
import {
  apiGatewayAccessLogging,
  apiGatewayCacheEncrypted,
  apiGatewayDataTraceOff,
  apiGatewayIntegrationTimeout,
  apiGatewayMethodAuth,
  apiGatewayXray,
} from "../../../policy/rules/api-gateway";
import { finding, findings } from "../scratch";

function api(stack: TerraformStack): ApiGatewayRestApi {
  return new ApiGatewayRestApi(stack, "api", { name: "orders" });
}

function stage(stack: TerraformStack, extra: Partial<ApiGatewayStageConfig> = {}): ApiGatewayStage {
  const logs = new CloudwatchLogGroup(stack, "access-logs", { name: "/aws/apigateway/orders", retentionInDays: 30 });
  return new ApiGatewayStage(stack, "stage", {
    restApiId: api(stack).id,
    deploymentId: "abc123",
    stageName: "v1",
    xrayTracingEnabled: true,
    accessLogSettings: { destinationArn: logs.arn, format: '{"requestId":"$context.requestId"}' },
    ...extra,
  });
}

describe("apigw-access-logging (CKV_AWS_76)", () => {
  it("fails a stage without access_log_settings", () => {
    expect(findings(apiGatewayAccessLogging, (s) => stage(s, { accessLogSettings: undefined }))).toEqual([
      finding(
        apiGatewayAccessLogging,
        "aws_api_gateway_stage.stage",
        "access_log_settings is not set: requests leave no access log",
      ),
    ]);
  });

  it("fails a stage whose access log has no format", () => {
    expect(
      findings(apiGatewayAccessLogging, (s) =>
        stage(s, {
          accessLogSettings: { destinationArn: "arn:aws:logs:eu-west-1:111111111111:log-group:x", format: "" },
        }),
      ),
    ).toEqual([finding(apiGatewayAccessLogging, "aws_api_gateway_stage.stage", "access_log_settings.format is empty")]);
  });

  it("passes a stage logging to a log group with a format", () => {
    expect(findings(apiGatewayAccessLogging, (s) => stage(s))).toEqual([]);
  });
});

describe("apigw-xray (CKV_AWS_73)", () => {
  it("fails a stage without X-Ray tracing", () => {
    expect(findings(apiGatewayXray, (s) => stage(s, { xrayTracingEnabled: false }))).toEqual([
      finding(apiGatewayXray, "aws_api_gateway_stage.stage", "xray_tracing_enabled is false, expected true"),
    ]);
  });

  it("passes a traced stage", () => {
    expect(findings(apiGatewayXray, (s) => stage(s))).toEqual([]);
  });
});

describe("apigw-cache-encrypted (CKV_AWS_308)", () => {
  it("fails method settings that cache without encryption", () => {
    const result = findings(apiGatewayCacheEncrypted, (s) => {
      const st = stage(s);
      new ApiGatewayMethodSettings(s, "settings", {
        restApiId: st.restApiId,
        stageName: st.stageName,
        methodPath: "orders/GET",
        settings: { cachingEnabled: true, cacheDataEncrypted: false },
      });
    });
    expect(result).toEqual([
      finding(
        apiGatewayCacheEncrypted,
        "aws_api_gateway_method_settings.settings",
        'caching_enabled is true for "orders/GET" but cache_data_encrypted is not true',
      ),
    ]);
  });

  it("fails a stage cache cluster with no */* settings encrypting it", () => {
    expect(
      findings(apiGatewayCacheEncrypted, (s) => stage(s, { cacheClusterEnabled: true, cacheClusterSize: "0.5" })),
    ).toEqual([
      finding(
        apiGatewayCacheEncrypted,
        "aws_api_gateway_stage.stage",
        'cache_cluster_enabled is true but no aws_api_gateway_method_settings for this stage sets cache_data_encrypted = true on "*/*"',
      ),
    ]);
  });

  it("passes a cache cluster whose */* method settings (linked by stage reference) encrypt", () => {
    const result = findings(apiGatewayCacheEncrypted, (s) => {
      const st = stage(s, { cacheClusterEnabled: true, cacheClusterSize: "0.5" });
      new ApiGatewayMethodSettings(s, "settings", {
        restApiId: st.restApiId,
        stageName: st.stageName,
        methodPath: "*/*",
        settings: { cachingEnabled: true, cacheDataEncrypted: true, cacheTtlInSeconds: 60 },
      });
    });
    expect(result).toEqual([]);
  });
});

describe("apigw-data-trace-off (CKV_AWS_276)", () => {
  it("fails method settings with data trace on", () => {
    const result = findings(apiGatewayDataTraceOff, (s) => {
      const st = stage(s);
      new ApiGatewayMethodSettings(s, "settings", {
        restApiId: st.restApiId,
        stageName: st.stageName,
        methodPath: "*/*",
        settings: { dataTraceEnabled: true, loggingLevel: "INFO" },
      });
    });
    expect(result).toEqual([
      finding(
        apiGatewayDataTraceOff,
        "aws_api_gateway_method_settings.settings",
        'data_trace_enabled is true for "*/*": request and response bodies would be logged',
      ),
    ]);
  });

  it("passes method settings with data trace off", () => {
    const result = findings(apiGatewayDataTraceOff, (s) => {
      const st = stage(s);
      new ApiGatewayMethodSettings(s, "settings", {
        restApiId: st.restApiId,
        stageName: st.stageName,
        methodPath: "*/*",
        settings: { dataTraceEnabled: false, metricsEnabled: true },
      });
    });
    expect(result).toEqual([]);
  });
});

describe("apigw-method-auth (CKV2_AWS_70)", () => {
  const method = (
    s: TerraformStack,
    id: string,
    httpMethod: string,
    extra: { authorization?: string; apiKeyRequired?: boolean },
  ) => {
    const a = api(s);
    return new ApiGatewayMethod(s, id, {
      restApiId: a.id,
      resourceId: a.rootResourceId,
      httpMethod,
      authorization: extra.authorization ?? "NONE",
      apiKeyRequired: extra.apiKeyRequired,
    });
  };

  it("fails a method with neither API key nor authorizer, naming its path", () => {
    expect(findings(apiGatewayMethodAuth, (s) => method(s, "get", "GET", {}))).toEqual([
      finding(
        apiGatewayMethodAuth,
        "aws_api_gateway_method.get",
        'GET / has authorization "NONE" and api_key_required is not true',
      ),
    ]);
    const nested = findings(apiGatewayMethodAuth, (s) => {
      const a = api(s);
      const items = new ApiGatewayResource(s, "items", {
        restApiId: a.id,
        parentId: a.rootResourceId,
        pathPart: "items",
      });
      const item = new ApiGatewayResource(s, "item", { restApiId: a.id, parentId: items.id, pathPart: "{id}" });
      new ApiGatewayMethod(s, "delete", {
        restApiId: a.id,
        resourceId: item.id,
        httpMethod: "DELETE",
        authorization: "NONE",
      });
    });
    expect(nested).toEqual([
      finding(
        apiGatewayMethodAuth,
        "aws_api_gateway_method.delete",
        'DELETE /items/{id} has authorization "NONE" and api_key_required is not true',
      ),
    ]);
  });

  /** An OPTIONS method without auth, integrated as `type`. */
  const preflight = (s: TerraformStack, type: string) => {
    const m = method(s, "preflight", "OPTIONS", {});
    new ApiGatewayIntegration(s, "preflight-integration", {
      restApiId: m.restApiId,
      resourceId: m.resourceId,
      httpMethod: m.httpMethod,
      type,
      ...(type === "MOCK" ? {} : { integrationHttpMethod: "OPTIONS", uri: "https://backend.example.com/" }),
      timeoutMilliseconds: 1000,
    });
  };

  it("fails an unauthenticated OPTIONS method that reaches a backend, or has no integration", () => {
    expect(findings(apiGatewayMethodAuth, (s) => preflight(s, "HTTP_PROXY"))).toEqual([
      finding(
        apiGatewayMethodAuth,
        "aws_api_gateway_method.preflight",
        'OPTIONS / has authorization "NONE" and api_key_required is not true, and its integration is "HTTP_PROXY", not a MOCK CORS preflight',
      ),
    ]);
    expect(findings(apiGatewayMethodAuth, (s) => method(s, "preflight", "OPTIONS", {}))).toEqual([
      finding(
        apiGatewayMethodAuth,
        "aws_api_gateway_method.preflight",
        'OPTIONS / has authorization "NONE" and api_key_required is not true, and its integration is missing, not a MOCK CORS preflight',
      ),
    ]);
  });

  it("passes a method that requires an API key, one with an authorizer, and a MOCK CORS preflight", () => {
    expect(findings(apiGatewayMethodAuth, (s) => method(s, "get", "GET", { apiKeyRequired: true }))).toEqual([]);
    expect(findings(apiGatewayMethodAuth, (s) => method(s, "post", "POST", { authorization: "AWS_IAM" }))).toEqual([]);
    expect(findings(apiGatewayMethodAuth, (s) => preflight(s, "MOCK"))).toEqual([]);
  });
});

describe("apigw-integration-timeout", () => {
  const integration = (s: TerraformStack, timeoutMilliseconds?: number) => {
    const a = api(s);
    new ApiGatewayIntegration(s, "integration", {
      restApiId: a.id,
      resourceId: a.rootResourceId,
      httpMethod: "GET",
      type: "HTTP_PROXY",
      integrationHttpMethod: "GET",
      uri: "https://backend.example.com/",
      timeoutMilliseconds,
    });
  };

  it("fails an integration without an explicit timeout", () => {
    expect(findings(apiGatewayIntegrationTimeout, (s) => integration(s))).toEqual([
      finding(
        apiGatewayIntegrationTimeout,
        "aws_api_gateway_integration.integration",
        "timeout_milliseconds is not set: the integration silently takes the 29 s default",
      ),
    ]);
  });

  it("fails an integration with an impossible timeout", () => {
    expect(findings(apiGatewayIntegrationTimeout, (s) => integration(s, 10))).toEqual([
      finding(
        apiGatewayIntegrationTimeout,
        "aws_api_gateway_integration.integration",
        "timeout_milliseconds is 10, expected an integer from 50 to 29000",
      ),
    ]);
  });

  it("fails a timeout above API Gateway's 29 s default integration timeout limit", () => {
    expect(findings(apiGatewayIntegrationTimeout, (s) => integration(s, 29001))).toEqual([
      finding(
        apiGatewayIntegrationTimeout,
        "aws_api_gateway_integration.integration",
        "timeout_milliseconds is 29001, expected an integer from 50 to 29000",
      ),
    ]);
  });

  it("passes an integration with an explicit timeout, up to 29000 ms", () => {
    expect(findings(apiGatewayIntegrationTimeout, (s) => integration(s, 5000))).toEqual([]);
    expect(findings(apiGatewayIntegrationTimeout, (s) => integration(s, 29000))).toEqual([]);
  });
});
