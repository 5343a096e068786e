/** API Gateway REST API rules: stage logging and tracing, method settings, method auth, integration timeouts. */
import type { Rule, Violation } from "../rule";
import { block, isExpression, type StackView, type TfResource } from "../terraform-json";

const STAGE = "aws_api_gateway_stage";
const METHOD_SETTINGS = "aws_api_gateway_method_settings";

/** The stage a method-settings resource applies to: by reference to the stage, or by literal stage name and API. */
function stageOf(stack: StackView, settings: TfResource): TfResource | undefined {
  const byRef = stack.referenced(settings.body.stage_name, STAGE)[0];
  if (byRef) return byRef;
  return stack
    .resources(STAGE)
    .find((s) => s.body.stage_name === settings.body.stage_name && s.body.rest_api_id === settings.body.rest_api_id);
}

/** The path of an API Gateway resource (`/items/{id}`), followed through parent_id references; `?` where a literal id hides it. */
export function resourcePath(stack: StackView, resourceId: unknown, depth = 0): string {
  if (depth > 64) return "?";
  if (stack.referenced(resourceId, "aws_api_gateway_rest_api").length > 0) return "/";
  const r = stack.referenced(resourceId, "aws_api_gateway_resource")[0];
  if (!r) return "?";
  const parent = resourcePath(stack, r.body.parent_id, depth + 1);
  return `${parent === "/" ? "" : parent}/${r.body.path_part}`;
}

export const apiGatewayAccessLogging: Rule = {
  id: "apigw-access-logging",
  checkov: "CKV_AWS_76",
  meaning: "every API Gateway stage writes access logs (access_log_settings with destination_arn and format)",
  kinds: [STAGE, "aws_apigatewayv2_stage"],
  check(stack) {
    const out: Violation[] = [];
    for (const stage of [...stack.resources(STAGE), ...stack.resources("aws_apigatewayv2_stage")]) {
      const logs = block(stage.body.access_log_settings);
      if (!logs)
        out.push({ address: stage.address, reason: "access_log_settings is not set: requests leave no access log" });
      else if (!logs.destination_arn)
        out.push({ address: stage.address, reason: "access_log_settings.destination_arn is empty" });
      else if (!logs.format) out.push({ address: stage.address, reason: "access_log_settings.format is empty" });
    }
    return out;
  },
};

export const apiGatewayXray: Rule = {
  id: "apigw-xray",
  checkov: "CKV_AWS_73",
  meaning: "every API Gateway REST stage has X-Ray tracing on (xray_tracing_enabled = true)",
  kinds: [STAGE],
  check(stack) {
    return stack
      .resources(STAGE)
      .filter((s) => s.body.xray_tracing_enabled !== true)
      .map((s) => ({
        address: s.address,
        reason: `xray_tracing_enabled is ${JSON.stringify(s.body.xray_tracing_enabled ?? "unset")}, expected true`,
      }));
  },
};

export const apiGatewayCacheEncrypted: Rule = {
  id: "apigw-cache-encrypted",
  checkov: "CKV_AWS_308",
  meaning:
    "API Gateway response caches are encrypted: method settings with caching_enabled set cache_data_encrypted, and a stage with a cache cluster has */* settings that encrypt",
  kinds: [METHOD_SETTINGS, STAGE],
  check(stack) {
    const out: Violation[] = [];
    const allSettings = stack.resources(METHOD_SETTINGS);
    for (const ms of allSettings) {
      const s = block(ms.body.settings) ?? {};
      if (s.caching_enabled === true && s.cache_data_encrypted !== true) {
        out.push({
          address: ms.address,
          reason: `caching_enabled is true for "${ms.body.method_path}" but cache_data_encrypted is not true`,
        });
      }
    }
    // A stage's cache cluster caches GET methods by default, unencrypted, unless method settings say otherwise.
    for (const stage of stack.resources(STAGE).filter((s) => s.body.cache_cluster_enabled === true)) {
      const wildcard = allSettings.find(
        (ms) => stageOf(stack, ms)?.address === stage.address && ms.body.method_path === "*/*",
      );
      if (!wildcard || block(wildcard.body.settings)?.cache_data_encrypted !== true) {
        out.push({
          address: stage.address,
          reason:
            'cache_cluster_enabled is true but no aws_api_gateway_method_settings for this stage sets cache_data_encrypted = true on "*/*"',
        });
      }
    }
    return out;
  },
};

