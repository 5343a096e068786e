/**
 * The engine's PipePort over EventBridge Pipes (AWS SDK v3): DescribePipe by name, in the region of the pipe ARN. The
 * redrive reads the pipe's own filter and template, so a replay is what the pipe would have put, even if the pipe was
 * changed since it was deployed.
 */
import type { PipesClient, PipesClientConfig } from "@aws-sdk/client-pipes";
import { parseArn } from "../engine/decide";
import type { PipeDescription, PipePort } from "./port";

export interface PipesPortOptions {
  readonly client?: Omit<PipesClientConfig, "region">;
}

let sdk: Promise<typeof import("@aws-sdk/client-pipes")> | undefined;
const loadSdk = () => (sdk ??= import("@aws-sdk/client-pipes"));

export class PipesPort implements PipePort {
  private readonly clients = new Map<string, PipesClient>();

  constructor(private readonly options: PipesPortOptions = {}) {}

  async describe(pipeArn: string): Promise<PipeDescription> {
    const arn = parseArn(pipeArn);
    if (arn?.service !== "pipes") throw new Error(`not a pipe ARN: ${pipeArn}`);
    const { PipesClient, DescribePipeCommand } = await loadSdk();
    let client = this.clients.get(arn.region);
    if (!client) {
      client = new PipesClient({ ...this.options.client, region: arn.region });
      this.clients.set(arn.region, client);
    }
    const out = await client.send(new DescribePipeCommand({ Name: arn.resource.replace(/^pipe\//, "") }));
    const bus = out.TargetParameters?.EventBridgeEventBusParameters;
    return {
      arn: out.Arn ?? pipeArn,
      source: out.Source ?? "",
      target: out.Target ?? "",
      filterPatterns: (out.SourceParameters?.FilterCriteria?.Filters ?? []).flatMap((f) =>
        f.Pattern ? [f.Pattern] : [],
      ),
      ...(out.TargetParameters?.InputTemplate !== undefined
        ? { inputTemplate: out.TargetParameters.InputTemplate }
        : {}),
      ...(bus?.DetailType !== undefined ? { detailType: bus.DetailType } : {}),
      ...(bus?.Source !== undefined ? { eventSource: bus.Source } : {}),
      ...(out.Enrichment ? { enrichment: out.Enrichment } : {}),
    };
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
  }
}
