/**
 * A non-proxy Lambda integration (AWS) as API Gateway runs it: the event the function gets (a mapping template), and
 * what its answer becomes. A function's success is the 200 body; a thrown error is selected by its message
 * (`selectionPattern` is a regular expression on Lambda's `errorMessage`,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html): one that
 * starts with `[BadRequest]` is the caller's fault (400, the message returned), any other is ours (500, a generic
 * message: an exception's text can carry internals).
 */

/** The default event: the body as JSON, path and query-string parameters, and who asked. */
export const LAMBDA_REQUEST_TEMPLATE = [
  "#set($path = $input.params().path)",
  "#set($query = $input.params().querystring)",
  "{",
  "  \"body\": $input.json('$'),",
  '  "pathParameters": {#foreach($k in $path.keySet())"$util.escapeJavaScript($k)": "$util.escapeJavaScript($path.get($k))"#if($foreach.hasNext),#end#end},',
  '  "queryStringParameters": {#foreach($k in $query.keySet())"$util.escapeJavaScript($k)": "$util.escapeJavaScript($query.get($k))"#if($foreach.hasNext),#end#end},',
  '  "requestId": "$context.requestId",',
  '  "apiKeyId": "$context.identity.apiKeyId"',
  "}",
].join("\n");

/** The answers of a non-proxy Lambda route, each with the errors it is selected for. */
export const LAMBDA_RESPONSES = Object.freeze([
  { statusCode: "200", selectionPattern: undefined, template: "$input.json('$')" },
  {
    statusCode: "400",
    selectionPattern: "^\\[BadRequest\\].*",
    template: '{"message": "$util.escapeJavaScript($input.path(\'$.errorMessage\'))"}',
  },
  // Every other error: the patterns exclude each other, as API Gateway does not promise an order among matching ones.
  {
    statusCode: "500",
    selectionPattern: "^(?!\\[BadRequest\\])(\\n|.)+",
    template: '{"message": "Internal server error"}',
  },
] as const);
