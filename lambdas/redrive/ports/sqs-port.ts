/** The engine's QueuePort over Amazon SQS (AWS SDK v3). Region, credentials and endpoint come from the standard AWS environment unless given. */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type SQSClientConfig,
} from "@aws-sdk/client-sqs";
import type { AttributeValue, DlqMessage } from "../engine/model";
import type { BatchResult, QueueDescription, QueuePort } from "./port";

/** Options of the SQS port. */
export interface SqsPortOptions {
  /** Client configuration (region, endpoint, credentials, ...); default: the standard AWS environment. */
  readonly client?: SQSClientConfig;
}

/**
 * Connections per client. The SDK's default of 50 would queue calls once a run has more than about
 * 24 lanes (each keeps a receive and a send or delete in flight, and visibility changes come on top).
 */
const SOCKETS = {
  requestHandler: { httpAgent: { keepAlive: true, maxSockets: 256 }, httpsAgent: { keepAlive: true, maxSockets: 256 } },
} as const;

export class SqsPort implements QueuePort {
  private readonly clients = new Map<string, SQSClient>();
  private readonly base: SQSClient;
  private readonly byUrl = new Map<string, SQSClient>();

  constructor(private readonly options: SqsPortOptions = {}) {
    this.base = new SQSClient({ ...SOCKETS, ...options.client });
  }

  /**
   * The client for a queue URL: with an explicit endpoint (an emulator) always the base client;
   * otherwise the client of the region the URL names, so a queue in another region is signed for
   * its own region (the SDK sends each call to the queue URL's host).
   */
  private async clientForUrl(queueUrl: string): Promise<SQSClient> {
    if (this.options.client?.endpoint) return this.base;
    let client = this.byUrl.get(queueUrl);
    if (!client) {
      client = await this.clientFor(regionOfQueueUrl(queueUrl));
      this.byUrl.set(queueUrl, client);
    }
    return client;
  }

  /** The client for a region (the base client's region, or another for a queue ARN elsewhere). */
  private async clientFor(region?: string): Promise<SQSClient> {
    if (!region) return this.base;
    const baseRegion = await this.base.config.region();
    if (region === baseRegion) return this.base;
    let client = this.clients.get(region);
    if (!client) {
      client = new SQSClient({ ...SOCKETS, ...this.options.client, region });
      this.clients.set(region, client);
    }
    return client;
  }

