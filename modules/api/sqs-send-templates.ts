import { MESSAGE_ATTRIBUTES } from "../../lambdas/consumer/message-attributes";

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

/** 500 body when SQS refused the request (4XX: permissions, key, size): no SQS detail reaches the client. */
export const REFUSED_RESPONSE_TEMPLATE =
  '{"message":"The request was not accepted for processing.","requestId":"$context.requestId"}';

/** 503 body when SQS failed (5XX): the client may retry with the same Idempotency-Key. */
export const UNAVAILABLE_RESPONSE_TEMPLATE =
  '{"message":"The request could not be queued; retry later with the same Idempotency-Key.","requestId":"$context.requestId"}';
