/**
 * An outbox pipe as a replay destination: DescribePipe, then checked to be one the redrive can replay exactly (a
 * DynamoDB stream source, an event bus target, a JSON template of placeholders, filters of supported operators, no
 * enrichment). Anything else is an error naming the pipe and what is off: its failures stay in the DLQ.
 */
import { unsupportedPatternPart } from "../../../modules/shared/contract/event-pattern";
import { parseInputTemplate } from "../../../modules/shared/contract/outbox-template";
import type { OutboxDestination } from "../engine/model";
import type { PipeDescription, PipePort } from "../ports/port";

const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._/-]{1,256}$/;

/** The pipe's destination, or throws why its failures cannot be replayed. */
export async function pipeDestination(pipes: PipePort, pipeArn: string): Promise<OutboxDestination> {
  const p = await pipes.describe(pipeArn);
  const problem = (what: string) => new Error(`pipe ${pipeArn} cannot be replayed from its stream: ${what}`);
  if (p.enrichment) throw problem(`it has an enrichment (${p.enrichment}) the redrive cannot run as the pipe does`);
  if (!BUS_ARN.test(p.target)) throw problem(`its target ${p.target} is not an event bus`);
  if (!p.detailType || !p.eventSource) throw problem("it sets no detail-type or source for its events");
  const template = p.inputTemplate === undefined ? undefined : parseInputTemplate(p.inputTemplate);
  if (!template) throw problem("its input template is not a JSON object of <$.path> placeholders");
  return {
    kind: "outbox-pipe",
    pipeArn,
    streamArn: p.source,
    busArn: p.target,
    patterns: patternsOf(p, problem),
    template,
    detailType: p.detailType,
    source: p.eventSource,
    replayed: new Set(),
  };
}

function patternsOf(p: PipeDescription, problem: (what: string) => Error): Record<string, unknown>[] {
  return p.filterPatterns.map((text, i) => {
    let pattern: unknown;
    try {
      pattern = JSON.parse(text);
    } catch {
      throw problem(`filter ${i + 1} is not JSON`);
    }
    const unsupported = unsupportedPatternPart(pattern);
    if (unsupported) throw problem(`filter ${i + 1}: ${unsupported}, which the redrive does not evaluate`);
    return pattern as Record<string, unknown>;
  });
}
