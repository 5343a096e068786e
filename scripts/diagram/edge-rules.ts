/**
 * How each resource type joins the flow: one rule per type (a dispatch table), each reading the references of one
 * resource of that type. Types not listed (roles, keys, alarms, log groups) are not on the message's path.
 */
import { NEEDS_A_HUMAN_SUFFIX } from "../../modules/saga/saga-names";
import { labelOf, referencesIn } from "./references";
import type { GraphBuilder, NodeKind } from "./types";

/** The resource types drawn as nodes, with their kind. */
export const NODE_KINDS: Readonly<Record<string, NodeKind>> = {
  aws_cloudfront_distribution: "distribution",
  aws_api_gateway_usage_plan: "tier",
  aws_api_gateway_rest_api: "api",
  aws_sqs_queue: "queue",
  aws_lambda_function: "function",
  aws_dynamodb_table: "table",
  aws_pipes_pipe: "pipe",
  aws_cloudwatch_event_bus: "bus",
  aws_cloudwatch_event_rule: "rule",
  aws_sfn_state_machine: "state-machine",
};

type Rule = (g: GraphBuilder, id: string, r: Record<string, any>) => void;

const first = (value: unknown, type: string): string | undefined => referencesIn(value, [type])[0];

export const EDGE_RULES: Readonly<Record<string, Rule>> = {
  aws_cloudfront_distribution: (g, id, r) => {
    for (const api of referencesIn(r.origin, ["aws_api_gateway_rest_api"])) g.edge(id, api, "flow");
  },
  aws_api_gateway_usage_plan: (g, id, r) => {
    for (const api of referencesIn(r.api_stages, ["aws_api_gateway_rest_api"])) g.edge(id, api, "flow", "API key");
  },
  aws_api_gateway_integration: integrationEdges,
  aws_sqs_queue: (g, id, r) => {
    const dlq = first(r.redrive_policy, "aws_sqs_queue");
    const receives = /"maxReceiveCount":\s*(\d+)/.exec(String(r.redrive_policy))?.[1];
    if (dlq) g.edge(id, dlq, "failure", receives ? `after ${receives} receives` : "dead letters");
  },
  aws_lambda_event_source_mapping: (g, _id, r) => {
    const source = first(r.event_source_arn, "aws_sqs_queue") ?? first(r.event_source_arn, "aws_dynamodb_table");
    const fn = first(r.function_name, "aws_lambda_function");
    if (source && fn) g.edge(source, fn, "flow", "consumes");
  },
  aws_lambda_function: (g, id, r) => {
    for (const table of referencesIn(r.environment, ["aws_dynamodb_table"])) g.edge(id, table, "flow", "writes");
    for (const queue of referencesIn(r.environment, ["aws_sqs_queue"])) g.edge(queue, id, "flow");
  },
  aws_lambda_function_event_invoke_config: (g, _id, r) => {
    const queue = first(r.destination_config, "aws_sqs_queue");
    if (queue) g.edge(functionNode(g, r.function_name), queue, "failure", "on failure");
  },
  aws_pipes_pipe: (g, id, r) => {
    const table = first(r.source, "aws_dynamodb_table");
    if (table) g.edge(table, id, "flow", "stream");
    const bus = first(r.target, "aws_cloudwatch_event_bus");
    if (bus) g.edge(id, bus, "flow");
    const dlq = first(r.source_parameters, "aws_sqs_queue");
    if (dlq) g.edge(id, dlq, "failure", "failed batches");
  },
  aws_cloudwatch_event_rule: (g, id, r) => {
    const bus = first(r.event_bus_name, "aws_cloudwatch_event_bus");
    if (bus) g.edge(bus, id, "flow");
    else if (!r.schedule_expression) {
      g.node("default-bus", "bus", "default bus");
      g.edge("default-bus", id, "flow");
    }
  },
  aws_cloudwatch_event_target: (g, _id, r) => {
    const rule = first(r.rule, "aws_cloudwatch_event_rule");
    if (!rule) return;
    const target = targetNode(g, r.arn);
    g.edge(rule, target, "flow");
    const dlq = first(r.dead_letter_config, "aws_sqs_queue");
    if (dlq) g.edge(rule, dlq, "failure", `undeliverable to ${nodeLabel(g, target)}`);
  },
  aws_sfn_state_machine: (g, id, r) => {
    for (const queue of referencesIn(r.definition, ["aws_sqs_queue"])) {
      const name = String(g.tf.resource?.aws_sqs_queue?.[queue.split(".")[1]]?.name ?? "");
      g.edge(
        id,
        queue,
        name.endsWith(NEEDS_A_HUMAN_SUFFIX) ? "failure" : "flow",
        name.endsWith(NEEDS_A_HUMAN_SUFFIX) ? "needs a human" : "sends",
      );
    }
  },
};

