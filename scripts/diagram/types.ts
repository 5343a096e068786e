/** The shapes of an environment's flow graph (flow-graph.ts builds it, dot.ts draws it). */

/** What a node is, which decides its shape and colour. */
export type NodeKind =
  | "distribution"
  | "tier"
  | "api"
  | "backend"
  | "queue"
  | "dlq"
  | "function"
  | "external-function"
  | "table"
  | "pipe"
  | "bus"
  | "rule"
  | "state-machine";

/** A flow edge carries messages; a failure edge takes what failed; a redrive edge is the way back. */
export type EdgeKind = "flow" | "failure" | "redrive";

export interface FlowNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly label: string;
}

export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

export interface FlowGraph {
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly FlowEdge[];
}

/** The parts of a Terraform JSON the graph reads. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, any>>>>;
}

/** What an edge rule is given: the whole configuration, and a way to add nodes and edges. */
export interface GraphBuilder {
  readonly tf: TerraformJson;
  node(id: string, kind: NodeKind, label: string): void;
  edge(from: string, to: string, kind: EdgeKind, label?: string): void;
}
