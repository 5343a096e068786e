/**
 * The consumer runtime for product teams: wraps one business function into an SQS-triggered Lambda
 * handler that reports partial batch failures (Powertools batch: BatchProcessor, EventType.SQS,
 * processPartialResponse) and runs the business function once per idempotency key (Powertools
 * idempotency: makeIdempotent with DynamoDBPersistenceLayer). The key is the client's
 * `Idempotency-Key` scoped by caller and route (idempotency-scope.ts), else the id the message had
 * when it was first dead-lettered (a redriven copy keeps its key), else its message id. A key reused
 * with another body fails the record (payload validation on the body); a result that cannot be stored
 * is replaced by a marker (storable-result.ts); DynamoDB calls end by the invocation's deadline
 * (deadline-client.ts).
 * @module @acme/resilient-edge/consumer-runtime
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { deadlineDynamoDbClient, InvocationDeadline } from "./deadline-client";
import { readConsumerEnvironment } from "./environment";
import { scopedIdempotencyKey } from "./idempotency-scope";
import { MESSAGE_ATTRIBUTES, REDRIVE_CONTEXT_ATTRIBUTE } from "../../modules/shared/contract/message-attributes";
import { storableResult } from "./storable-result";

export {
  MESSAGE_KEYS_ATTRIBUTE,
  type StateItem,
  StateWriter,
  type StateWriterOptions,
  type WritingMessage,
  type WriteResult,
} from "./state-writer";

/** An SQS message attribute as Lambda delivers it. */
export interface SqsRecordAttribute {
  readonly stringValue?: string;
  readonly binaryValue?: string;
  readonly dataType: string;
}

/** One record of an SQS event (the fields the runtime reads). */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string | undefined>>;
  readonly messageAttributes: Readonly<Record<string, SqsRecordAttribute>>;
  readonly eventSource: string;
  readonly eventSourceARN: string;
  readonly awsRegion: string;
  readonly md5OfBody?: string;
}

/** The event an SQS event source mapping invokes the function with. */
export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}

/** What the handler returns: the records to retry (ReportBatchItemFailures). */
export interface SqsBatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/** The part of the Lambda context the runtime uses. */
export interface LambdaContextLike {
  readonly functionName?: string;
  readonly awsRequestId?: string;
  getRemainingTimeInMillis(): number;
}

/** One message, as the business function sees it. */
export interface ConsumerMessage {
  readonly messageId: string;
  /** The body exactly as the client sent it. */
  readonly body: string;
  /**
   * The key the business function runs once for: `["<apiKeyId>","<route>","<client key>"]` (JSON) when the
   * client sent an `Idempotency-Key`, so two callers (or two routes) reusing one key never silence each
   * other; else the message id (the original one for a redriven copy). Pass it on to downstream services.
   */
  readonly idempotencyKey: string;
  /** The client's own `Idempotency-Key` header, when it sent one. */
  readonly clientIdempotencyKey?: string;
  /** API Gateway's request id, API key id and route, when the message came from an async route. */
  readonly requestId?: string;
  readonly apiKeyId?: string;
  readonly route?: string;
  /** The redrive's context (error, counts, original id) when the message was redriven from the DLQ. */
  readonly redriveContext?: Readonly<Record<string, unknown>>;
  /** How often SQS has delivered this message (1 on the first delivery). */
  readonly receiveCount: number;
  /** The raw record. */
  readonly record: SqsRecord;
}

/** The business step: throw to have the record retried (and, after maxReceiveCount, dead-lettered). */
export type ProcessMessage<R> = (message: ConsumerMessage) => Promise<R>;

/** Options of createConsumer. */
export interface ConsumerOptions {
  /** Idempotency table name; default CONSUMER_IDEMPOTENCY_TABLE (set by the QueueConsumer module). */
  readonly tableName?: string;
  /** Seconds a result is remembered; default CONSUMER_IDEMPOTENCY_TTL_SECONDS, else 86400. */
  readonly expiresAfterSeconds?: number;
  /** DynamoDB client; default one from the standard AWS environment (AWS_ENDPOINT_URL_DYNAMODB honoured) whose calls end by the invocation's deadline. */
  readonly dynamoDbClient?: DynamoDBClient;
}

