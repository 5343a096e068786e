/**
 * Test support: an in-memory QueuePort with SQS's visibility semantics, plus FunctionPort and
 * EventBusPort that record asynchronous invokes and put events, with hooks to inject faults.
 */
import type { AttributeValue, BusEntry, DlqMessage, ReplayEntry } from "../../../../lambdas/redrive/engine/model";
import type {
  BatchFailure,
  BatchResult,
  EventBusPort,
  FunctionPort,
  QueueDescription,
  QueuePort,
} from "../../../../lambdas/redrive/ports/port";

export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly messageAttributes: Record<string, AttributeValue>;
  receiptHandle?: string;
  visibleAt: number;
  receiveCount: number;
}

interface MemoryQueue {
  readonly url: string;
  readonly arn: string;
  readonly fifo: boolean;
  readonly maxMessageSize: number;
  readonly messages: StoredMessage[];
}

/** A call the port saw, for assertions. */
export type Call = {
  op: "receive" | "send" | "delete" | "changeVisibility" | "describe" | "queueUrl" | "invoke" | "putEvents";
  queueUrl: string;
  detail?: unknown;
};

/** An asynchronous invoke the port accepted. */
export interface Invocation {
  readonly functionArn: string;
  /** The payload as UTF-8 text. */
  readonly payload: string;
  readonly bytes: Uint8Array;
}

export class MemoryPort implements QueuePort, FunctionPort, EventBusPort {
  /** Asynchronous invokes accepted (status 202), in order. */
  readonly invocations: Invocation[] = [];
  /** Events accepted by PutEvents, by bus ARN. */
  readonly events = new Map<string, BusEntry[]>();
  /** Decides per invoke: an error to throw, a status code other than 202 to answer, or undefined to accept it. */
  invokeFault?: (payload: string, attempt: number) => Error | number | undefined;
  /** Decides per PutEvents entry: a failure to report (the event is then not stored), or undefined to accept it. */
  putFault?: (entry: BusEntry, attempt: number) => Omit<BatchFailure, "id"> | undefined;
  private readonly invokeAttempts = new Map<string, number>();
  private readonly putAttempts = new Map<string, number>();
  readonly queues = new Map<string, MemoryQueue>();
  readonly calls: Call[] = [];
  /** Decides per send entry: a failure to report (the entry is then not stored), or undefined to accept it. */
  sendFault?: (entry: ReplayEntry, attempt: number) => Omit<BatchFailure, "id"> | undefined;
  /** Leaves an entry out of the response altogether (neither successful nor failed); it is not stored. */
  sendOmit?: (entry: ReplayEntry, attempt: number) => boolean;
  /** Throws for a whole call when it returns an error. */
  callFault?: (call: Call) => Error | undefined;
  /** Decides per delete entry whether it fails. */
  deleteFault?: (messageId: string) => boolean;
  /** Decides per change-visibility entry whether it fails, and how (default: it succeeds). */
  visibilityFault?: (messageId: string, attempt: number) => Omit<BatchFailure, "id"> | undefined;
  private readonly visibilityAttempts = new Map<string, number>();
  /** Delay (ms) of each send call. */
  sendDelayMs = 0;
  private seq = 0;
  private readonly sendAttempts = new Map<string, number>();

  addQueue(name: string, options: { fifo?: boolean; maxMessageSize?: number } = {}): { url: string; arn: string } {
    const url = `https://sqs.eu-west-1.amazonaws.com/111111111111/${name}`;
    const arn = `arn:aws:sqs:eu-west-1:111111111111:${name}`;
    this.queues.set(url, {
      url,
      arn,
      fifo: options.fifo ?? name.endsWith(".fifo"),
      maxMessageSize: options.maxMessageSize ?? 262_144,
      messages: [],
    });
    return { url, arn };
  }

  put(
    url: string,
    body: string,
    messageAttributes: Record<string, AttributeValue> = {},
    attributes: Record<string, string> = {},
  ): string {
    const messageId = `m-${++this.seq}`;
    this.queue(url).messages.push({
      messageId,
      body,
      messageAttributes,
      attributes: { SentTimestamp: "1700000000000", ...attributes },
      visibleAt: 0,
      receiveCount: 0,
    });
    return messageId;
  }

  messages(url: string): StoredMessage[] {
    return this.queue(url).messages;
  }

