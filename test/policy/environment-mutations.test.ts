/**
 * Proves the rules are not vacuous on the real stacks: for every rule, one property the modules
 * really synthesize is broken in a copy of an environment's Terraform JSON, and the rule must then
 * report that resource. A rule that cannot find or read what the modules emit fails here.
 */
import { runRule } from "../../policy/engine";
import type { Rule } from "../../policy/rule";
import { RULES } from "../../policy/rules";
import * as rules from "../../policy/rules";
import { StackView, type TerraformJson } from "../../policy/terraform-json";
import { synthEnvironments } from "../helpers/synth";

type Json = Record<string, any>;
type Env = "dev" | "staging" | "prod" | "dev-bootstrap" | "staging-bootstrap" | "prod-bootstrap";
const ALL: readonly Env[] = ["dev", "staging", "prod"];
const BOOTSTRAP: readonly Env[] = ["dev-bootstrap", "staging-bootstrap", "prod-bootstrap"];

const synthesized = synthEnvironments();
const copyOf = (env: Env): Json => JSON.parse(synthesized[env]);

/** The first resource of `type` (logical-id order) matching `where`; throws naming what was looked for. */
function pick(json: Json, type: string, where: (body: Json) => boolean = () => true): { address: string; body: Json } {
  const entry = Object.entries<Json>(json.resource?.[type] ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .find(([, body]) => where(body));
  if (!entry) throw new Error(`the stack has no ${type} matching the mutation's filter`);
  return { address: `${type}.${entry[0]}`, body: entry[1] };
}

/** Rewrites a JSON policy string in place. */
function editPolicy(body: Json, edit: (doc: Json) => void): void {
  const doc = JSON.parse(body.policy);
  edit(doc);
  body.policy = JSON.stringify(doc);
}

const statement = (doc: Json, sid: string): Json => {
  const s = doc.Statement.find((x: Json) => x.Sid === sid);
  if (!s) throw new Error(`no statement "${sid}"`);
  return s;
};

const isDlq = (q: Json) => Number(q.message_retention_seconds) === 1209600 && /delivery-dlq$/.test(q.name);

interface Mutation {
  readonly rule: Rule;
  /** What is broken, for the test name. */
  readonly breaks: string;
  /** Stacks that have the property (default the three environment stacks). */
  readonly envs?: readonly Env[];
  /** Breaks the property in `json`; returns the address the rule must report. */
  readonly mutate: (json: Json) => string;
  /** The reason the rule must give. */
  readonly reason: RegExp;
}

const MUTATIONS: readonly Mutation[] = [
  {
    rule: rules.apiGatewayAccessLogging,
    breaks: "stage access_log_settings removed",
    mutate: (j) => {
      const s = pick(j, "aws_api_gateway_stage");
      delete s.body.access_log_settings;
      return s.address;
    },
    reason: /^access_log_settings is not set/,
  },
  {
    rule: rules.apiGatewayXray,
    breaks: "stage xray_tracing_enabled = false",
    mutate: (j) => {
      const s = pick(j, "aws_api_gateway_stage");
      s.body.xray_tracing_enabled = false;
      return s.address;
    },
    reason: /^xray_tracing_enabled is false/,
  },
  {
    rule: rules.apiGatewayCacheEncrypted,
    breaks: "a caching method setting stops encrypting",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const ms = pick(j, "aws_api_gateway_method_settings", (b) => b.settings.caching_enabled === true);
      ms.body.settings.cache_data_encrypted = false;
      return ms.address;
    },
    reason: /^caching_enabled is true for ".*GET" but cache_data_encrypted is not true$/,
  },
  {
    rule: rules.apiGatewayCacheEncrypted,
    breaks: "the stage cache cluster's */* settings stop encrypting",
    envs: ["staging", "prod"],
    mutate: (j) => {
      pick(j, "aws_api_gateway_method_settings", (b) => b.method_path === "*/*").body.settings.cache_data_encrypted =
        false;
      return pick(j, "aws_api_gateway_stage", (b) => b.cache_cluster_enabled === true).address;
    },
    reason: /^cache_cluster_enabled is true but no aws_api_gateway_method_settings/,
  },
  {
    rule: rules.apiGatewayDataTraceOff,
    breaks: "*/* data_trace_enabled = true",
    mutate: (j) => {
      const ms = pick(j, "aws_api_gateway_method_settings", (b) => b.method_path === "*/*");
      ms.body.settings.data_trace_enabled = true;
      return ms.address;
    },
    reason: /^data_trace_enabled is true for "\*\/\*"/,
  },
  {
    rule: rules.apiGatewayMethodAuth,
    breaks: "POST /items no longer requires an API key",
    mutate: (j) => {
      const m = pick(j, "aws_api_gateway_method", (b) => b.operation_name === "postItems");
      m.body.api_key_required = false;
      return m.address;
    },
    reason: /^POST \/items has authorization "NONE" and api_key_required is not true$/,
  },
  {
    rule: rules.apiGatewayIntegrationTimeout,
    breaks: "an HTTP_PROXY integration loses its timeout",
    mutate: (j) => {
      const i = pick(j, "aws_api_gateway_integration", (b) => b.type === "HTTP_PROXY");
      delete i.body.timeout_milliseconds;
      return i.address;
    },
    reason: /^timeout_milliseconds is not set/,
  },
  {
    rule: rules.apiGatewayIntegrationTimeout,
    breaks: "an HTTP_PROXY integration waits longer than API Gateway's 29 s limit",
    mutate: (j) => {
      const i = pick(j, "aws_api_gateway_integration", (b) => b.type === "HTTP_PROXY");
      i.body.timeout_milliseconds = 29001;
      return i.address;
    },
    reason: /^timeout_milliseconds is 29001, expected an integer from 50 to 29000$/,
  },
  {
    rule: rules.cloudFrontViewerHttps,
    breaks: "default behaviour allows plain HTTP",
    mutate: (j) => {
      const d = pick(j, "aws_cloudfront_distribution");
      d.body.default_cache_behavior.viewer_protocol_policy = "allow-all";
      return d.address;
    },
    reason: /^default_cache_behavior\.viewer_protocol_policy is "allow-all"/,
  },
  {
    rule: rules.cloudFrontOriginHttps,
    breaks: "API origin reached with match-viewer",
    mutate: (j) => {
      const d = pick(j, "aws_cloudfront_distribution");
      d.body.origin[0].custom_origin_config.origin_protocol_policy = "match-viewer";
      return d.address;
    },
    reason: /^origin "api-gateway-stage": origin_protocol_policy is "match-viewer", expected https-only$/,
  },
  {
    rule: rules.cloudFrontTls12,
    breaks: "custom certificate accepts TLSv1",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const d = pick(j, "aws_cloudfront_distribution", (b) => Boolean(b.viewer_certificate?.acm_certificate_arn));
      d.body.viewer_certificate.minimum_protocol_version = "TLSv1";
      return d.address;
    },
    reason: /^viewer_certificate\.minimum_protocol_version is "TLSv1"/,
  },
  {
    rule: rules.cloudFrontCacheKeyApiKey,
    breaks: "a behaviour switched to the managed CachingOptimized policy",
    mutate: (j) => {
      const d = pick(j, "aws_cloudfront_distribution");
      d.body.default_cache_behavior.cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6";
      return d.address;
    },
    reason: /^default_cache_behavior: managed cache policy Managed-CachingOptimized caches responses without x-api-key/,
  },
  {
    rule: rules.cloudFrontCacheKeyApiKey,
    breaks: "the module's own cache policy drops x-api-key from its key",
    envs: ["prod"],
    mutate: (j) => {
      const p = pick(j, "aws_cloudfront_cache_policy");
      const headers = p.body.parameters_in_cache_key_and_forwarded_to_origin.headers_config.headers;
      headers.items = headers.items.filter((h: string) => h.toLowerCase() !== "x-api-key");
      if (headers.items.length === 0) headers.items = ["accept"];
      return pick(j, "aws_cloudfront_distribution").address;
    },
    reason:
      /^ordered_cache_behavior "\/items.*": cache policy aws_cloudfront_cache_policy\.\S+ caches responses .* but x-api-key is not in its cache key/,
  },
  {
    rule: rules.cloudFrontAccessLogging,
    breaks: "the access-log delivery of the distribution is removed",
    mutate: (j) => {
      delete j.resource.aws_cloudwatch_log_delivery;
      return pick(j, "aws_cloudfront_distribution").address;
    },
    reason: /^aws_cloudwatch_log_delivery_source\.\S+ \(ACCESS_LOGS\) is used by no aws_cloudwatch_log_delivery/,
  },
  {
    rule: rules.cloudFrontAccessLogging,
    breaks: "the delivery source logs the distribution's connection logs instead of its access logs",
    mutate: (j) => {
      pick(j, "aws_cloudwatch_log_delivery_source", (b) => b.log_type === "ACCESS_LOGS").body.log_type =
        "CONNECTION_LOGS";
      return pick(j, "aws_cloudfront_distribution").address;
    },
    reason: /^no logging_config\.bucket and no aws_cloudwatch_log_delivery_source with log_type ACCESS_LOGS/,
  },
  {
    rule: rules.sqsEncrypted,
    breaks: "a delivery DLQ loses its encryption settings",
    mutate: (j) => {
      const q = pick(j, "aws_sqs_queue", isDlq);
      delete q.body.sqs_managed_sse_enabled;
      delete q.body.kms_master_key_id;
      return q.address;
    },
    reason: /^neither sqs_managed_sse_enabled = true nor kms_master_key_id is set$/,
  },
  {
    rule: rules.sqsPolicyNotPublic,
    breaks: "the EventBridge statement of the orders queue policy grants principal *",
    mutate: (j) => {
      const p = pick(j, "aws_sqs_queue_policy", (b) => b.policy.includes('"EventBridgeRuleDelivers"'));
      editPolicy(p.body, (doc) => {
        statement(doc, "EventBridgeRuleDelivers").Principal = "*";
      });
      return p.address;
    },
    reason: /^statement "EventBridgeRuleDelivers" allows principal "\*"/,
  },
  {
    rule: rules.sqsDlqRetention,
    breaks: "a delivery DLQ keeps messages 4 days",
    mutate: (j) => {
      const q = pick(j, "aws_sqs_queue", isDlq);
      q.body.message_retention_seconds = 345600;
      return q.address;
    },
    reason: /^dead-letter queue of aws_cloudwatch_event_target\.\S+ keeps messages 345600 s, expected 1209600/,
  },
  {
    rule: rules.sqsDlqRetention,
    breaks: "the orders queue's own DLQ (redrive_policy) keeps messages 4 days",
    mutate: (j) => {
      const q = pick(j, "aws_sqs_queue", (b) => /-orders-dlq$/.test(b.name));
      q.body.message_retention_seconds = 345600;
      return q.address;
    },
    reason: /^dead-letter queue of aws_sqs_queue\.\S*orders-queue\S* .*keeps messages 345600 s/,
  },
  {
    rule: rules.sqsEventBridgeSourceArn,
    breaks: "a delivery DLQ policy lets EventBridge in without aws:SourceArn",
    mutate: (j) => {
      const p = pick(j, "aws_sqs_queue_policy", (b) => b.policy.includes('"EventBridgeRuleSendsFailedEvents"'));
      editPolicy(p.body, (doc) => {
        delete statement(doc, "EventBridgeRuleSendsFailedEvents").Condition;
      });
      return p.address;
    },
    reason:
      /^statement "EventBridgeRuleSendsFailedEvents" allows events\.amazonaws\.com without an aws:SourceArn condition/,
  },
  {
    rule: rules.sqsEventBridgeSourceArn,
    breaks: "the orders queue policy names another rule in aws:SourceArn",
    mutate: (j) => {
      const p = pick(j, "aws_sqs_queue_policy", (b) => b.policy.includes('"EventBridgeRuleDelivers"'));
      editPolicy(p.body, (doc) => {
        statement(doc, "EventBridgeRuleDelivers").Condition = {
          ArnEquals: { "aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/someone-else" },
        };
      });
      return pick(j, "aws_sqs_queue", (b) => /-orders$/.test(b.name)).address;
    },
    reason:
      /^no queue policy statement allows events\.amazonaws\.com with aws:SourceArn matching aws_cloudwatch_event_rule\./,
  },
  {
    rule: rules.sqsEventBridgeSourceArn,
    breaks: "the orders queue policy's aws:SourceArn is an expression naming no rule",
    mutate: (j) => {
      const p = pick(j, "aws_sqs_queue_policy", (b) => b.policy.includes('"EventBridgeRuleDelivers"'));
      editPolicy(p.body, (doc) => {
        statement(doc, "EventBridgeRuleDelivers").Condition = {
          ArnEquals: { "aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/${var.any_rule}" },
        };
      });
      return pick(j, "aws_sqs_queue", (b) => /-orders$/.test(b.name)).address;
    },
    reason:
      /^no queue policy statement allows events\.amazonaws\.com with aws:SourceArn matching aws_cloudwatch_event_rule\./,
  },
  {
    rule: rules.eventBridgeTargetRetryDlq,
    breaks: "the orders target loses its retry policy and DLQ",
    mutate: (j) => {
      const t = pick(j, "aws_cloudwatch_event_target", (b) => b.target_id === "orders");
      delete t.body.retry_policy;
      delete t.body.dead_letter_config;
      return t.address;
    },
    reason: /^(dead_letter_config\.arn is not set|retry_policy .* is not set explicitly)/,
  },
  {
    rule: rules.pipeStreamFailuresKept,
    breaks: "the outbox's placed pipe retries forever and loses its DLQ",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const p = pick(j, "aws_pipes_pipe", (b) => /-orders-placed$/.test(b.name));
      const stream = p.body.source_parameters.dynamodb_stream_parameters;
      stream.maximum_retry_attempts = -1;
      delete stream.dead_letter_config;
      return p.address;
    },
    reason: /^(dead_letter_config\.arn is not set|maximum_retry_attempts is -1)/,
  },
  {
    rule: rules.pipeRoleScoped,
    breaks: "the outbox pipes' role may put events on any bus",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const policy = pick(j, "aws_iam_role_policy", (b) => /-outbox-pipes$/.test(b.name));
      editPolicy(policy.body, (doc) => {
        statement(doc, "PutOnTheBus").Resource = "*";
      });
      return pick(j, "aws_pipes_pipe", (b) => /-orders-cancelled$/.test(b.name)).address;
    },
    reason: /grants events:PutEvents on \*, which is not this pipe's own$/,
  },
  {
    rule: rules.fisStoppedByOwnAlarm,
    breaks: "the orders-errors experiment loses its stop conditions",
    envs: ["staging"],
    mutate: (j) => {
      const t = pick(j, "aws_fis_experiment_template", (b) => b.tags?.Name === "staging-orders-errors");
      t.body.stop_condition = [{ source: "none" }];
      return t.address;
    },
    reason: /^no stop_condition on a CloudWatch alarm of this stack/,
  },
  {
    rule: rules.fisBounded,
    breaks: "the orders-latency experiment runs 12 hours on every invocation",
    envs: ["staging"],
    mutate: (j) => {
      const t = pick(j, "aws_fis_experiment_template", (b) => b.tags?.Name === "staging-orders-latency");
      t.body.action[0].parameter = t.body.action[0].parameter
        .filter((p: Json) => p.key !== "invocationPercentage")
        .map((p: Json) => (p.key === "duration" ? { key: "duration", value: "PT12H" } : p));
      return t.address;
    },
    reason: /^action invocation-add-delay: duration PT12H; expected an ISO 8601 duration of at most \d+ s$/,
  },
  {
    rule: rules.fisLogged,
    breaks: "the experiment log group loses its key",
    envs: ["staging"],
    mutate: (j) => {
      const g = pick(j, "aws_cloudwatch_log_group", (b) => b.name === "/aws/fis/staging");
      delete g.body.kms_key_id;
      return pick(j, "aws_fis_experiment_template", (b) => b.tags?.Name === "staging-orders-errors").address;
    },
    reason: /^its log group aws_cloudwatch_log_group\..* has no kms_key_id$/,
  },
  {
    rule: rules.fisRoleScoped,
    breaks: "the orders-errors experiment's role may inspect every function",
    envs: ["staging"],
    mutate: (j) => {
      const policy = pick(j, "aws_iam_role_policy", (b) => b.name === "staging-orders-errors-fis");
      editPolicy(policy.body, (doc) => {
        statement(doc, "InspectTargetFunctions").Resource = "*";
      });
      return pick(j, "aws_fis_experiment_template", (b) => b.tags?.Name === "staging-orders-errors").address;
    },
    reason: /grants lambda:GetFunction on \*, which is not a target of this template$/,
  },
  {
    rule: rules.fisProductionOptIn,
    breaks: "an experiment says it is production without the opt-in",
    envs: ["staging"],
    mutate: (j) => {
      const t = pick(j, "aws_fis_experiment_template", (b) => b.tags?.Name === "staging-orders-errors");
      t.body.tags["resilient-edge:production"] = "true";
      return t.address;
    },
    reason: /^a production template without resilient-edge:allow-in-production = "true"/,
  },
  {
    rule: rules.eventBridgeTargetRetryDlq,
    breaks: "the cross-account event-bus target gets a retry policy",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const t = pick(j, "aws_cloudwatch_event_target", (b) => /:event-bus\//.test(b.arn));
      t.body.retry_policy = { maximum_retry_attempts: 3 };
      return t.address;
    },
    reason: /^retry_policy is set on an event-bus target, which takes none$/,
  },
  {
    rule: rules.lambdaTargetOnFailureDestination,
    breaks: "the cancel-order function's invoke config loses its on-failure destination",
    mutate: (j) => {
      delete pick(j, "aws_lambda_function_event_invoke_config", (b) => /cancel-order/.test(b.function_name)).body
        .destination_config;
      return pick(j, "aws_cloudwatch_event_target", (b) => b.target_id === "cancel-order").address;
    },
    reason:
      /sets no destination_config\.on_failure\.destination: after Lambda's retries, events the function failed are dropped$/,
  },
  {
    rule: rules.lambdaTargetOnFailureDestination,
    breaks: "the cancel-order function's invoke config is removed",
    mutate: (j) => {
      const c = pick(j, "aws_lambda_function_event_invoke_config", (b) => /cancel-order/.test(b.function_name));
      delete j.resource.aws_lambda_function_event_invoke_config[c.address.split(".")[1]];
      return pick(j, "aws_cloudwatch_event_target", (b) => b.target_id === "cancel-order").address;
    },
    reason: /has no aws_lambda_function_event_invoke_config in the stack/,
  },
  {
    rule: rules.lambdaXray,
    breaks: "the redrive function traces in PassThrough mode",
    mutate: (j) => {
      const f = pick(j, "aws_lambda_function");
      f.body.tracing_config.mode = "PassThrough";
      return f.address;
    },
    reason: /^tracing_config\.mode is "PassThrough"/,
  },
  {
    rule: rules.lambdaReservedConcurrency,
    breaks: "the redrive function is paused with a reservation of 0",
    mutate: (j) => {
      const f = pick(j, "aws_lambda_function");
      f.body.reserved_concurrent_executions = 0;
      return f.address;
    },
    reason: /^reserved_concurrent_executions is 0, which disables the function/,
  },
  {
    rule: rules.lambdaReservedConcurrency,
    breaks:
      "the unreserved redrive function may also be invoked by API Gateway (no longer only by people and schedules)",
    mutate: (j) => {
      const f = pick(j, "aws_lambda_function", (b) => String(b.function_name).endsWith("-redrive"));
      j.resource.aws_lambda_permission ??= {};
      j.resource.aws_lambda_permission.injected_api_invoke = {
        action: "lambda:InvokeFunction",
        function_name: `\${${f.address}.function_name}`,
        principal: "apigateway.amazonaws.com",
      };
      return f.address;
    },
    reason: /^reserved_concurrent_executions is -1 \(unreserved\)/,
  },
  {
    rule: rules.lambdaLogRetention,
    breaks: "the redrive log group never expires",
    mutate: (j) => {
      delete pick(j, "aws_cloudwatch_log_group", (b) => b.name.startsWith("/aws/lambda/")).body.retention_in_days;
      return pick(j, "aws_lambda_function").address;
    },
    reason: /^its log group aws_cloudwatch_log_group\.\S+ has retention_in_days "unset"/,
  },
  {
    rule: rules.iamNoWildcardAction,
    breaks: "the redrive role may do sqs:*",
    mutate: (j) => {
      const p = pick(j, "aws_iam_role_policy", (b) => b.policy.includes('"DrainDeadLetterQueues"'));
      editPolicy(p.body, (doc) => {
        statement(doc, "DrainDeadLetterQueues").Action = ["sqs:*"];
      });
      return p.address;
    },
    reason: /^statement "DrainDeadLetterQueues" allows action "sqs:\*"/,
  },
  {
    rule: rules.iamNoWildcardResource,
    breaks: "the redrive role may send to any queue",
    mutate: (j) => {
      const p = pick(j, "aws_iam_role_policy", (b) => b.policy.includes('"ReplayToTargets"'));
      editPolicy(p.body, (doc) => {
        statement(doc, "ReplayToTargets").Resource = "*";
      });
      return p.address;
    },
    reason: /^statement "ReplayToTargets" grants "sqs:SendMessage", .* on "Resource": "\*"/,
  },
  {
    rule: rules.kmsServicePrincipalScoped,
    breaks:
      "the events key lets EventBridge in on aws:SourceAccount/aws:SourceArn instead of the queues' encryption context",
    envs: ["prod"],
    mutate: (j) => {
      const k = pick(j, "aws_kms_key", (b) => b.policy.includes('"EventBridgeSendsToQueues"'));
      editPolicy(k.body, (doc) => {
        statement(doc, "EventBridgeSendsToQueues").Condition = {
          StringEquals: { "aws:SourceAccount": "111111111111" },
          ArnEquals: { "aws:SourceArn": "arn:aws:events:eu-west-1:111111111111:rule/x" },
        };
      });
      return k.address;
    },
    reason:
      /^statement "EventBridgeSendsToQueues" lets events\.amazonaws\.com use the key with only aws:SourceAccount and aws:SourceArn/,
  },
  {
    rule: rules.kmsServicePrincipalScoped,
    breaks: "the alarm topic's key lets CloudWatch in with no condition",
    mutate: (j) => {
      const k = pick(j, "aws_kms_key", (b) => b.policy.includes('"CloudWatchAlarmsPublish"'));
      editPolicy(k.body, (doc) => {
        delete statement(doc, "CloudWatchAlarmsPublish").Condition;
      });
      return k.address;
    },
    reason: /^statement "CloudWatchAlarmsPublish" lets cloudwatch\.amazonaws\.com use the key with no condition/,
  },
  {
    rule: rules.accountAllowedIds,
    breaks: "the provider no longer pins allowed_account_ids",
    mutate: (j) => {
      delete j.provider.aws[0].allowed_account_ids;
      return "provider.aws";
    },
    reason: /^allowed_account_ids is not set$/,
  },
  {
    rule: rules.accountRemoteStateLocked,
    breaks: "the S3 backend stops locking",
    mutate: (j) => {
      j.terraform.backend.s3.use_lockfile = false;
      return "terraform.backend.s3";
    },
    reason: /^use_lockfile is false, expected true$/,
  },
  {
    rule: rules.terraformLiteralStrings,
    breaks: "a default tag holds a value Terraform would evaluate (a config value that reached it unescaped)",
    mutate: (j) => {
      j.provider.aws[0].default_tags[0].tags.owner = '${file("/etc/hostname")}';
      return "provider.aws";
    },
    reason:
      /^default_tags\[0\]\.tags\.owner holds "\$\{file\(\\"\/etc\/hostname\\"\)\}", which Terraform would evaluate/,
  },
  {
    rule: rules.accountDefaultTags,
    breaks: "the owner default tag is dropped",
    mutate: (j) => {
      delete j.provider.aws[0].default_tags[0].tags.owner;
      return "provider.aws";
    },
    reason: /^default_tags is missing owner$/,
  },
  {
    rule: rules.dynamodbPointInTimeRecovery,
    breaks: "a consumer's idempotency table loses point-in-time recovery",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const t = pick(j, "aws_dynamodb_table");
      delete t.body.point_in_time_recovery;
      return t.address;
    },
    reason: /^point_in_time_recovery\.enabled is "unset", expected true$/,
  },
  {
    rule: rules.dynamodbEncrypted,
    breaks: "a consumer's idempotency table falls back to the AWS owned key",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const t = pick(j, "aws_dynamodb_table");
      t.body.server_side_encryption = { enabled: false };
      return t.address;
    },
    reason: /^server_side_encryption\.enabled is false: the table uses an AWS owned key/,
  },
  {
    rule: rules.lambdaSqsPartialBatch,
    breaks: "the orders consumer's event source stops reporting batch item failures",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const m = pick(j, "aws_lambda_event_source_mapping");
      delete m.body.function_response_types;
      return m.address;
    },
    reason: /^function_response_types is "unset", expected \["ReportBatchItemFailures"\]$/,
  },
  {
    rule: rules.sqsConsumerVisibility,
    breaks: "the orders consumer's function timeout grows past the queue's visibility timeout / 6",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const m = pick(j, "aws_lambda_event_source_mapping");
      const fnName = /aws_lambda_function\.([^.]+)\./.exec(m.body.function_name)![1];
      j.resource.aws_lambda_function[fnName].timeout = 900;
      const queueName = /aws_sqs_queue\.([^.]+)\./.exec(m.body.event_source_arn)![1];
      return `aws_sqs_queue.${queueName}`;
    },
    reason: /^visibility_timeout_seconds is \d+, expected at least 5\d{3} \(6 x aws_lambda_function\.\S+ timeout 900/,
  },
  {
    rule: rules.apiGatewaySqsTemplateOnly,
    breaks: "the POST /orders integration passes unmatched content types through to SQS",
    envs: ["staging", "prod"],
    mutate: (j) => {
      const i = pick(j, "aws_api_gateway_integration", (b) => b.type === "AWS" && /:sqs:path\//.test(b.uri));
      i.body.passthrough_behavior = "WHEN_NO_MATCH";
      return i.address;
    },
    reason: /^passthrough_behavior is "WHEN_NO_MATCH", expected "NEVER"$/,
  },
  {
    rule: rules.s3BucketVersioned,
    breaks: "the state bucket's versioning is suspended",
    envs: BOOTSTRAP,
    mutate: (j) => {
      pick(j, "aws_s3_bucket_versioning").body.versioning_configuration.status = "Suspended";
      return pick(j, "aws_s3_bucket").address;
    },
    reason: /^aws_s3_bucket_versioning\.\S+ has status "Suspended", expected "Enabled"$/,
  },
  {
    rule: rules.s3BucketEncrypted,
    breaks: "the state bucket's default encryption is removed",
    envs: BOOTSTRAP,
    mutate: (j) => {
      delete j.resource.aws_s3_bucket_server_side_encryption_configuration;
      return pick(j, "aws_s3_bucket").address;
    },
    reason: /^no aws_s3_bucket_server_side_encryption_configuration for this bucket$/,
  },
  {
    rule: rules.s3PublicAccessBlocked,
    breaks: "the state bucket allows public policies",
    envs: BOOTSTRAP,
    mutate: (j) => {
      pick(j, "aws_s3_bucket_public_access_block").body.block_public_policy = false;
      return pick(j, "aws_s3_bucket").address;
    },
    reason: /^aws_s3_bucket_public_access_block\.\S+ does not set block_public_policy to true$/,
  },
  {
    rule: rules.s3TlsOnly,
    breaks: "the state bucket policy loses its TLS-only statement",
    envs: BOOTSTRAP,
    mutate: (j) => {
      const p = pick(j, "aws_s3_bucket_policy");
      editPolicy(p.body, (doc) => {
        doc.Statement = doc.Statement.filter((x: Json) => x.Sid !== "DenyInsecureTransport");
      });
      return pick(j, "aws_s3_bucket").address;
    },
    reason: /^no statement denies "s3:\*" to "\*" when aws:SecureTransport is "false"$/,
  },
  {
    rule: rules.iamOidcTrustRestricted,
    breaks: "the deploy role trusts any branch of the repository (StringLike repo:...:*)",
    envs: BOOTSTRAP,
    mutate: (j) => {
      const r = pick(j, "aws_iam_role", (b) => b.name === "platform-deploy");
      const doc = JSON.parse(r.body.assume_role_policy);
      const oidc = statement(doc, "GitHubActionsOidc");
      delete oidc.Condition.StringEquals["token.actions.githubusercontent.com:sub"];
      oidc.Condition.StringLike = { "token.actions.githubusercontent.com:sub": "repo:acme/resilient-edge:*" };
      r.body.assume_role_policy = JSON.stringify(doc);
      return r.address;
    },
    reason:
      /^statement "GitHubActionsOidc" admits GitHub tokens without a StringEquals condition on token\.actions\.githubusercontent\.com:sub \(only StringLike\)$/,
  },
  {
    rule: rules.iamOidcTrustRestricted,
    breaks: "the plan role stops requiring the sts.amazonaws.com audience",
    envs: BOOTSTRAP,
    mutate: (j) => {
      const r = pick(j, "aws_iam_role", (b) => b.name === "platform-plan");
      const doc = JSON.parse(r.body.assume_role_policy);
      delete statement(doc, "GitHubActionsOidc").Condition.StringEquals["token.actions.githubusercontent.com:aud"];
      r.body.assume_role_policy = JSON.stringify(doc);
      return r.address;
    },
    reason: /^statement "GitHubActionsOidc" does not require token\.actions\.githubusercontent\.com:aud/,
  },
];

const key = (f: { address: string; reason: string }) => `${f.address}: ${f.reason}`;

describe("every rule judges the real environment stacks", () => {
  it("every rule has a mutation of a real module property below", () => {
    expect(RULES.map((r) => r.id).filter((id) => !MUTATIONS.some((m) => m.rule.id === id))).toEqual([]);
  });

  const cases = MUTATIONS.flatMap((m) => (m.envs ?? ALL).map((env) => [m.rule.id, env, m.breaks, m] as const));
  it.each(cases)("%s catches %s: %s", (_id, env, _breaks, m) => {
    const before = runRule(m.rule, new StackView(env, copyOf(env))).map(key);
    const json = copyOf(env);
    const address = m.mutate(json);
    const after = runRule(m.rule, new StackView(env, json as TerraformJson));
    const introduced = after.filter((f) => f.address === address && !before.includes(key(f)));
    expect(introduced.map((f) => f.reason)).toEqual(expect.arrayContaining([expect.stringMatching(m.reason)]));
  });
});