/** The message as the business function sees it. */
export function toConsumerMessage(record: SqsRecord): ConsumerMessage {
  const attr = (name: string) => record.messageAttributes?.[name]?.stringValue;
  let redriveContext: Record<string, unknown> | undefined;
  try {
    const raw = attr(REDRIVE_CONTEXT_ATTRIBUTE);
    redriveContext = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    redriveContext = undefined;
  }
  const original = typeof redriveContext?.originalMessageId === "string" ? redriveContext.originalMessageId : undefined;
  const clientKey = attr(MESSAGE_ATTRIBUTES.idempotencyKey) || undefined;
  const apiKeyId = attr(MESSAGE_ATTRIBUTES.apiKeyId);
  const route = attr(MESSAGE_ATTRIBUTES.route);
  return {
    messageId: record.messageId,
    body: record.body,
    idempotencyKey: scopedIdempotencyKey({
      clientKey,
      apiKeyId,
      route,
      originalMessageId: original,
      messageId: record.messageId,
    }),
    clientIdempotencyKey: clientKey,
    requestId: attr(MESSAGE_ATTRIBUTES.requestId),
    apiKeyId,
    route,
    redriveContext,
    receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
    record,
  };
}

/**
 * A Lambda handler for an SQS event source with ReportBatchItemFailures: each record runs
 * `process` at most once per idempotency key (a duplicate with the same body gets the saved result;
 * one with another body fails), a record whose `process` throws is reported failed and retried alone,
 * and a record whose key is still being processed elsewhere is reported failed and retried later.
 */
export function createConsumer<R>(
  process: ProcessMessage<R>,
  options: ConsumerOptions = {},
): (event: SqsEvent, context: LambdaContextLike) => Promise<SqsBatchResponse> {
  const env = options.tableName === undefined ? readConsumerEnvironment(globalThis.process.env) : undefined;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "idempotencyKey",
    // The same key with another body is not a duplicate: Powertools compares the body's hash (IdempotencyValidationError).
    payloadValidationJmesPath: "body",
    expiresAfterSeconds: options.expiresAfterSeconds ?? env?.expiresAfterSeconds ?? 86400,
  });
  const deadline = new InvocationDeadline();
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName ?? env!.tableName,
    awsSdkV3Client: options.dynamoDbClient ?? deadlineDynamoDbClient(deadline),
  });
  const once = makeIdempotent(async (message: ConsumerMessage) => storableResult(await process(message), message), {
    persistenceStore,
    config,
  });
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SqsRecord) => runRecord(once, toConsumerMessage(record));

  return async (event, context) => {
    const remaining = () => context.getRemainingTimeInMillis();
    deadline.start(remaining());
    // Lets idempotency expire an in-progress record of an invocation that timed out. A remaining time of 0 reads as
    // "unknown" to Powertools, which would then store the in-progress record with no expiry and block the key for the
    // whole TTL: never report less than 1 ms.
    config.registerLambdaContext({ ...context, getRemainingTimeInMillis: () => Math.max(1, remaining()) } as never);
    return (await processPartialResponse(event as never, recordHandler as never, processor, {
      context: context as never,
    })) as SqsBatchResponse;
  };
}

/** Runs one record; a failure is logged with its message id and rethrown (the record is reported failed). */
async function runRecord<T>(once: (message: ConsumerMessage) => Promise<T>, message: ConsumerMessage): Promise<T> {
  try {
    return await once(message);
  } catch (error) {
    const failure =
      error instanceof IdempotencyValidationError
        ? new Error(
            `message ${message.messageId}: Idempotency-Key ${JSON.stringify(message.clientIdempotencyKey ?? message.idempotencyKey)} was used before on ${message.route ?? "this queue"} by the same caller with a different body; not run (send a new key for a new request)`,
            { cause: error },
          )
        : error;
    console.error(
      JSON.stringify({
        level: "ERROR",
        event: "consumer.record-failed",
        messageId: message.messageId,
        receiveCount: message.receiveCount,
        error: failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure),
      }),
    );
    throw failure;
  }
}