  private queue(url: string): MemoryQueue {
    const q = this.queues.get(url);
    if (!q) throw Object.assign(new Error(`no queue ${url}`), { name: "QueueDoesNotExist", $fault: "client" });
    return q;
  }

  private enter(call: Call): void {
    this.calls.push(call);
    const err = this.callFault?.(call);
    if (err) throw err;
  }

  async receive(queueUrl: string, max: number, visibilityTimeout: number, _waitTimeSeconds = 0): Promise<DlqMessage[]> {
    this.enter({ op: "receive", queueUrl });
    const now = Date.now();
    const out: DlqMessage[] = [];
    for (const m of this.queue(queueUrl).messages) {
      if (out.length >= max) break;
      if (m.visibleAt > now) continue;
      m.visibleAt = now + visibilityTimeout * 1000;
      m.receiveCount++;
      m.receiptHandle = `${m.messageId}#${m.receiveCount}`;
      out.push({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: { ...m.attributes },
        messageAttributes: { ...m.messageAttributes },
      });
    }
    return out;
  }

  async send(queueUrl: string, entries: readonly { id: string; entry: ReplayEntry }[]): Promise<BatchResult> {
    this.enter({ op: "send", queueUrl, detail: entries.length });
    if (this.sendDelayMs > 0) await new Promise((r) => setTimeout(r, this.sendDelayMs));
    const q = this.queue(queueUrl);
    // SQS refuses a whole batch whose messages add up to more than the service's maximum message size.
    const total = entries.reduce((sum, { entry }) => sum + sqsSize(entry.body, entry.messageAttributes), 0);
    if (entries.length > 1 && total > Math.max(262_144, q.maxMessageSize)) {
      throw Object.assign(
        new Error(`Batch requests cannot be longer than ${Math.max(262_144, q.maxMessageSize)} bytes (got ${total})`),
        { name: "BatchRequestTooLong", $fault: "client" },
      );
    }
    const ok: string[] = [];
    const failed: BatchFailure[] = [];
    for (const { id, entry } of entries) {
      const key = entry.body;
      const attempt = (this.sendAttempts.get(key) ?? 0) + 1;
      this.sendAttempts.set(key, attempt);
      if (this.sendOmit?.(entry, attempt)) continue;
      const fault = this.sendFault?.(entry, attempt);
      if (fault) {
        failed.push({ id, ...fault });
        continue;
      }
      const attributes: Record<string, string> = { SentTimestamp: String(Date.now()) };
      if (entry.messageGroupId) attributes.MessageGroupId = entry.messageGroupId;
      if (entry.messageDeduplicationId) attributes.MessageDeduplicationId = entry.messageDeduplicationId;
      q.messages.push({
        messageId: `m-${++this.seq}`,
        body: entry.body,
        messageAttributes: entry.messageAttributes,
        attributes,
        visibleAt: 0,
        receiveCount: 0,
      });
      ok.push(id);
    }
    return { ok, failed };
  }

  async delete(queueUrl: string, entries: readonly { id: string; receiptHandle: string }[]): Promise<BatchResult> {
    this.enter({ op: "delete", queueUrl, detail: entries.length });
    const q = this.queue(queueUrl);
    const ok: string[] = [];
    const failed: BatchFailure[] = [];
    for (const e of entries) {
      const i = q.messages.findIndex((m) => m.receiptHandle === e.receiptHandle);
      if (i < 0 || this.deleteFault?.(q.messages[i].messageId)) {
        failed.push({ id: e.id, code: "ReceiptHandleIsInvalid", message: "no such receipt handle", senderFault: true });
        continue;
      }
      q.messages.splice(i, 1);
      ok.push(e.id);
    }
    return { ok, failed };
  }

  async changeVisibility(
    queueUrl: string,
    entries: readonly { id: string; receiptHandle: string; seconds: number }[],
  ): Promise<BatchResult> {
    this.enter({ op: "changeVisibility", queueUrl, detail: entries.map((e) => e.seconds) });
    const q = this.queue(queueUrl);
    const ok: string[] = [];
    const failed: BatchFailure[] = [];
    for (const e of entries) {
      const m = q.messages.find((x) => x.receiptHandle === e.receiptHandle);
      if (!m) {
        failed.push({ id: e.id, code: "ReceiptHandleIsInvalid", message: "gone", senderFault: true });
        continue;
      }
      const attempt = (this.visibilityAttempts.get(m.messageId) ?? 0) + 1;
      this.visibilityAttempts.set(m.messageId, attempt);
      const fault = this.visibilityFault?.(m.messageId, attempt);
      if (fault) {
        failed.push({ id: e.id, ...fault });
        continue;
      }
      m.visibleAt = Date.now() + e.seconds * 1000;
      ok.push(e.id);
    }
    return { ok, failed };
  }

