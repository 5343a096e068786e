/**
 * A product team's orders API: a REST front door behind CloudFront with two usage-plan tiers, and
 * an EventBridge routing that delivers `order.placed` to an SQS queue (fulfilment) and a Lambda
 * function (notifications), each with its own dead-letter queue and alarms; an outbox turns new orders in the
 * state table into `order.placed` events.
 *
 * The account's API Gateway CloudWatch role belongs to the platform's stack of the account, so the
 * front door leaves it alone (`manageAccountLogging` defaults to false).
 */
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { App, S3Backend, TerraformOutput, TerraformStack } from "cdktn";
import type { Construct } from "constructs";
import { AlarmTopic, EventRouting, RestApiFrontDoor } from "@acme/resilient-edge";
import { OperationsDashboard } from "@acme/resilient-edge/dashboard";
import { Outbox } from "@acme/resilient-edge/outbox";

const ACCOUNT = "123456789012";
const REGION = "eu-west-1";

class OrdersApiStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", {
      region: REGION,
      allowedAccountIds: [ACCOUNT],
      defaultTags: [{ tags: { environment: "prod", owner: "orders-team", "managed-by": "cdktf" } }],
    });
    new S3Backend(this, {
      bucket: "orders-team-tfstate",
      key: "orders-api.tfstate",
      region: REGION,
      encrypt: true,
    }).addOverride("use_lockfile", true);

    const alarms = new AlarmTopic(this, "alarms", { name: "orders-alarms", emails: ["orders-oncall@example.com"] });

    const api = new RestApiFrontDoor(this, "api", {
      name: "orders",
      alarmTopicArn: alarms.topicArn,
      resources: {
        "/health": {
          GET: {
            public: true,
            authorization: "NONE",
            integration: { type: "MOCK", timeoutMs: 1000, responseBody: { status: "ok" } },
          },
        },
        "/orders": {
          POST: {
            integration: {
              type: "HTTP_PROXY",
              uri: "https://orders.internal.example.com/orders",
              httpMethod: "POST",
              timeoutMs: 5000,
            },
          },
        },
        "/orders/{orderId}": {
          GET: {
            integration: {
              type: "HTTP_PROXY",
              uri: "https://orders.internal.example.com/orders/{orderId}",
              timeoutMs: 3000,
            },
            // Cached per API key and per user (the Authorization header is in the key: no user sees another's order).
            cache: { ttlSeconds: 60 },
            authorizationScopes: ["orders/read"],
          },
        },
        "/orders/{orderId}/status": {
          GET: {
            integration: {
              type: "LAMBDA",
              functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:order-status",
              timeoutMs: 3000,
            },
          },
        },
      },
      // Every method but /health needs a user of the shop's pool as well as the caller's API key.
      authorizers: {
        shoppers: {
          type: "COGNITO_USER_POOLS",
          userPoolArns: ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Shop12345"],
        },
      },
      defaultAuthorization: "shoppers",
      // The shop's web front end calls the API from the browser.
      cors: { allowOrigins: ["https://shop.example.com"], exposeHeaders: ["Location"] },
      models: {
        NewReturn: {
          type: "object",
          required: ["orderId", "reason"],
          properties: { orderId: { type: "string" }, reason: { type: "string", maxLength: 500 } },
        },
      },
      throttle: { rateLimit: 200, burstLimit: 100 },
      tiers: {
        standard: { throttle: { rateLimit: 10, burstLimit: 5 }, quota: { limit: 10_000, period: "DAY" } },
        premium: { throttle: { rateLimit: 100, burstLimit: 50 }, quota: { limit: 1_000_000, period: "MONTH" } },
      },
      apiKeys: [
        { name: "web-shop", tier: "premium" },
        { name: "partner-portal", tier: "standard" },
      ],
      caching: { enabled: true, layer: "api-gateway", clusterSizeGb: 0.5 },
    });
    // Returns are stored in SQS (202 at once) and processed by a consumer built from the route in one call: its queue,
    // DLQ and key wired, the consumer runtime's bundle from the package (no build of our own).
    api.addRoute("/returns", "POST", { integration: { type: "SQS", timeoutMs: 2000 }, requestModel: "NewReturn" });
    const returns = api.addConsumer("POST /returns", {
      functionName: "orders-returns",
      alarmTopicArn: alarms.topicArn,
    });
    new TerraformOutput(this, "returns-dlq-route", { value: returns.deadLetterRoute.dlqUrl });
    // Another team's route, added to the same API later (checked with the rest of it, redeployed with it).
    api.addRoute("/orders/{orderId}/cancel", "POST", {
      integration: {
        type: "LAMBDA",
        functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:cancel-order",
        timeoutMs: 5000,
      },
    });

    const events = new EventRouting(this, "events", {
      namePrefix: "orders",
      alarmTopicArn: alarms.topicArn,
      rules: [
        {
          name: "order-placed",
          eventPattern: { source: ["acme.orders"], "detail-type": ["order.placed"] },
          targets: [
            { kind: "sqs", name: "fulfilment", queue: { visibilityTimeoutSeconds: 60 } },
            {
              kind: "lambda",
              name: "notify",
              functionName: "orders-notify",
              // Lambda's own retries, then its on-failure queue (created here; the function's role may send to it).
              asyncInvoke: { executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/orders-notify` },
            },
          ],
        },
      ],
    });

    // The orders service writes its state table; each new order becomes order.placed on the bus, and a pipe
    // failure is redriven from the stream (docs/outbox.md).
    const outbox = new Outbox(this, "outbox", {
      name: "orders",
      table: { kind: "new", partitionKey: { name: "orderId" } },
      eventBusArn: events.eventBusArn,
      alarmTopicArn: alarms.topicArn,
      events: {
        placed: {
          detailType: "order.placed",
          source: "acme.orders",
          eventNames: ["INSERT"],
          fields: { orderId: { path: "Keys.orderId", type: "S" }, total: { path: "NewImage.total", type: "N" } },
        },
      },
    });

    // One dashboard of all of it, in the order a message travels; its alarms are every alarm of this stack.
    const dashboard = new OperationsDashboard(this, "dashboard", {
      name: "orders-operations",
      api: { apiName: "orders", stageName: api.stageName, accessLogGroupName: api.stage.logGroup.name },
      consumers: [
        {
          name: "returns",
          queueName: api.asyncRoutes["POST /returns"].queueName,
          functionName: returns.consumer.functionName,
          logGroupName: returns.consumer.logGroup.name,
        },
      ],
      pipeNames: Object.values(outbox.pipes).map((p) => p.name),
      rules: [{ ruleName: events.targets.fulfilment.rule.name, eventBusName: events.eventBusName }],
      deadLetterQueues: OperationsDashboard.deadLetterQueuesOf([
        ...events.deadLetterRoutes,
        returns.deadLetterRoute,
        outbox.deadLetterRoute,
      ]),
    });
    new TerraformOutput(this, "dashboard-url", { value: dashboard.consoleUrl });
    new TerraformOutput(this, "api-url", { value: api.url });
    new TerraformOutput(this, "outbox-dlq-url", { value: outbox.deadLetterQueue.url });
    new TerraformOutput(this, "event-bus-name", { value: events.eventBusName });
  }
}

const app = new App();
new OrdersApiStack(app, "orders-api");
app.synth();
