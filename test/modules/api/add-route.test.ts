/**
 * RestApiFrontDoor.addRoute: a route added after construction is the route the props would have made (the same
 * Terraform, resource for resource: method, integration, authorization, CORS preflight, cache settings, alarms, the
 * deployment's wait and trigger), checked by the same rules, every problem at once.
 */
import type { ApiMethodDefinition, HttpMethod } from "../../../modules/api/api-definition";
import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { PropsError } from "../../../modules/shared/validation";
import { synthScratch } from "../../helpers/synth";
import { demoProps } from "./fixtures";

const POOL = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbC123xyZ";
const LATER: [string, HttpMethod, ApiMethodDefinition][] = [
  ["/orders", "PUT", { integration: { type: "SQS", timeoutMs: 2000 }, requestModel: "NewOrder" }],
  [
    "/reports/{id}",
    "GET",
    {
      integration: {
        type: "LAMBDA",
        functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:reports",
        timeoutMs: 5000,
      },
      cache: { ttlSeconds: 30 },
      authorizationScopes: ["reports/read"],
    },
  ],
];

function base(overrides: Partial<RestApiFrontDoorProps> = {}): RestApiFrontDoorProps {
  return demoProps({
    caching: { enabled: true, layer: "api-gateway", clusterSizeGb: 0.5 },
    cors: { allowOrigins: ["https://shop.example.com", "https://admin.example.com"] },
    authorizers: { users: { type: "COGNITO_USER_POOLS", userPoolArns: [POOL] } },
    defaultAuthorization: "users",
    ...overrides,
  });
}

/** The stack's resources, the deployment's depends_on sorted (the order a route was added in is not a difference). */
function resources(build: (api: RestApiFrontDoor) => void, props: RestApiFrontDoorProps) {
  const json = JSON.parse(
    synthScratch((stack) => {
      build(new RestApiFrontDoor(stack, "front-door", props));
    }),
  );
  for (const d of Object.values<any>(json.resource.aws_api_gateway_deployment)) d.depends_on = [...d.depends_on].sort();
  return json.resource;
}

function withRoutes(props: RestApiFrontDoorProps): RestApiFrontDoorProps {
  const res: Record<string, Record<string, ApiMethodDefinition>> = structuredClone(props.resources) as never;
  for (const [path, method, def] of LATER) res[path] = { ...res[path], [method]: def };
  return { ...props, resources: res };
}

function problems(build: (api: RestApiFrontDoor) => void, props = base()): string[] {
  try {
    synthScratch((stack) => build(new RestApiFrontDoor(stack, "front-door", props)));
  } catch (err) {
    expect(err).toBeInstanceOf(PropsError);
    return [(err as PropsError).construct, ...(err as PropsError).problems];
  }
  throw new Error("expected a PropsError");
}

describe("RestApiFrontDoor.addRoute", () => {
  const declared = resources(() => {}, withRoutes(base()));
  const added = resources((api) => {
    for (const [path, method, def] of LATER) api.addRoute(path, method, def);
  }, base());

  it("makes exactly the Terraform the props would have made: resources, methods, integrations, preflights, settings, alarms", () => {
    expect(Object.keys(added).sort()).toEqual(Object.keys(declared).sort());
    for (const type of Object.keys(declared)) expect({ [type]: added[type] }).toEqual({ [type]: declared[type] });
  });

  it("covers the added routes in the deployment's trigger (the stage is redeployed)", () => {
    const trigger = (r: any) => Object.values<any>(r.aws_api_gateway_deployment)[0].triggers;
    expect(trigger(added)).toEqual(trigger(declared));
    expect(trigger(resources(() => {}, base()))).not.toEqual(trigger(added));
  });

  it("checks an added route with the rest of the API, every problem at once", () => {
    expect(
      problems((api) =>
        api.addRoute("/items", "POST", {
          integration: { type: "SQS", timeoutMs: 40_000 },
          requestModel: "Missing",
          authorization: "user",
        }),
      ),
    ).toEqual([
      "RestApiFrontDoor front-door.addRoute(POST /items)",
      expect.stringMatching(/^resources\.\/items\.POST\.integration\.timeoutMs: /),
      expect.stringMatching(/^resources\.\/items\.POST\.requestModel: unknown model "Missing"/),
      expect.stringMatching(
        /^resources\.\/items\.POST\.authorization: unknown authorizer "user": did you mean "users"\?/,
      ),
    ]);
    const rules = problems((api) =>
      api.addRoute("/items", "POST", {
        integration: { type: "SQS", timeoutMs: 2000 },
        requestModel: "Missing",
        authorization: "user",
      }),
    );
    expect(rules).toEqual([
      "RestApiFrontDoor front-door.addRoute(POST /items)",
      expect.stringMatching(/^resources\.\/items\.POST\.requestModel: unknown model "Missing"/),
      expect.stringMatching(
        /^resources\.\/items\.POST\.authorization: unknown authorizer "user": did you mean "users"\?/,
      ),
    ]);
  });

  it("refuses a route that exists, and edge-cached routes or routes under one (CloudFront's behaviours are fixed)", () => {
    expect(
      problems((api) => api.addRoute("/orders", "POST", { integration: { type: "MOCK", timeoutMs: 500 } })),
    ).toEqual(["RestApiFrontDoor front-door.addRoute(POST /orders)", "POST /orders: the route exists already"]);
    const edge = base({ caching: { enabled: true, layer: "edge", clusterSizeGb: 0.5 } });
    expect(
      problems(
        (api) => api.addRoute("/catalog", "GET", { integration: { type: "MOCK", timeoutMs: 500 }, cache: {} }),
        edge,
      )[1],
    ).toMatch(/^cache: an edge-cached route \(caching\.layer "edge"\) needs its own CloudFront behaviour/);
    expect(
      problems(
        (api) => api.addRoute("/orders/{orderId}/notes", "GET", { integration: { type: "MOCK", timeoutMs: 500 } }),
        edge,
      )[1],
    ).toMatch(
      /^CloudFront would serve \/orders\/\{orderId\}\/notes under the edge-cached \/orders\/\{orderId\} \(pattern \/orders\/\*\)/,
    );
  });
});