export const apiGatewayDataTraceOff: Rule = {
  id: "apigw-data-trace-off",
  checkov: "CKV_AWS_276",
  meaning: "no API Gateway method settings turn on data tracing (full request/response bodies in execution logs)",
  kinds: [METHOD_SETTINGS],
  check(stack) {
    return stack
      .resources(METHOD_SETTINGS)
      .filter((ms) => block(ms.body.settings)?.data_trace_enabled === true)
      .map((ms) => ({
        address: ms.address,
        reason: `data_trace_enabled is true for "${ms.body.method_path}": request and response bodies would be logged`,
      }));
  },
};

/** The integration of a method: by reference to it, or by the same literal API, resource and HTTP method. */
export function integrationOf(stack: StackView, method: TfResource): TfResource | undefined {
  return stack
    .resources("aws_api_gateway_integration")
    .find(
      (i) =>
        stack.refersTo(i.body.http_method, method) ||
        (i.body.http_method === method.body.http_method &&
          i.body.resource_id === method.body.resource_id &&
          i.body.rest_api_id === method.body.rest_api_id),
    );
}

export const apiGatewayMethodAuth: Rule = {
  id: "apigw-method-auth",
  checkov: "CKV2_AWS_70",
  meaning:
    "every API Gateway method requires an API key or an authorizer (authorization != NONE); an OPTIONS CORS preflight answered by a MOCK integration (no credentials, no backend) is exempt; public methods need a waiver",
  kinds: ["aws_api_gateway_method"],
  check(stack) {
    const out: Violation[] = [];
    for (const m of stack.resources("aws_api_gateway_method")) {
      if ((m.body.authorization ?? "NONE") !== "NONE" || m.body.api_key_required === true) continue;
      const what = `${m.body.http_method} ${resourcePath(stack, m.body.resource_id)} has authorization "NONE" and api_key_required is not true`;
      if (m.body.http_method !== "OPTIONS") {
        out.push({ address: m.address, reason: what });
        continue;
      }
      const type = integrationOf(stack, m)?.body.type;
      if (type !== "MOCK") {
        out.push({
          address: m.address,
          reason: `${what}, and its integration is ${type === undefined ? "missing" : JSON.stringify(type)}, not a MOCK CORS preflight`,
        });
      }
    }
    return out;
  },
};

/** Smallest integration timeout API Gateway accepts. */
const MIN_TIMEOUT_MS = 50;
/** API Gateway's default integration timeout limit for REST APIs (a higher one needs a quota increase and gives up throttle quota). */
const MAX_TIMEOUT_MS = 29000;

export const apiGatewayIntegrationTimeout: Rule = {
  id: "apigw-integration-timeout",
  meaning: `every API Gateway integration sets timeout_milliseconds explicitly (an integer from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS})`,
  kinds: ["aws_api_gateway_integration"],
  check(stack) {
    const out: Violation[] = [];
    for (const i of stack.resources("aws_api_gateway_integration")) {
      const t = i.body.timeout_milliseconds;
      if (t === undefined)
        out.push({
          address: i.address,
          reason: "timeout_milliseconds is not set: the integration silently takes the 29 s default",
        });
      else if (
        !isExpression(t) &&
        !(Number.isInteger(Number(t)) && Number(t) >= MIN_TIMEOUT_MS && Number(t) <= MAX_TIMEOUT_MS)
      ) {
        out.push({
          address: i.address,
          reason: `timeout_milliseconds is ${JSON.stringify(t)}, expected an integer from ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS}`,
        });
      }
    }
    return out;
  },
};

/** API Gateway rules, in report order. */
export const API_GATEWAY_RULES: readonly Rule[] = [
  apiGatewayAccessLogging,
  apiGatewayXray,
  apiGatewayCacheEncrypted,
  apiGatewayDataTraceOff,
  apiGatewayMethodAuth,
  apiGatewayIntegrationTimeout,
];
