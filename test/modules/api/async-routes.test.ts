/** Async (SQS) routes of RestApiFrontDoor, proven on the synthesized Terraform JSON. */
import { RestApiFrontDoor, type RestApiFrontDoorProps } from "../../../modules/api/rest-api-front-door";
import { sendMessageRequestTemplate, sqsClientErrorTemplate } from "../../../modules/api/sqs-send-templates";
import { synthScratch, type TerraformJson } from "../../helpers/synth";
import { all, demoProps, one, ref } from "./fixtures";
import { frontDoorProblems } from "./fixtures";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
const EXISTING = "arn:aws:sqs:eu-west-1:210987654321:returns-intake";

function asyncProps(overrides: Partial<RestApiFrontDoorProps> = {}): RestApiFrontDoorProps {
  const base = demoProps();
  return {
    ...base,
    resources: {
      ...base.resources,
      "/orders": {
        ...base.resources["/orders"],
        POST: {
          requestModel: "NewOrder",
          parameters: { "header.Idempotency-Key": false },
          integration: {
            type: "SQS",
            timeoutMs: 2000,
            queue: {
              visibilityTimeoutSeconds: 300,
              maxReceiveCount: 4,
              maxMessageSizeBytes: 262144,
              encryption: "kms",
              kmsKeyArn: KEY,
            },
          },
        },
      },
      "/returns": {
        PUT: {
          requestModel: "NewOrder",
          integration: { type: "SQS", timeoutMs: 1000, existingQueue: { arn: EXISTING } },
        },
      },
    },
    ...overrides,
  };
}

function synth(props: RestApiFrontDoorProps): TerraformJson {
  return JSON.parse(synthScratch((stack) => new RestApiFrontDoor(stack, "front-door", props)));
}

const propsErrors = frontDoorProblems;

const json = synth(asyncProps());
const queue = one(json, "aws_sqs_queue", (q) => q.name === "orders-orders-post");
const dlq = one(json, "aws_sqs_queue", (q) => q.name === "orders-orders-post-dlq");
const queueArn = ref(json, "aws_sqs_queue", (q) => q.name === "orders-orders-post", "arn");
const integration = one(
  json,
  "aws_api_gateway_integration",
  (i) => i.type === "AWS" && i.uri.endsWith("/orders-orders-post"),
);

describe("async route: the queue", () => {
  it("creates the queue encrypted with the key, with retention, visibility and an explicit max_message_size", () => {
    expect(queue).toMatchObject({
      fifo_queue: false,
      kms_master_key_id: KEY,
      visibility_timeout_seconds: 300,
      message_retention_seconds: 345600,
      max_message_size: 262144,
    });
    expect(JSON.parse(queue.redrive_policy)).toEqual({
      deadLetterTargetArn: ref(json, "aws_sqs_queue", (q) => q.name === "orders-orders-post-dlq", "arn"),
      maxReceiveCount: 4,
    });
  });

  it("gives it a DLQ keeping records 14 days that only this queue may use, both refusing plain HTTP", () => {
    expect(dlq).toMatchObject({ message_retention_seconds: 1209600, max_message_size: 262144, kms_master_key_id: KEY });
    const allow = one(json, "aws_sqs_queue_redrive_allow_policy");
    expect(JSON.parse(allow.redrive_allow_policy)).toEqual({
      redrivePermission: "byQueue",
      sourceQueueArns: [queueArn],
    });
    const policies = all(json, "aws_sqs_queue_policy").map((p) => JSON.parse(p.policy).Statement);
    expect(policies).toHaveLength(2);
    for (const statements of policies)
      expect(statements).toEqual([expect.objectContaining({ Sid: "DenyInsecureTransport", Effect: "Deny" })]);
  });

  it("creates no queue for a route writing to an existing one", () => {
    expect(
      all(json, "aws_sqs_queue")
        .map((q) => q.name)
        .sort(),
    ).toEqual(["orders-orders-post", "orders-orders-post-dlq"]);
  });
});

