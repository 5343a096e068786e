/**
 * An environment's flow, read from its synthesized Terraform JSON: the resources a message passes through (nodes) and
 * the references between them (edges), failure paths and the redrive's way back apart. Pure: `dot.ts` draws it.
 */
import { EDGE_RULES, NODE_KINDS } from "./edge-rules";
import { labelOf } from "./references";
import type { FlowEdge, FlowGraph, FlowNode, GraphBuilder, TerraformJson } from "./types";

export type * from "./types";

/** The graph of one synthesized stack. Queues something sends its failures to become DLQs. */
export function flowGraph(tf: TerraformJson): FlowGraph {
  const nodes = new Map<string, FlowNode>();
  const edges: FlowEdge[] = [];
  const builder: GraphBuilder = {
    tf,
    node: (id, kind, label) => {
      if (!nodes.has(id)) nodes.set(id, { id, kind, label });
    },
    edge: (from, to, kind, label) => {
      if (!edges.some((e) => e.from === from && e.to === to && e.kind === kind))
        edges.push({ from, to, kind, ...(label ? { label } : {}) });
    },
  };
  for (const [type, kind] of Object.entries(NODE_KINDS))
    for (const [name, r] of Object.entries(tf.resource?.[type] ?? {}))
      builder.node(`${type}.${name}`, kind, labelOf(r, name));
  for (const [type, rule] of Object.entries(EDGE_RULES))
    for (const [name, r] of Object.entries(tf.resource?.[type] ?? {})) rule(builder, `${type}.${name}`, r);
  return { nodes: markDeadLetterQueues([...nodes.values()], edges), edges: asRedrives(edges, nodes) };
}

function markDeadLetterQueues(nodes: FlowNode[], edges: readonly FlowEdge[]): FlowNode[] {
  const dlqs = new Set(edges.filter((e) => e.kind === "failure").map((e) => e.to));
  return nodes.map((n) => (n.kind === "queue" && dlqs.has(n.id) ? { ...n, kind: "dlq" } : n));
}

/** A function reading a DLQ is the redrive: its edge is the way back. */
function asRedrives(edges: readonly FlowEdge[], nodes: ReadonlyMap<string, FlowNode>): FlowEdge[] {
  const dlqs = new Set(edges.filter((e) => e.kind === "failure").map((e) => e.to));
  return edges.map((e) =>
    e.kind === "flow" && dlqs.has(e.from) && nodes.get(e.to)?.kind === "function"
      ? { ...e, kind: "redrive", label: "redrive" }
      : e,
  );
}
