/**
 * `npm run diagram`: the flow graph of each fixture environment against its own synthesized JSON (every DLQ drawn with
 * the path that fills it, every target and consumer connected, the redrive's way back), the DOT's colours, and the
 * command as a whole process (SVG written per environment, bad flags refused with nothing written).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toDot } from "../../scripts/diagram/dot";
import { flowGraph } from "../../scripts/diagram/flow-graph";
import { environmentJson } from "../helpers/synth";

const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
const ids = (json: any, type: string) => Object.keys(json.resource[type] ?? {}).map((n) => `${type}.${n}`);
const refs = (value: unknown, type: string) =>
  [...JSON.stringify(value ?? "").matchAll(new RegExp(`\\$\\{(${type}\\.[\\w-]+)\\.`, "g"))].map((m) => m[1]);

describe.each(ENVIRONMENTS)("the %s flow graph", (env) => {
  const json = environmentJson(env) as any;
  const graph = flowGraph(json);
  const node = (id: string) => graph.nodes.find((n) => n.id === id);
  const edgesTo = (id: string) => graph.edges.filter((e) => e.to === id);

  it("draws every DLQ as one, with the failure path that fills it", () => {
    const dlqs = new Set([
      ...Object.values(json.resource.aws_sqs_queue).flatMap((q: any) => refs(q.redrive_policy, "aws_sqs_queue")),
      ...Object.values(json.resource.aws_cloudwatch_event_target).flatMap((t: any) =>
        refs(t.dead_letter_config, "aws_sqs_queue"),
      ),
      ...Object.values(json.resource.aws_pipes_pipe ?? {}).flatMap((p: any) =>
        refs(p.source_parameters, "aws_sqs_queue"),
      ),
      ...Object.values(json.resource.aws_lambda_function_event_invoke_config ?? {}).flatMap((c: any) =>
        refs(c.destination_config, "aws_sqs_queue"),
      ),
    ]);
    expect(dlqs.size).toBeGreaterThan(3);
    for (const id of dlqs) {
      expect(node(id)?.kind).toBe("dlq");
      expect(edgesTo(id).some((e) => e.kind === "failure")).toBe(true);
    }
  });

  it("connects every event target to its rule, every rule to its bus, every consumer to its queue", () => {
    for (const t of Object.values<any>(json.resource.aws_cloudwatch_event_target)) {
      const [rule] = refs(t.rule, "aws_cloudwatch_event_rule");
      expect(graph.edges.some((e) => e.from === rule && e.kind === "flow")).toBe(true);
    }
    for (const rule of ids(json, "aws_cloudwatch_event_rule"))
      if (!json.resource.aws_cloudwatch_event_rule[rule.split(".")[1]].schedule_expression)
        expect(edgesTo(rule).some((e) => node(e.from)?.kind === "bus")).toBe(true);
    for (const m of Object.values<any>(json.resource.aws_lambda_event_source_mapping ?? {})) {
      const [queue] = refs(m.event_source_arn, "aws_sqs_queue");
      const [fn] = refs(m.function_name, "aws_lambda_function");
      expect(graph.edges).toContainEqual({ from: queue, to: fn, kind: "flow", label: "consumes" });
    }
  });

  it("draws the redrive's way back from every DLQ it drains", () => {
    const redrive = Object.entries<any>(json.resource.aws_lambda_function).find(
      ([, f]) => f.function_name === `${env}-redrive`,
    );
    const drained = refs(redrive![1].environment, "aws_sqs_queue");
    expect(drained.length).toBeGreaterThan(0);
    for (const q of new Set(drained))
      expect(graph.edges).toContainEqual({
        from: q,
        to: `aws_lambda_function.${redrive![0]}`,
        kind: "redrive",
        label: "redrive",
      });
  });

  it("has no edge to or from a node it does not draw", () => {
    const drawn = new Set(graph.nodes.map((n) => n.id));
    for (const e of graph.edges) expect([drawn.has(e.from), drawn.has(e.to)]).toEqual([true, true]);
  });
});

describe("the DOT of a flow graph", () => {
  const graph = flowGraph(environmentJson("staging") as any);
  const dot = toDot(graph, "staging");

  it("draws failure paths red and dashed, the way back blue, each named in the legend", () => {
    const failure = graph.edges.find((e) => e.kind === "failure")!;
    expect(dot).toContain(`"${failure.from}" -> "${failure.to}" [color="#c62828", fontcolor="#c62828", style=dashed`);
    expect(dot).toMatch(/-> "aws_lambda_function\.redrive_function_\w+" \[color="#1565c0"/);
    expect(dot).toContain('label="failure path"');
    expect(dot).toContain('label="way back (redrive)"');
  });

  it("is the same text for the same graph", () => {
    expect(toDot(flowGraph(environmentJson("staging") as any), "staging")).toBe(dot);
  });
});

describe("npm run diagram (the command as a whole process)", () => {
  const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");
  const run = (args: string[]) =>
    spawnSync(tsx, ["scripts/diagram.ts", ...args], { encoding: "utf8", timeout: 60_000 });

  it("writes one SVG per environment, every node of the graph in it", () => {
    const from = mkdtempSync(join(tmpdir(), "diagram-from-"));
    for (const env of ["staging", "staging-bootstrap"]) {
      mkdirSync(join(from, env));
      writeFileSync(join(from, env, "cdk.tf.json"), JSON.stringify(environmentJson(env)));
    }
    const out = join(from, "out");
    const result = run(["--from", from, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(readdirSync(out)).toEqual(["staging.svg"]);
    expect(result.stdout).toMatch(/staging\.svg: \d+ nodes, \d+ edges, 9 DLQs/);
    // Graphviz writes '-' and quotes as character references.
    const svg = readFileSync(join(out, "staging.svg"), "utf8").replace(/&#(\d+);/g, (_, c) =>
      String.fromCharCode(Number(c)),
    );
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toMatch(/<svg [^>]* role="img">\n<title>staging: the message's path<\/title>/);
    for (const n of flowGraph(environmentJson("staging") as any).nodes) expect(svg).toContain(`<title>${n.id}</title>`);
  });

  it.each([
    [["--form", "x"], /Unknown option '--form'/],
    [["--from", "/nonexistent/stacks"], /--from: \/nonexistent\/stacks does not exist: run npm run synth first/],
  ])("refuses %j with exit 2, writing nothing", (args, message) => {
    const out = join(mkdtempSync(join(tmpdir(), "diagram-out-")), "out");
    const result = run([...args, "--out", out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