describe("async route: the integration", () => {
  it("is an AWS integration calling SQS SendMessage by path, with its role, form encoding and no passthrough", () => {
    expect(integration).toMatchObject({
      type: "AWS",
      integration_http_method: "POST",
      uri: expect.stringMatching(
        /^arn:\$\{data\.aws_partition\.\S+\.partition\}:apigateway:\$\{data\.aws_region\.\S+\.region\}:sqs:path\/\$\{data\.aws_caller_identity\.\S+\.account_id\}\/orders-orders-post$/,
      ),
      credentials: ref(json, "aws_iam_role", (r) => /^orders-orders-post-[0-9a-f]{8}-sqs-send$/.test(r.name), "arn"),
      passthrough_behavior: "NEVER",
      timeout_milliseconds: 2000,
      request_parameters: {
        "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'",
        "integration.request.header.Accept": "'application/json'",
      },
      // Terraform reads `$${` back as `${`: the template it sends API Gateway is the VTL exactly.
      request_templates: {
        "application/json": sendMessageRequestTemplate("POST /orders").replaceAll("${", () => "$${"),
      },
    });
  });

  it("writes to an existing queue in its own account by its ARN", () => {
    const existing = one(
      json,
      "aws_api_gateway_integration",
      (i) => i.type === "AWS" && i.uri.endsWith("/returns-intake"),
    );
    expect(existing.uri).toMatch(/:sqs:path\/210987654321\/returns-intake$/);
  });

  it("sends to an existing queue in another region through that region's endpoint, and its key through SQS there", () => {
    const other = "arn:aws:sqs:ap-southeast-2:210987654321:apac-intake";
    const otherKey = "arn:aws:kms:ap-southeast-2:210987654321:key/0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    const j: TerraformJson = JSON.parse(
      synthScratch((stack) => {
        new RestApiFrontDoor(stack, "api", {
          ...demoProps(),
          models: { Order: { type: "object" } },
          resources: {
            "/apac": {
              POST: {
                requestModel: "Order",
                integration: { type: "SQS", timeoutMs: 1000, existingQueue: { arn: other, kmsKeyArn: otherKey } },
              },
            },
          },
          methodThrottles: undefined,
          tiers: undefined,
          apiKeys: undefined,
          caching: undefined,
        });
      }),
    );
    const integration = one(j, "aws_api_gateway_integration", (i) => i.type === "AWS");
    expect(integration.uri).toMatch(
      /^arn:\$\{data\.aws_partition\.[^}]+\}:apigateway:ap-southeast-2:sqs:path\/210987654321\/apac-intake$/,
    );
    const statements = JSON.parse(one(j, "aws_iam_role_policy").policy).Statement;
    expect(statements[1]).toMatchObject({
      Resource: otherKey,
      Condition: { StringEquals: { "kms:ViaService": expect.stringMatching(/^sqs\.ap-southeast-2\./) } },
    });
  });

  it("the role may only send to the queue and use its key through SQS", () => {
    const role = one(json, "aws_iam_role", (r) => /^orders-orders-post-[0-9a-f]{8}-sqs-send$/.test(r.name));
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const policy = one(
      json,
      "aws_iam_role_policy",
      (p) =>
        p.role === ref(json, "aws_iam_role", (r) => /^orders-orders-post-[0-9a-f]{8}-sqs-send$/.test(r.name), "id"),
    );
    expect(JSON.parse(policy.policy).Statement).toEqual([
      { Sid: "SendToRouteQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: queueArn },
      {
        Sid: "EncryptForRouteQueue",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": expect.stringMatching(/^sqs\.\$\{data\.aws_region/) } },
      },
    ]);
    const existingPolicy = one(
      json,
      "aws_iam_role_policy",
      (p) =>
        p.role === ref(json, "aws_iam_role", (r) => /^orders-returns-put-[0-9a-f]{8}-sqs-send$/.test(r.name), "id"),
    );
    expect(JSON.parse(existingPolicy.policy).Statement).toEqual([
      { Sid: "SendToRouteQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: EXISTING },
    ]);
  });

  it("answers 202 with the message and request id; SQS 4XX by error code (400, 413, 500, or 503 with Retry-After) and 5XX -> 503, with fixed bodies", () => {
    const mine = (r: Record<string, any>) =>
      r.http_method === integration.http_method && r.resource_id === integration.resource_id;
    expect(
      all(json, "aws_api_gateway_method_response")
        .filter(mine)
        .map((r) => r.status_code)
        .sort(),
    ).toEqual(["202", "400", "413", "500", "503"]);
    const methodResponses = all(json, "aws_api_gateway_method_response").filter(mine);
    for (const r of methodResponses)
      expect(r.response_parameters).toEqual(
        ["500", "503"].includes(r.status_code) ? { "method.response.header.Retry-After": false } : undefined,
      );
    const responses = all(json, "aws_api_gateway_integration_response").filter(mine);
    const statusOf = (r: Record<string, any>) =>
      json.resource.aws_api_gateway_method_response[
        /aws_api_gateway_method_response\.([^.]+)\.status_code/.exec(r.status_code)![1]
      ].status_code;
    const byStatus = Object.fromEntries(responses.map((r) => [statusOf(r), r]));
    expect(Object.keys(byStatus).sort()).toEqual(["202", "500", "503"]);
    expect(byStatus["202"].selection_pattern).toBeUndefined();
    expect(byStatus["202"].response_templates["application/json"]).toBe(
      '{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')","requestId":"$context.requestId"}',
    );
    expect(byStatus["500"].selection_pattern).toBe("4\\d{2}");
    expect(byStatus["503"].selection_pattern).toBe("5\\d{2}");
    expect(byStatus["500"].response_templates["application/json"]).toBe(sqsClientErrorTemplate());
    expect(byStatus["503"].response_templates["application/json"]).not.toMatch(/\$input/);
    expect(byStatus["503"].response_parameters).toEqual({ "method.response.header.Retry-After": "'1'" });
  });

  it("validates the body with the model and keeps the API key requirement, as any route", () => {
    const methodName = /^\$\{aws_api_gateway_method\.([^.]+)\.resource_id\}$/.exec(integration.resource_id)![1];
    const method = json.resource.aws_api_gateway_method[methodName];
    expect(method.http_method).toBe("POST");
    expect(method).toMatchObject({
      api_key_required: true,
      request_models: { "application/json": expect.stringMatching(/aws_api_gateway_model\.\S*NewOrder/) },
      request_parameters: { "method.request.header.Idempotency-Key": false },
    });
    expect(method.request_validator_id).toBe(
      ref(
        json,
        "aws_api_gateway_request_validator",
        (v) => v.validate_request_body === true && v.validate_request_parameters === false,
        "id",
      ),
    );
  });

  it("keeps the per-method throttle of the route in the stage's method settings", () => {
    const settings = one(json, "aws_api_gateway_method_settings", (s) => s.method_path === "~1orders/POST");
    expect(settings.settings).toMatchObject({
      throttling_rate_limit: 10,
      throttling_burst_limit: 5,
      caching_enabled: false,
    });
  });
});

