/**
 * The consumer runtime for product teams: wraps one business function into an SQS-triggered Lambda
 * handler that reports partial batch failures (Powertools batch: BatchProcessor, EventType.SQS,
 * processPartialResponse) and runs the business function once per idempotency key (Powertools
 * idempotency: makeIdempotent with DynamoDBPersistenceLayer). The key is the message's
 * `Idempotency-Key` attribute (the client's header, set by the async API route), else the id the
 * message had when it was first dead-lettered (a redriven copy keeps its key), else its message id.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { readConsumerEnvironment } from "./environment";
import { MESSAGE_ATTRIBUTES, REDRIVE_CONTEXT_ATTRIBUTE } from "./message-attributes";

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
  /** The key the business function runs once for. */
  readonly idempotencyKey: string;
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
  /** DynamoDB client; default one from the standard AWS environment (AWS_ENDPOINT_URL_DYNAMODB honoured). */
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
  return {
    messageId: record.messageId,
    body: record.body,
    idempotencyKey: attr(MESSAGE_ATTRIBUTES.idempotencyKey) || original || record.messageId,
    requestId: attr(MESSAGE_ATTRIBUTES.requestId),
    apiKeyId: attr(MESSAGE_ATTRIBUTES.apiKeyId),
    route: attr(MESSAGE_ATTRIBUTES.route),
    redriveContext,
    receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
    record,
  };
}

/**
 * A Lambda handler for an SQS event source with ReportBatchItemFailures: each record runs
 * `process` at most once per idempotency key (a duplicate gets the saved result), a record whose
 * `process` throws is reported failed and retried alone, and a record whose key is still being
 * processed elsewhere is reported failed and retried later.
 */
export function createConsumer<R>(
  process: ProcessMessage<R>,
  options: ConsumerOptions = {},
): (event: SqsEvent, context: LambdaContextLike) => Promise<SqsBatchResponse> {
  const env = options.tableName === undefined ? readConsumerEnvironment(globalThis.process.env) : undefined;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "idempotencyKey",
    expiresAfterSeconds: options.expiresAfterSeconds ?? env?.expiresAfterSeconds ?? 86400,
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName ?? env!.tableName,
    awsSdkV3Client: options.dynamoDbClient ?? new DynamoDBClient({}),
  });
  const once = makeIdempotent((message: ConsumerMessage) => process(message), { persistenceStore, config });
  const processor = new BatchProcessor(EventType.SQS);
  const recordHandler = async (record: SqsRecord) => once(toConsumerMessage(record));

  return async (event, context) => {
    // Lets idempotency expire an in-progress record of an invocation that timed out.
    config.registerLambdaContext(context as never);
    return (await processPartialResponse(event as never, recordHandler as never, processor, {
      context: context as never,
    })) as SqsBatchResponse;
  };
}
