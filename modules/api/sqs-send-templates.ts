import { MESSAGE_ATTRIBUTES } from "../shared/contract/message-attributes";

/**
 * The Velocity (VTL) mapping templates of an async (SQS) route. The request template turns the
 * validated JSON body into a form-encoded SQS `SendMessage` request: `MessageBody` is the body
 * exactly as received (`$util.urlEncode($input.body)`, so quotes, newlines and unicode arrive
 * byte-identical), and the request data become message attributes, numbered without gaps:
 * `api-request-id` and `api-route` always, `Idempotency-Key` when the client sent the header (in any case),
 * `api-key-id` when the caller used an API key. The whole template is one line: a line break in
 * the output would become part of a form value.
 */
export function sendMessageRequestTemplate(routeKey: string): string {
  const attribute = (n: string, name: string, value: string) =>
    `&MessageAttribute.${n}.Name=${name}&MessageAttribute.${n}.Value.DataType=String&MessageAttribute.${n}.Value.StringValue=${value}`;
  return [
    "Action=SendMessage",
    "&MessageBody=$util.urlEncode($input.body)",
    attribute("1", MESSAGE_ATTRIBUTES.requestId, "$util.urlEncode($context.requestId)"),
    // The route is a constant of the method, encoded once here.
    attribute("2", MESSAGE_ATTRIBUTES.route, encodeURIComponent(routeKey)),
    "#set($n = 3)",
    // Header names are matched without regard to case (HTTP/2 clients send them in lower case).
    `#set($idempotencyKey = "")#foreach($header in $input.params().header.keySet())#if($header.toLowerCase() == "${MESSAGE_ATTRIBUTES.idempotencyKey.toLowerCase()}")#set($idempotencyKey = $input.params().header.get($header))#end#end`,
    `#if("$!idempotencyKey" != "")${attribute("${n}", MESSAGE_ATTRIBUTES.idempotencyKey, "$util.urlEncode($idempotencyKey)")}#set($n = $n + 1)#end`,
    `#if("$!context.identity.apiKeyId" != "")${attribute("${n}", MESSAGE_ATTRIBUTES.apiKeyId, "$util.urlEncode($context.identity.apiKeyId)")}#end`,
  ].join("");
}

/** 202 body: the SQS message id (from SQS's JSON SendMessage response) and API Gateway's request id. */
export const ACCEPTED_RESPONSE_TEMPLATE =
  '{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')","requestId":"$context.requestId"}';

/**
 * SQS error codes (the query protocol's `Error.Code`, as the SDK's model lists them with
 * `awsQueryError`; `__type` in the JSON protocol) by what they mean for the client. Throttling is
 * answered 4XX by SQS (`RequestThrottled` 403, `KMS.ThrottlingException` 400) but is never the
 * caller's fault: it becomes 503 with `Retry-After`. A body over the queue's maximum message size is
 * `InvalidParameterValue` "Message must be shorter than N bytes": 413. Characters SQS refuses
 * (U+FFFE, U+FFFF, most controls) are `InvalidMessageContents`, and other bad values
 * `InvalidParameterValue`/`MissingParameter`: 400. Anything else 4XX (the role, the key, the queue)
 * is the platform's own fault: 500, which pages on-call through the 5XX alarm.
 */
export const SQS_ERROR_CLASSES = {
  throttled: ["RequestThrottled", "KMS.ThrottlingException", "ThrottlingException", "OverLimit"],
  invalid: ["InvalidMessageContents", "InvalidParameterValue", "MissingParameter", "InvalidAttributeValue"],
} as const;

/** Seconds a throttled or failed client is told to wait (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 1;

const bodyOf = (message: string) => `{"message":"${message}","requestId":"$context.requestId"}`;

/** The message of each refusal a client may see, by status. */
export const REFUSAL_MESSAGES = {
  throttled: "Too many requests are being queued; retry after Retry-After seconds with the same Idempotency-Key.",
  tooLarge: "The request is larger than this route can queue.",
  invalid: "The request cannot be queued: it contains characters or values the queue does not accept.",
  refused: "The request was not accepted for processing.",
} as const;

/**
 * The 4XX integration response: the SQS error code picks the status (`$context.responseOverride.status`,
 * set once, at the end, as API Gateway requires) and the body; no SQS detail reaches the client.
 */
export function sqsClientErrorTemplate(): string {
  const list = (codes: readonly string[]) => codes.map((c) => `$code == "${c}"`).join(" || ");
  return [
    `#set($code = "$!input.path('$.Error.Code')")`,
    `#if($code == "")#set($type = "$!input.path('$.__type')")#set($at = $type.indexOf("#") + 1)#set($code = $type.substring($at))#end`,
    `#if($code.startsWith("AWS.SimpleQueueService."))#set($code = $code.substring(23))#end`,
    `#set($detail = "$!input.path('$.Error.Message')$!input.path('$.message')")`,
    `#if(${list(SQS_ERROR_CLASSES.throttled)})#set($status = 503)#set($message = "${REFUSAL_MESSAGES.throttled}")`,
    `#elseif($code == "InvalidParameterValue" && $detail.indexOf("shorter than") >= 0)#set($status = 413)#set($message = "${REFUSAL_MESSAGES.tooLarge}")`,
    `#elseif(${list(SQS_ERROR_CLASSES.invalid)})#set($status = 400)#set($message = "${REFUSAL_MESSAGES.invalid}")`,
    `#else#set($status = 500)#set($message = "${REFUSAL_MESSAGES.refused}")#end`,
    `#if($status == 503)#set($context.responseOverride.header.Retry-After = "${RETRY_AFTER_SECONDS}")#end`,
    `#if($status != 500)#set($context.responseOverride.status = $status)#end`,
    bodyOf("$message"),
  ].join("");
}

/** 500 body when SQS refused the request for a reason of the platform's (permissions, key, queue). */
export const REFUSED_RESPONSE_TEMPLATE = bodyOf(REFUSAL_MESSAGES.refused);

/** 503 body when SQS failed (5XX): the client may retry with the same Idempotency-Key. */
export const UNAVAILABLE_RESPONSE_TEMPLATE = bodyOf(
  "The request could not be queued; retry later with the same Idempotency-Key.",
);
