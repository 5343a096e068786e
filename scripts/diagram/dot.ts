/**
 * The flow graph as Graphviz DOT: left to right in the order a message travels, one shape and colour per kind of
 * node, failure paths red and the redrive's way back blue, each explained in a legend.
 */
import type { EdgeKind, FlowGraph, NodeKind } from "./types";

const NODE_STYLE: Readonly<Record<NodeKind, string>> = {
  distribution: 'shape=box, style="rounded,filled", fillcolor="#e3f2fd"',
  tier: 'shape=note, style=filled, fillcolor="#f5f5f5"',
  api: 'shape=box, style="rounded,filled", fillcolor="#bbdefb"',
  backend: 'shape=box, style="rounded,dashed"',
  queue: 'shape=cylinder, style=filled, fillcolor="#fff8e1"',
  dlq: 'shape=cylinder, style=filled, fillcolor="#ffebee", color="#c62828", penwidth=2',
  function: 'shape=component, style=filled, fillcolor="#e8f5e9"',
  "external-function": 'shape=component, style="filled,dashed", fillcolor="#f1f8e9"',
  table: 'shape=cylinder, style=filled, fillcolor="#ede7f6"',
  pipe: 'shape=cds, style=filled, fillcolor="#e0f7fa"',
  bus: 'shape=hexagon, style=filled, fillcolor="#fce4ec"',
  rule: 'shape=diamond, style=filled, fillcolor="#fff3e0"',
  "state-machine": 'shape=box3d, style=filled, fillcolor="#f3e5f5"',
};

const EDGE_STYLE: Readonly<Record<EdgeKind, string>> = {
  flow: 'color="#455a64"',
  failure: 'color="#c62828", fontcolor="#c62828", style=dashed, penwidth=1.6',
  redrive: 'color="#1565c0", fontcolor="#1565c0", style=bold',
};

/** The caption under each node's name: what it is, in AWS's words. */
const CAPTION: Readonly<Record<NodeKind, string>> = {
  distribution: "CloudFront",
  tier: "usage plan (tier)",
  api: "REST API",
  backend: "HTTP backend",
  queue: "SQS queue",
  dlq: "dead-letter queue",
  function: "Lambda function",
  "external-function": "Lambda (another stack)",
  table: "DynamoDB table",
  pipe: "EventBridge pipe",
  bus: "event bus",
  rule: "rule",
  "state-machine": "Step Functions",
};

// A "\n" in a label is Graphviz's line break; any other backslash is written as one.
const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** DOT text of `graph`, titled `title`. Deterministic: the same graph gives the same text. */
export function toDot(graph: FlowGraph, title: string): string {
  const lines = [
    `digraph ${quote(title)} {`,
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=20, labelloc=t, label=${quote(title)}, nodesep=0.3, ranksep=0.6, bgcolor=white];`,
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
    ...graph.nodes.map(
      (n) => `  ${quote(n.id)} [label=${quote(`${n.label}\n${CAPTION[n.kind]}`)}, ${NODE_STYLE[n.kind]}];`,
    ),
    ...graph.edges.map(
      (e) =>
        `  ${quote(e.from)} -> ${quote(e.to)} [${EDGE_STYLE[e.kind]}${e.label ? `, label=${quote(e.label)}` : ""}];`,
    ),
    ...legend(),
    "}",
  ];
  return `${lines.join("\n")}\n`;
}

function legend(): string[] {
  return [
    "  subgraph cluster_legend {",
    '    label="Legend"; fontsize=12; style=rounded; color="#9e9e9e";',
    '    "legend:a" [label="", shape=point]; "legend:b" [label="", shape=point]; "legend:c" [label="", shape=point];',
    '    "legend:d" [label="", shape=point]; "legend:e" [label="", shape=point]; "legend:f" [label="", shape=point];',
    `    "legend:a" -> "legend:b" [${EDGE_STYLE.flow}, label="message"];`,
    `    "legend:c" -> "legend:d" [${EDGE_STYLE.failure}, label="failure path"];`,
    `    "legend:e" -> "legend:f" [${EDGE_STYLE.redrive}, label="way back (redrive)"];`,
    "  }",
  ];
}