/** An async route (SQS) or an HTTP backend, from the API. */
function integrationEdges(g: GraphBuilder, _id: string, r: Record<string, any>): void {
  const api = first(r.rest_api_id, "aws_api_gateway_rest_api");
  if (!api) return;
  const queueName = /:sqs:path\/[^/]+\/([^/]+)$/.exec(String(r.uri ?? ""))?.[1];
  if (queueName) {
    const queue = Object.entries(g.tf.resource?.aws_sqs_queue ?? {}).find(([, q]) => q.name === queueName);
    if (queue) g.edge(api, `aws_sqs_queue.${queue[0]}`, "flow", `${routeOf(g, r)} (async)`);
    return;
  }
  const host = /^https?:\/\/([^/]+)/.exec(String(r.uri ?? ""))?.[1];
  if (host) {
    g.node(`backend:${host}`, "backend", host);
    g.edge(api, `backend:${host}`, "flow");
  }
}

/** `POST /orders`: the integration's method and its resource's full path. */
function routeOf(g: GraphBuilder, integration: Record<string, any>): string {
  const resources = g.tf.resource?.aws_api_gateway_resource ?? {};
  const methods = g.tf.resource?.aws_api_gateway_method ?? {};
  const method = methods[first(integration.http_method, "aws_api_gateway_method")?.split(".")[1] ?? ""];
  const httpMethod = method?.http_method ?? integration.http_method;
  const parts: string[] = [];
  // The integration names its method's resource, directly or through the method.
  let at =
    first(integration.resource_id, "aws_api_gateway_resource") ??
    first(method?.resource_id, "aws_api_gateway_resource");
  while (at && parts.length < 32) {
    const resource = resources[at.split(".")[1]];
    if (!resource) break;
    parts.unshift(resource.path_part);
    at = first(resource.parent_id, "aws_api_gateway_resource");
  }
  return `${httpMethod} /${parts.join("/")}`;
}

/** The node an event target delivers to: a resource of the stack, or one outside it (by its ARN). */
function targetNode(g: GraphBuilder, arn: unknown): string {
  const inStack = referencesIn(arn, Object.keys(NODE_KINDS))[0];
  if (inStack) return inStack;
  const text = String(arn);
  const machine = /:stateMachine:([\w-]+)$/.exec(text)?.[1];
  const own = Object.entries(g.tf.resource?.aws_sfn_state_machine ?? {}).find(([, m]) => m.name === machine);
  if (own) return `aws_sfn_state_machine.${own[0]}`;
  const fn = /:function:([\w-]+)/.exec(text)?.[1];
  if (fn) return functionNode(g, fn);
  const tail = text.split(/[:/]/).at(-1) ?? text;
  g.node(`external:${tail}`, "bus", `${tail} (another bus)`);
  return `external:${tail}`;
}

/** A function by name or reference: the stack's own, or one another stack owns. */
function functionNode(g: GraphBuilder, nameOrRef: unknown): string {
  const ref = first(nameOrRef, "aws_lambda_function");
  if (ref) return ref;
  const name = String(nameOrRef).split(":").at(-1) ?? String(nameOrRef);
  const own = Object.entries(g.tf.resource?.aws_lambda_function ?? {}).find(([, f]) => f.function_name === name);
  if (own) return `aws_lambda_function.${own[0]}`;
  g.node(`function:${name}`, "external-function", name);
  return `function:${name}`;
}

function nodeLabel(g: GraphBuilder, id: string): string {
  const [type, name] = id.split(".");
  const r = g.tf.resource?.[type]?.[name];
  return r ? labelOf(r, name) : id.replace(/^\w+:/, "");
}