  async receive(
    queueUrl: string,
    max: number,
    visibilityTimeout: number,
    waitTimeSeconds: number,
  ): Promise<DlqMessage[]> {
    const out = await (await this.clientForUrl(queueUrl)).send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        VisibilityTimeout: visibilityTimeout,
        WaitTimeSeconds: waitTimeSeconds,
        // Only what the engine reads: when the message was dead-lettered, and its FIFO group.
        MessageSystemAttributeNames: ["SentTimestamp", "MessageGroupId"],
        MessageAttributeNames: ["All"],
      }),
    );
    return (out.Messages ?? []).map((m) => ({
      messageId: m.MessageId ?? "",
      receiptHandle: m.ReceiptHandle ?? "",
      body: m.Body ?? "",
      // The SDK's object is this message's alone: no copy.
      attributes: (m.Attributes as Record<string, string> | undefined) ?? {},
      messageAttributes: fromSdk(m.MessageAttributes),
    }));
  }

  async send(queueUrl: string, entries: Parameters<QueuePort["send"]>[1]): Promise<BatchResult> {
    const client = await this.clientForUrl(queueUrl);
    const out = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.map(({ id, entry }) => ({
          Id: id,
          MessageBody: entry.body,
          MessageAttributes: entry.messageAttributes as Record<string, MessageAttributeValue>,
          MessageGroupId: entry.messageGroupId,
          MessageDeduplicationId: entry.messageDeduplicationId,
        })),
      }),
    );
    return batchResult(out);
  }

  async delete(queueUrl: string, entries: Parameters<QueuePort["delete"]>[1]): Promise<BatchResult> {
    const out = await (await this.clientForUrl(queueUrl)).send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.map((e) => ({ Id: e.id, ReceiptHandle: e.receiptHandle })),
      }),
    );
    return batchResult(out);
  }

  async changeVisibility(
    queueUrl: string,
    entries: Parameters<QueuePort["changeVisibility"]>[1],
  ): Promise<BatchResult> {
    const out = await (await this.clientForUrl(queueUrl)).send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.map((e) => ({ Id: e.id, ReceiptHandle: e.receiptHandle, VisibilityTimeout: e.seconds })),
      }),
    );
    return batchResult(out);
  }

  /** The queues whose redrive policy names this queue as their DLQ (ListDeadLetterSourceQueues), every page. */
  async deadLetterSources(queueUrl: string): Promise<string[]> {
    const client = await this.clientForUrl(queueUrl);
    const out: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(
        new ListDeadLetterSourceQueuesCommand({ QueueUrl: queueUrl, NextToken, MaxResults: 1000 }),
      );
      out.push(...(page.queueUrls ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }

  async describe(queueUrl: string): Promise<QueueDescription> {
    const client = await this.clientForUrl(queueUrl);
    const out = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          "QueueArn",
          "FifoQueue",
          "MaximumMessageSize",
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesDelayed",
        ],
      }),
    );
    const a = out.Attributes ?? {};
    return {
      queueArn: a.QueueArn ?? "",
      fifo: a.FifoQueue === "true" || queueUrl.endsWith(".fifo"),
      maxMessageSize: Number(a.MaximumMessageSize ?? 262_144),
      approximateMessages:
        a.ApproximateNumberOfMessages === undefined ? undefined : Number(a.ApproximateNumberOfMessages),
      approximateDelayed:
        a.ApproximateNumberOfMessagesDelayed === undefined ? undefined : Number(a.ApproximateNumberOfMessagesDelayed),
    };
  }

  async queueUrl(name: string, account: string, region: string): Promise<string> {
    const client = await this.clientFor(region);
    const out = await client.send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account || undefined }),
    );
    if (!out.QueueUrl) throw new Error(`GetQueueUrl returned no URL for ${name}`);
    return out.QueueUrl;
  }

  /** URLs of the queues whose name starts with `prefix` (ListQueues, every page). */
  async listQueueUrls(prefix: string): Promise<string[]> {
    const urls: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.base.send(
        new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken: token }),
      );
      urls.push(...(out.QueueUrls ?? []));
      token = out.NextToken;
    } while (token);
    return urls;
  }

  /** Attributes of a queue by name (GetQueueAttributes). */
  async attributes(queueUrl: string, names: readonly string[]): Promise<Record<string, string>> {
    const out = await (await this.clientForUrl(queueUrl)).send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] as never }),
    );
    return { ...out.Attributes };
  }

  /**
   * SentTimestamps of up to 10 visible messages, without hiding them (visibility timeout 0). SQS
   * returns a sample of a standard queue, so the oldest of it is an estimate; each peek counts as a
   * receive of those messages.
   */
  async peekSentTimestamps(queueUrl: string): Promise<number[]> {
    const out = await (await this.clientForUrl(queueUrl)).send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ["SentTimestamp"],
      }),
    );
    return (out.Messages ?? [])
      .map((m) => Number(m.Attributes?.SentTimestamp))
      .filter((t) => Number.isFinite(t) && t > 0);
  }

  /** Closes the clients' connections. */
  destroy(): void {
    this.base.destroy();
    for (const c of this.clients.values()) c.destroy();
  }
}

/** Region of an SQS queue URL such as https://sqs.eu-west-1.amazonaws.com/..., if it names one. */
export function regionOfQueueUrl(url: string): string | undefined {
  return (
    /^https?:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\//.exec(url)?.[1] ??
    /^https?:\/\/([a-z0-9-]+)\.queue\.amazonaws\.com(\.cn)?\//.exec(url)?.[1]
  );
}

function fromSdk(attrs: Record<string, MessageAttributeValue> | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, v] of Object.entries(attrs ?? {})) {
    out[name] = {
      DataType: v.DataType ?? "String",
      ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { BinaryValue: v.BinaryValue } : {}),
    };
  }
  return out;
}

function batchResult(out: {
  Successful?: { Id?: string }[];
  Failed?: { Id?: string; Code?: string; Message?: string; SenderFault?: boolean }[];
}): BatchResult {
  return {
    ok: (out.Successful ?? []).map((s) => s.Id ?? ""),
    failed: (out.Failed ?? []).map((f) => ({
      id: f.Id ?? "",
      code: f.Code ?? "Unknown",
      message: f.Message ?? "",
      senderFault: f.SenderFault ?? false,
    })),
  };
}
