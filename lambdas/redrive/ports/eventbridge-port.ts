/**
 * The engine's EventBusPort over Amazon EventBridge (AWS SDK v3): PutEvents with the bus ARN as
 * EventBusName (so a bus in another account works). One client per region (the region of each bus
 * ARN), created on first use; credentials and endpoint come from the standard AWS environment
 * (including AWS_ENDPOINT_URL_EVENTBRIDGE) unless given.
 */
import type { EventBridgeClient, EventBridgeClientConfig } from "@aws-sdk/client-eventbridge";
import { parseArn } from "../engine/decide";
import type { BatchFailure, BatchResult, EventBusPort } from "./port";

/** Options of the EventBridge port. */
export interface EventBridgePortOptions {
  /** Client configuration (endpoint, credentials, ...); the region always comes from the bus ARN. Default: the standard AWS environment. */
  readonly client?: Omit<EventBridgeClientConfig, "region">;
}

/** Per-entry PutEvents error codes worth trying again (the service's side); any other is the request's fault. */
const RETRYABLE_ENTRY_ERROR = /Internal|Throttl|Unavailable|Timeout/i;

/** The SDK module, loaded on first use: a run (or a Lambda container) without such targets never evaluates it. */
let sdk: Promise<typeof import("@aws-sdk/client-eventbridge")> | undefined;
const loadSdk = () => (sdk ??= import("@aws-sdk/client-eventbridge"));

export class EventBridgePort implements EventBusPort {
  private readonly clients = new Map<string, EventBridgeClient>();

  constructor(private readonly options: EventBridgePortOptions = {}) {}

  private async clientFor(busArn: string): Promise<EventBridgeClient> {
    const region = parseArn(busArn)?.region;
    if (!region) throw new Error(`not an event bus ARN with a region: ${busArn}`);
    let client = this.clients.get(region);
    if (!client) {
      const { EventBridgeClient } = await loadSdk();
      // Another call may have made it while the module loaded.
      client = this.clients.get(region) ?? new EventBridgeClient({ ...this.options.client, region });
      this.clients.set(region, client);
    }
    return client;
  }

  async putEvents(busArn: string, entries: Parameters<EventBusPort["putEvents"]>[1]): Promise<BatchResult> {
    const client = await this.clientFor(busArn);
    const { PutEventsCommand } = await loadSdk();
    const out = await client.send(
      new PutEventsCommand({
        Entries: entries.map(({ entry }) => ({
          EventBusName: busArn,
          Source: entry.source,
          DetailType: entry.detailType,
          Detail: entry.detail,
          Resources: [...entry.resources],
          ...(entry.time ? { Time: entry.time } : {}),
        })),
      }),
    );
    // Response entries match request entries by position. One with an ErrorCode failed; one with an
    // EventId was accepted; a missing one is neither (the engine tries it again).
    const ok: string[] = [];
    const failed: BatchFailure[] = [];
    const results = out.Entries ?? [];
    entries.forEach(({ id }, i) => {
      const r = results[i];
      if (!r) return;
      if (r.ErrorCode)
        failed.push({
          id,
          code: r.ErrorCode,
          message: r.ErrorMessage ?? "",
          senderFault: !RETRYABLE_ENTRY_ERROR.test(r.ErrorCode),
        });
      else if (r.EventId) ok.push(id);
    });
    return { ok, failed };
  }

  /** Closes the clients' connections. */
  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
  }
}
