/**
 * The API's stage URL when no --endpoint is given: the environment's REST API found by its name (API Gateway
 * GetRestApis), `https://<id>.execute-api.<region>.<dns suffix>/<stage>`. This URL bypasses CloudFront; pass the stack
 * output api-url as --endpoint to go the customers' way.
 */
import { type APIGatewayClient, paginateGetRestApis } from "@aws-sdk/client-api-gateway";
import { GamedayError } from "./gameday";
import type { GamedayPlan } from "./plan";

export async function discoverEndpoint(client: APIGatewayClient, plan: GamedayPlan): Promise<string> {
  const ids: string[] = [];
  for await (const page of paginateGetRestApis({ client }, { limit: 500 }))
    for (const api of page.items ?? []) if (api.name === plan.apiName && api.id) ids.push(api.id);
  if (ids.length === 0)
    throw new GamedayError(
      `no REST API named ${plan.apiName} in account ${plan.accountId} (${plan.region}): deploy the environment first, or pass --endpoint`,
    );
  if (ids.length > 1)
    throw new GamedayError(
      `${ids.length} REST APIs are named ${plan.apiName} in account ${plan.accountId} (${plan.region}): ${ids.join(", ")}; pass --endpoint`,
    );
  const suffix = plan.region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://${ids[0]}.execute-api.${plan.region}.${suffix}/${plan.stageName}`;
}
