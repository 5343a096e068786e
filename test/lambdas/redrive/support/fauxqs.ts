/** Test support: the fauxqs SQS emulator in a child process on 127.0.0.1, plus SDK helpers for seeding and inspecting queues. */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

// The SDK warns once per process on Node 20 that future versions need Node 22; not news in tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** Region the tests run in; fauxqs names queue ARNs after the request's region. */
export const REGION = "us-east-1";
export const ACCOUNT = "000000000000";
export const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

/** A running emulator. */
export interface Emulator {
  readonly endpoint: string;
  readonly port: number;
  readonly sqs: SQSClient;
  stop(): Promise<void>;
}

const { startFauxqsProcess, stopFauxqsProcess } = require("./fauxqs-process.cjs");

/**
 * The emulator for a test file. Under jest that is the run's one server (test/helpers/global-setup.js starts it and
 * names it in FAUXQS_SHARED_ENDPOINT): a server per file cost half a second of CPU each, nineteen times. Files share
 * it safely because every queue they make is named by uniqueName (unique across files) and nothing stops it but the
 * run's teardown. `own: true`, or no shared server (a benchmark, a script), starts a server of the caller's own.
 */
export async function startEmulator({ own = false }: { own?: boolean } = {}): Promise<Emulator> {
  const shared = process.env.FAUXQS_SHARED_ENDPOINT;
  if (shared && !own) return connect(shared, async () => undefined);
  const server = await startFauxqsProcess();
  return connect(server.endpoint, () => stopFauxqsProcess(server.child));
}

function connect(endpoint: string, stopServer: () => Promise<void>): Emulator {
  const sqs = new SQSClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    sqs,
    stop: async () => {
      sqs.destroy();
      await stopServer();
    },
  };
}

/** Environment for a child process (CLI, built bundle) pointed at the emulator the standard AWS way. */
export function awsEnv(endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    // The run's compile cache (test/helpers/global-setup.js): each CLI or bundle started here compiles from it.
    ...(process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE } : {}),
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_SQS: endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_EC2_METADATA_DISABLED: "true",
    // No CloudWatch here: the CLI's metrics are tested with a stub (cli-metrics.test.ts).
    RESILIENT_EDGE_METRICS: "off",
    ...extra,
  };
}

let counter = 0;
/**
 * When this module was loaded (base 36 milliseconds): the files one jest worker runs share its pid and the run's
 * shared emulator, and the counter starts again in each file; the files of one worker load one after another.
 */
const LOADED = Date.now().toString(36);
/** A queue name unique within the test run (across files and workers too), at most 80 characters as SQS allows. */
export function uniqueName(stem: string, fifo = false): string {
  counter++;
  const name = `${stem}-${process.pid}-${LOADED}-${counter}${fifo ? ".fifo" : ""}`;
  if (name.length > 80) throw new Error(`uniqueName: ${name} is longer than SQS's 80 characters; use a shorter stem`);
  return name;
}

/** Creates a queue; returns its URL and ARN. */
export async function createQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string> = {},
): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** A message to seed a DLQ with. */
export interface Seed {
  readonly body: string;
  readonly attributes?: Record<string, MessageAttributeValue>;
  readonly groupId?: string;
  readonly dedupId?: string;
}

/** The six attributes EventBridge puts on a target-DLQ message. */
export function eventBridgeAttributes(a: {
  ruleArn: string;
  targetArn: string;
  errorCode?: string;
  errorMessage?: string;
  exhausted?: string;
  attempts?: number;
}): Record<string, MessageAttributeValue> {
  return {
    RULE_ARN: { DataType: "String", StringValue: a.ruleArn },
    TARGET_ARN: { DataType: "String", StringValue: a.targetArn },
    ERROR_CODE: { DataType: "String", StringValue: a.errorCode ?? "ERROR_FROM_TARGET" },
    ERROR_MESSAGE: { DataType: "String", StringValue: a.errorMessage ?? "target returned 500" },
    EXHAUSTED_RETRY_CONDITION: { DataType: "String", StringValue: a.exhausted ?? "MaximumRetryAttempts" },
    RETRY_ATTEMPTS: { DataType: "Number", StringValue: String(a.attempts ?? 185) },
  };
}

/** Sends seeds in batches of 10 (10 batches in flight at a time). */
export async function seed(sqs: SQSClient, queueUrl: string, seeds: readonly Seed[]): Promise<void> {
  const batches: Seed[][] = [];
  for (let i = 0; i < seeds.length; i += 10) batches.push(seeds.slice(i, i + 10));
  for (let i = 0; i < batches.length; i += 10) {
    await Promise.all(
      batches.slice(i, i + 10).map(async (batch) => {
        const out = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((s, j) => ({
              Id: String(j),
              MessageBody: s.body,
              MessageAttributes: s.attributes,
              MessageGroupId: s.groupId,
              MessageDeduplicationId: s.dedupId,
            })),
          }),
        );
        if (out.Failed?.length) throw new Error(`seed failed: ${JSON.stringify(out.Failed)}`);
      }),
    );
  }
}

/** Receives and deletes every visible message, until a receive comes back empty. */
export async function drain(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const out: Message[] = [];
  const hideSeconds = 300;
  for (;;) {
    const batches = await Promise.all(
      Array.from({ length: 4 }, () =>
        sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: hideSeconds,
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        ),
      ),
    );
    const got = batches.flatMap((b) => b.Messages ?? []);
    if (got.length === 0) return out;
    out.push(...got);
    for (let i = 0; i < got.length; i += 10) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: got.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
  }
}

/** Receives one batch of visible messages without hiding them. */
export async function peek(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      WaitTimeSeconds: 0,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
  );
  return out.Messages ?? [];
}

/** Visible and in-flight message counts of a queue. */
export async function counts(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(Attributes!.ApproximateNumberOfMessages),
    inFlight: Number(Attributes!.ApproximateNumberOfMessagesNotVisible),
  };
}

/**
 * Polls until no message of the queue is in flight (their visibility timeouts ended). fauxqs
 * returns expired in-flight messages to the queue only when it serves a receive, so each poll
 * first makes a receive that hides nothing (VisibilityTimeout 0); the message that receive took
 * (at most one, already expired) is still counted in flight until the next receive.
 */
export async function untilNoneInFlight(sqs: SQSClient, queueUrl: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 1,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
      }),
    );
    if ((await counts(sqs, queueUrl)).inFlight <= (probe.Messages?.length ?? 0)) return;
    if (Date.now() > deadline) throw new Error(`messages still in flight in ${queueUrl}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The redrive-context attribute of a received message, parsed. */
export function contextOf(m: Message): Record<string, any> {
  const raw = m.MessageAttributes?.["redrive-context"]?.StringValue;
  if (!raw) throw new Error(`message ${m.MessageId} has no redrive-context`);
  return JSON.parse(raw);
}
