/**
 * `npm run diagram`: draws each synthesized environment's flow (cdktf.out/stacks/<env>/cdk.tf.json) as an SVG under
 * docs/diagrams/ (docs/diagrams.md). Every picture is drawn before any file is written, so a failure writes nothing.
 *   tsx scripts/diagram.ts [--from <stacks dir>] [--out <dir>] [--env <name>]...
 * Exit codes: 0 drawn; 2 bad flags, or nothing synthesized to draw from.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { toDot } from "./diagram/dot";
import { flowGraph } from "./diagram/flow-graph";
import { renderSvg } from "./diagram/svg";

const USAGE = "usage: npm run diagram [-- --from <stacks dir>] [--out <dir>] [--env <name>]...";

class UsageError extends Error {}

function options(argv: string[]) {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        from: { type: "string", default: "cdktf.out/stacks" },
        out: { type: "string", default: "docs/diagrams" },
        env: { type: "string", multiple: true },
      },
      strict: true,
      allowPositionals: false,
    });
    return values as { from: string; out: string; env?: string[] };
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}

/** The stacks to draw: the ones named, or every stack with a flow (bootstrap stacks have none). */
function stacksToDraw(from: string, names?: string[]): string[] {
  if (!existsSync(from)) throw new UsageError(`--from: ${from} does not exist: run npm run synth first`);
  const all = readdirSync(from).filter((d) => existsSync(join(from, d, "cdk.tf.json")));
  const unknown = (names ?? []).filter((n) => !all.includes(n));
  if (unknown.length > 0)
    throw new UsageError(`--env: no synthesized stack ${unknown.join(", ")} in ${from} (there are: ${all.join(", ")})`);
  return names ?? all.filter((d) => !d.endsWith("-bootstrap"));
}

async function main(argv: string[]): Promise<void> {
  const opts = options(argv);
  const drawn: { file: string; svg: string; summary: string }[] = [];
  for (const name of stacksToDraw(opts.from, opts.env)) {
    const graph = flowGraph(JSON.parse(readFileSync(join(opts.from, name, "cdk.tf.json"), "utf8")));
    const dlqs = graph.nodes.filter((n) => n.kind === "dlq").length;
    const title = `${name}: the message's path`;
    const svg = await renderSvg(toDot(graph, title), title);
    const file = join(opts.out, `${name}.svg`);
    drawn.push({ file, svg, summary: `${graph.nodes.length} nodes, ${graph.edges.length} edges, ${dlqs} DLQs` });
  }
  mkdirSync(opts.out, { recursive: true });
  for (const d of drawn) {
    writeFileSync(`${d.file}.tmp`, d.svg);
    renameSync(`${d.file}.tmp`, d.file);
    console.log(`${relative(process.cwd(), d.file)}: ${d.summary}`);
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`diagram: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
