import { createHash } from "node:crypto";
import { type IResolveContext, Lazy, TerraformResource } from "cdktn";
import type { IConstruct } from "constructs";

/**
 * The resource types an API Gateway deployment snapshots: a deployment freezes the REST API's
 * resources, methods, integrations (templates, parameters, timeouts), method and integration
 * responses, models, validators, authorizers and gateway responses as they were when it was created
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-deploy-api.html); a change to
 * any of them reaches the stage only through a new deployment.
 */
export const SNAPSHOT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  "aws_api_gateway_resource",
  "aws_api_gateway_method",
  "aws_api_gateway_integration",
  "aws_api_gateway_method_response",
  "aws_api_gateway_integration_response",
  "aws_api_gateway_model",
  "aws_api_gateway_request_validator",
  "aws_api_gateway_authorizer",
  "aws_api_gateway_gateway_response",
]);

/** Attributes that never change what a deployment serves. */
const IGNORED_ATTRIBUTES = new Set(["tags", "tags_all", "depends_on", "lifecycle"]);

/**
 * The SHA-256 of every snapshotted resource under `scopes`, as synthesized (references resolved to
 * `${aws_...}` expressions, keys sorted): the deployment's redeployment trigger. Anything the module's
 * code writes into those resources (a mapping template, a response, a parameter) changes it, not only
 * the props. A token, resolved at synth.
 */
export function deploymentFingerprint(scopes: readonly IConstruct[]): string {
  // Resolved once per synth and remembered: the trigger and the deployment's description both read it.
  let memo: string | undefined;
  return Lazy.stringValue({ produce: (context: IResolveContext) => (memo ??= fingerprintNow(scopes, context)) });
}

function fingerprintNow(scopes: readonly IConstruct[], context: IResolveContext): string {
  const entries: string[] = [];
  for (const scope of scopes) {
    for (const node of scope.node.findAll()) {
      if (!(node instanceof TerraformResource) || !SNAPSHOT_RESOURCE_TYPES.has(node.terraformResourceType)) continue;
      const config = context.resolve(node.toTerraform().resource[node.terraformResourceType]);
      entries.push(`${node.terraformResourceType} ${node.node.path} ${stableJson(withoutIgnored(config))}`);
    }
  }
  return createHash("sha256").update(entries.sort().join("\n")).digest("hex");
}

function withoutIgnored(config: Record<string, Record<string, unknown>>): unknown {
  return Object.values(config).map((attributes) =>
    Object.fromEntries(Object.entries(attributes).filter(([k]) => !IGNORED_ATTRIBUTES.has(k))),
  );
}

/** JSON with object keys sorted, so the hash only changes when the content does. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
