/**
 * Every name a module builds from user input is unique within the account and within AWS's length
 * limits: route sets that collide once sanitized (`/items/{id}` beside `/items/id`, POST and PUT on a
 * long path) and long API and function names, fed to the constructs; the synthesized names are
 * collected by kind and checked. A set the module cannot name apart (two default queue names) must be
 * refused with a PropsError, never synthesized with a duplicate.
 */
import fc from "fast-check";
import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { boundedName } from "../../../modules/shared/bounded-name";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { TEAM_TOPIC_ARN } from "../api/fixtures";

/** Name attribute and AWS's limit of each named kind (IAM roles 64, SQS queues 80, alarms 255, ...). */
const NAMED: Record<string, { attribute: string; max: number; pattern: RegExp }> = {
  aws_iam_role: { attribute: "name", max: 64, pattern: /^[\w+=,.@-]+$/ },
  aws_sqs_queue: { attribute: "name", max: 80, pattern: /^[\w-]+$/ },
  aws_cloudwatch_log_group: { attribute: "name", max: 512, pattern: /^[\w#./{}-]+$/ },
  aws_cloudwatch_metric_alarm: { attribute: "alarm_name", max: 255, pattern: /^[^\u0000-\u001f]+$/ },
  aws_dynamodb_table: { attribute: "name", max: 255, pattern: /^[\w.-]+$/ },
  aws_cloudfront_cache_policy: { attribute: "name", max: 128, pattern: /^[\w-]+$/ },
  aws_lambda_function: { attribute: "function_name", max: 64, pattern: /^[\w-]+$/ },
  aws_kms_alias: { attribute: "name", max: 256, pattern: /^alias\/[\w/-]+$/ },
};

/** Every problem with the stack's names: duplicates within a kind, over-long or invalid ones. */
function nameProblems(json: TerraformJson): string[] {
  const problems: string[] = [];
  for (const [kind, rule] of Object.entries(NAMED)) {
    const names = Object.values<any>(json.resource?.[kind] ?? {}).map((r) => r[rule.attribute] as string);
    const seen = new Set<string>();
    for (const name of names) {
      if (typeof name !== "string") continue; // a reference, not a name built here
      if (seen.has(name)) problems.push(`${kind}: "${name}" twice`);
      seen.add(name);
      if (name.includes("${")) continue; // holds a reference (a REST API id), resolved by Terraform
      if (name.length > rule.max) problems.push(`${kind}: "${name}" is ${name.length} > ${rule.max} characters`);
      if (!rule.pattern.test(name)) problems.push(`${kind}: "${name}" has characters AWS refuses`);
    }
  }
  return problems;
}

const asyncRoute = (existing: boolean) => ({
  requestModel: "Order",
  parameters: { "header.Idempotency-Key": true },
  integration: existing
    ? { type: "SQS" as const, timeoutMs: 3000, existingQueue: { arn: "arn:aws:sqs:eu-west-1:123456789012:shared" } }
    : { type: "SQS" as const, timeoutMs: 3000 },
});

function frontDoor(name: string, resources: RestApiFrontDoorProps["resources"]): RestApiFrontDoorProps {
  return {
    name,
    alarmTopicArn: TEAM_TOPIC_ARN,
    resources,
    models: { Order: { type: "object", required: ["sku"], properties: { sku: { type: "string" } } } },
    throttle: { rateLimit: 100, burstLimit: 50 },
    caching: { enabled: true, layer: "edge", clusterSizeGb: 0.5 },
  };
}

function synthFrontDoor(props: RestApiFrontDoorProps): TerraformJson | PropsError {
  try {
    return JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "api", props)));
  } catch (error) {
    if (error instanceof PropsError) return error;
    throw error;
  }
}

describe("names built from user input", () => {
  it("the issue's collisions: POST and PUT on a long path under a 38-character API, /items/{id} beside /items/id", () => {
    const api = "a".repeat(38);
    const json = synthFrontDoor(
      frontDoor(api, {
        "/fulfilment-requests/bulk": { POST: asyncRoute(true), PUT: asyncRoute(true) },
        "/items/{id}": { POST: asyncRoute(true), GET: { integration: { type: "MOCK", timeoutMs: 500 }, cache: {} } },
        "/items/id": { POST: asyncRoute(true), GET: { integration: { type: "MOCK", timeoutMs: 500 }, cache: {} } },
      }),
    );
    if (json instanceof PropsError) throw new Error(json.problems.join("\n"));
    const roles = Object.values<any>((json as TerraformJson).resource.aws_iam_role).map((r) => r.name);
    expect(roles.filter((n: string) => n.endsWith("-sqs-send"))).toHaveLength(4);
    expect(nameProblems(json as TerraformJson)).toEqual([]);
    expect(Object.keys((json as TerraformJson).resource.aws_cloudfront_cache_policy)).toHaveLength(2);
  });

  it("property: any route set and API name either synthesizes unique, valid names or is refused with a PropsError", () => {
    const segment = fc.constantFrom(
      "items",
      "Items",
      "{id}",
      "id",
      "bulk",
      "fulfilment-requests",
      "x".repeat(40),
      "a_b",
      "a-b",
    );
    const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join("/")}`);
    const routes = fc.uniqueArray(fc.tuple(path, fc.constantFrom("POST", "PUT"), fc.boolean()), {
      minLength: 2,
      maxLength: 5,
      selector: ([p, m]) => `${m} ${p}`,
    });
    const apiName = fc.constantFrom("orders", "a".repeat(38), "b".repeat(40));
    fc.assert(
      fc.property(apiName, routes, (name, set) => {
        const resources: Record<string, Record<string, unknown>> = {};
        for (const [p, m, existing] of set) {
          resources[p] ??= {};
          resources[p][m] = asyncRoute(existing);
        }
        const out = synthFrontDoor(frontDoor(name, resources as RestApiFrontDoorProps["resources"]));
        if (out instanceof PropsError) {
          // Only the default queue names may clash, and the problem says how to fix it.
          for (const problem of out.problems)
            expect(problem).toMatch(/queue name ".*" is already the queue of .*: give one of them queue.name/);
          return;
        }
        expect(nameProblems(out)).toEqual([]);
      }),
      { numRuns: 25, seed: 19 },
    );
  });

  it("boundedName: as it is when it fits; cut with a stable hash of the identity otherwise", () => {
    expect(boundedName("orders", "-role", 64)).toBe("orders-role");
    const long = "x".repeat(70);
    expect(boundedName(long, "-role", 64)).toHaveLength(64);
    expect(boundedName(long, "-role", 64)).toBe(boundedName(long, "-role", 64));
    expect(boundedName(`${long}a`, "-role", 64)).not.toBe(boundedName(`${long}b`, "-role", 64));
    expect(boundedName("items-id-post", "-sqs-send", 64, "POST /items/{id}")).not.toBe(
      boundedName("items-id-post", "-sqs-send", 64, "POST /items/id"),
    );
    expect(boundedName("items-id-post", "-sqs-send", 64, "POST /items/id")).toMatch(
      /^items-id-post-[0-9a-f]{8}-sqs-send$/,
    );
  });
});
