import { TerraformOutput } from "cdktn";
import type { Construct } from "constructs";
import { RestApiFrontDoor } from "../modules/api/rest-api-front-door";
import type { LoadedEnvironment } from "./config/loaded-environment";

/**
 * The environment's REST API front door (modules/api) from its `api` config, when it has one,
 * wired to the environment's alarm topic and to the account's API Gateway logging role the stack owns, plus outputs: `api-url` (CloudFront or custom domain),
 * `api-invoke-url` (the stage, bypassing CloudFront), `api-usage-plan-ids` and `api-key-ids`.
 */
export function addApiFrontDoor(
  scope: Construct,
  env: LoadedEnvironment,
  alarmTopicArn: string,
): RestApiFrontDoor | undefined {
  const api = env.config.api;
  if (!api) return undefined;
  const frontDoor = new RestApiFrontDoor(scope, "api", { ...api, alarmTopicArn, manageAccountLogging: true });
  new TerraformOutput(scope, "api-url", { value: frontDoor.url, description: "Public URL of the API (CloudFront)" });
  new TerraformOutput(scope, "api-invoke-url", {
    value: frontDoor.invokeUrl,
    description: "Stage URL, bypassing CloudFront (operators only)",
  });
  new TerraformOutput(scope, "api-usage-plan-ids", {
    value: frontDoor.usagePlanIds,
    description: "Usage plan id by tier",
  });
  new TerraformOutput(scope, "api-key-ids", {
    value: frontDoor.apiKeyIds,
    description:
      "API key id by consumer; read a value with `aws apigateway get-api-key --api-key <id> --include-value`",
  });
  return frontDoor;
}