  async describe(queueUrl: string): Promise<QueueDescription> {
    this.enter({ op: "describe", queueUrl });
    const q = this.queue(queueUrl);
    // As SQS counts them: ApproximateNumberOfMessages is the visible messages, not those in flight.
    const now = Date.now();
    return {
      queueArn: q.arn,
      fifo: q.fifo,
      maxMessageSize: q.maxMessageSize,
      approximateMessages: q.messages.filter((m) => m.visibleAt <= now).length,
      approximateDelayed: 0,
    };
  }

  async queueUrl(name: string, account: string, region: string): Promise<string> {
    this.enter({ op: "queueUrl", queueUrl: name, detail: { account, region } });
    for (const q of this.queues.values()) if (q.arn === `arn:aws:sqs:${region}:${account}:${name}`) return q.url;
    throw Object.assign(new Error("The specified queue does not exist."), {
      name: "QueueDoesNotExist",
      $fault: "client",
    });
  }
  async invokeAsync(functionArn: string, payload: Uint8Array): Promise<number> {
    this.enter({ op: "invoke", queueUrl: functionArn, detail: payload.byteLength });
    const text = Buffer.from(payload).toString("utf8");
    const attempt = (this.invokeAttempts.get(text) ?? 0) + 1;
    this.invokeAttempts.set(text, attempt);
    const fault = this.invokeFault?.(text, attempt);
    if (fault instanceof Error) throw fault;
    if (typeof fault === "number") return fault;
    this.invocations.push({ functionArn, payload: text, bytes: Uint8Array.from(payload) });
    return 202;
  }

  async putEvents(busArn: string, entries: readonly { id: string; entry: BusEntry }[]): Promise<BatchResult> {
    this.enter({ op: "putEvents", queueUrl: busArn, detail: entries.length });
    if (entries.length > 10)
      throw Object.assign(new Error("at most 10 entries"), { name: "ValidationException", $fault: "client" });
    const ok: string[] = [];
    const failed: BatchFailure[] = [];
    for (const { id, entry } of entries) {
      const key = entry.detail;
      const attempt = (this.putAttempts.get(key) ?? 0) + 1;
      this.putAttempts.set(key, attempt);
      const fault = this.putFault?.(entry, attempt);
      if (fault) {
        failed.push({ id, ...fault });
        continue;
      }
      const list = this.events.get(busArn) ?? [];
      list.push(entry);
      this.events.set(busArn, list);
      ok.push(id);
    }
    return { ok, failed };
  }
}

/** Attributes EventBridge sets on a target-DLQ message. */
export function ebAttributes(
  targetArn: string,
  errorCode = "ERROR_FROM_TARGET",
  ruleArn = "arn:aws:events:eu-west-1:111111111111:rule/orders/placed",
): Record<string, AttributeValue> {
  return {
    RULE_ARN: { DataType: "String", StringValue: ruleArn },
    TARGET_ARN: { DataType: "String", StringValue: targetArn },
    ERROR_CODE: { DataType: "String", StringValue: errorCode },
    ERROR_MESSAGE: { DataType: "String", StringValue: "boom" },
    EXHAUSTED_RETRY_CONDITION: { DataType: "String", StringValue: "MaximumRetryAttempts" },
    RETRY_ATTEMPTS: { DataType: "Number", StringValue: "3" },
  };
}

/** Size SQS counts for a message, written out independently of the engine: body plus each attribute's name, type and value, in UTF-8 bytes. */
export function sqsSize(body: string, attributes: Record<string, AttributeValue>): number {
  let n = Buffer.byteLength(body);
  for (const [name, a] of Object.entries(attributes))
    n +=
      Buffer.byteLength(name) +
      Buffer.byteLength(a.DataType) +
      (a.StringValue !== undefined ? Buffer.byteLength(a.StringValue) : 0) +
      (a.BinaryValue?.byteLength ?? 0);
  return n;
}