describe("async route: props validation", () => {
  it("refuses caching, a bodyless method, a missing model, and both queue and existingQueue, naming each field", () => {
    const base = asyncProps();
    const errors = propsErrors({
      ...base,
      resources: {
        ...base.resources,
        "/orders": {
          POST: { integration: { type: "SQS", timeoutMs: 2000, queue: {}, existingQueue: { arn: EXISTING } } },
        },
        "/lookups": { GET: { cache: { ttlSeconds: 60 }, integration: { type: "SQS", timeoutMs: 2000 } } },
      },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        "resources./orders.POST.requestModel: required for an async (SQS) route: the body goes straight to the queue, so API Gateway must validate it first",
        "resources./orders.POST.integration.existingQueue: expected either queue (the module creates it) or existingQueue, not both",
        "resources./lookups.GET.integration: an async (SQS) route stores the request body: expected POST, PUT, PATCH or DELETE, got GET",
        "resources./lookups.GET.cache: async (SQS) routes are never cached: every request must reach the queue; remove cache",
      ]),
    );
  });

  it("refuses two routes whose queues would have one name", () => {
    const base = asyncProps();
    const errors = propsErrors({
      ...base,
      resources: {
        ...base.resources,
        "/orders/{orderId}": {
          ...base.resources["/orders/{orderId}"],
          PATCH: { requestModel: "NewOrder", integration: { type: "SQS", timeoutMs: 2000 } },
        },
        "/orders/orderId": { PATCH: { requestModel: "NewOrder", integration: { type: "SQS", timeoutMs: 2000 } } },
      },
    });
    expect(errors).toEqual([
      'resources./orders/orderId.PATCH.integration.queue.name: queue name "orders-orders-orderid-patch" is already the queue of PATCH /orders/{orderId}: give one of them queue.name',
    ]);
  });

  it("checks the queue's fields and an existing queue's ARN", () => {
    const base = asyncProps();
    const errors = propsErrors({
      ...base,
      resources: {
        ...base.resources,
        "/orders": {
          POST: {
            requestModel: "NewOrder",
            integration: {
              type: "SQS",
              timeoutMs: 2000,
              queue: { name: "bad name", maxMessageSizeBytes: 2_000_000, maxReceiveCount: 0, encryption: "kms" },
            },
          },
        },
        "/returns": {
          PUT: {
            requestModel: "NewOrder",
            integration: { type: "SQS", timeoutMs: 2000, existingQueue: { arn: `${EXISTING}.fifo` } },
          },
        },
      },
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^resources\.\/orders\.POST\.integration\.queue\.name: expected a standard queue name/),
        "resources./orders.POST.integration.queue.maxMessageSizeBytes: expected a number <= 1048576, got 2000000",
        "resources./orders.POST.integration.queue.maxReceiveCount: expected a number >= 1, got 0",
        'resources./orders.POST.integration.queue.kmsKeyArn: expected a KMS key ARN when encryption is "kms"',
        "resources./returns.PUT.integration.existingQueue.arn: expected a standard queue: an async route sends no MessageGroupId",
      ]),
    );
  });
});
