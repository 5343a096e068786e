/**
 * What each environment-file field means, for docs/env-reference.md (`npm run docs:env`). Types,
 * defaults and ranges come from the zod schema itself; a field's `.describe()` text, when it has
 * one, wins over this table. Keys are config paths as the reference prints them; a key starting
 * with `*.` matches any path ending so (variant labels such as `(kind "sqs")` are ignored).
 */
export const FIELD_MEANINGS: Readonly<Record<string, string>> = {
  $schema: "JSON Schema URL for editors; ignored",
  description: "free text about the environment",
  production: "marks a production account: the redrive CLI asks for confirmation before replaying there",
  owner: "owning team; default tag `owner` of every resource",
  account: "the AWS account and region the environment's stack deploys to",
  "account.id":
    "12-digit account id; the provider's `allowed_account_ids`, so other credentials fail before any change. Unique across env/",
  "account.region": "region of the stack's resources (CloudFront logs and certificates are in us-east-1 regardless)",
  "account.deployRoleArn":
    "role the AWS provider assumes (bootstrap output `account-deployRoleArn`); must be in `account.id`",
  "account.externalId": "external id passed when assuming the deploy role, if its trust requires one",
  state: "Terraform remote state: S3 backend, always encrypted, S3-native locking",
  "state.bucket":
    "state bucket. Without `state.roleArn` it is in the environment's own account and its bootstrap stack creates it (output `state-bucket`)",
  "state.key": "object key of this environment's state (ends in .tfstate). Bucket + key are unique across env/",
  "state.region": "region of the state bucket",
  "state.kmsKeyArn":
    "customer KMS key encrypting the state objects (and, when the bootstrap creates the bucket, the bucket's default encryption); default SSE-S3 (AES256)",
  "state.roleArn":
    "role the S3 backend assumes to reach state kept in another account (bootstrap output `state-roleArn` of the state account's stack); default none (ambient credentials)",
  tags: "extra default tags of every taggable resource (`environment`, `owner`, `managed-by` are set by the stack)",
  "tags.<key>": "tag value",
  alarms: "the environment's one alarm topic (`<env>-platform-alarms`, KMS-encrypted)",
  "alarms.emails": "e-mail addresses subscribed to the alarm topic (each confirms by mail)",
  api: "the REST API front door (modules/api); absent: no API. Prop by prop in docs/api.md",
  "api.name": "API name and stem of every API resource name",
  "api.description": "API description",
  "api.stageName": "stage name (default v1)",
  "api.resources": "routes: resource path (`/items/{id}`) -> methods",
  "api.resources.<key>": "one resource path; intermediate resources are created",
  "api.resources.<key>.{GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS}": "one method of the resource",
  "*.integration":
    "what answers the method: MOCK (constant response), HTTP_PROXY (an https backend) or SQS (an async route: the request is written to a queue and answered 202)",
  "*.integration.queue": "SQS route: the queue the module creates for it (encrypted, with its own DLQ)",
  "*.integration.queue.name": "SQS route: queue name (default derived from the API name and route)",
  "*.integration.queue.kmsKeyArn":
    "SQS route: customer KMS key of the queue and its DLQ (with encryption kms); API Gateway's role may use it through SQS only",
  "*.integration.existingQueue":
    "SQS route: send to a queue owned elsewhere instead of creating one (no consumer can be attached here)",
  "*.integration.existingQueue.arn": "ARN of that queue (same region); API Gateway's role may only send to it",
  "*.integration.existingQueue.kmsKeyArn": "its customer KMS key, if any (the role may use it through SQS only)",
  "*.integration.timeoutMs": "integration timeout in ms (required; API Gateway's maximum is 29000)",
  "*.integration.statusCode": "MOCK status code (default 200)",
  "*.integration.proxy":
    "LAMBDA: true (default) a proxy integration, the function answers the whole response; false: the function gets a mapped event and returns the body ([BadRequest] errors answer 400, others 500)",
  "*.integration.requestTemplate":
    "LAMBDA with proxy false: the VTL mapping template of the function's event (default: body, path and query parameters, request id, API key id)",
  "*.integration.responseBody": "MOCK response body (JSON)",
  "*.integration.uri": "backend URL; `{param}` placeholders must be path parameters",
  "*.integration.httpMethod": "method used towards the backend (default: the route's)",
  "*.public": "true: no API key needed (no usage plan applies); needs a policy waiver (apigw-method-auth)",
  "*.parameters": "request parameters to validate: `querystring.x` / `header.y` -> required",
  "*.parameters.<key>": "whether the parameter is required",
  "*.requestModel": "name of a model in `api.models` the JSON body must match",
  "*.authorization":
    "who the caller must be besides holding an API key: an authorizer's name in `api.authorizers`, AWS_IAM (SigV4) or NONE (default: `api.defaultAuthorization`)",
  "*.authorizationScopes": "Cognito authorizer only: OAuth scopes, one of which the access token must carry",
  "api.authorizers":
    "authorizers by name (at most 10): Cognito user pools, Lambda TOKEN and REQUEST; methods name them in `authorization`",
  "api.authorizers.<key>": "one authorizer, by `type`",
  "api.authorizers.<key>.type":
    "COGNITO_USER_POOLS, TOKEN (a Lambda judges a bearer token) or REQUEST (a Lambda judges headers, query strings, context)",
  "*.userPoolArns": "Cognito user pools whose ID and access tokens are accepted, by ARN",
  "*.identitySource": "the header the token is in (default method.request.header.Authorization)",
  "*.identityValidationExpression": "a regular expression the token must match before the function is called",
  "*.identitySources":
    "REQUEST authorizer: what identifies a caller (headers, query strings, stage or context variables); required while results are cached",
  "*.resultTtlSeconds": "seconds API Gateway caches an authorizer's verdict per identity, 0-3600 (default 300)",
  "api.defaultAuthorization":
    "what authorizes every method that names none: an authorizer's name or AWS_IAM (default: the API key alone)",
  "api.cors":
    "browser cross-origin access: an OPTIONS preflight per resource, CORS headers on the responses API Gateway answers (MOCK, SQS routes, 4XX/5XX errors); proxy backends answer their own",
  "api.cors.allowOrigins": 'origins allowed (https://shop.example.com: scheme, host, port), or ["*"] alone for any',
  "api.cors.allowHeaders":
    "request headers a browser may send (default Content-Type, Authorization, X-Api-Key, Idempotency-Key)",
  "api.cors.exposeHeaders": "response headers a browser's script may read",
  "api.cors.allowCredentials": "whether browsers send cookies and HTTP authentication (never with *; default false)",
  "api.cors.maxAgeSeconds":
    "seconds a browser reuses a preflight's answer, 0-86400 (default 600; Chromium caps at 7200)",
  "*.cache": "GET only: cache this method (API Gateway, and CloudFront with layer edge)",
  "*.cache.ttlSeconds": "cache TTL in seconds (default 300)",
  "*.cache.keyParameters": "request parameters in the cache key besides the path parameters and `x-api-key`",
  "api.models": "JSON schemas (draft 4) by model name",
  "api.models.<key>": "one model's JSON schema",
  "api.models.<key>.<key>": "JSON schema keyword",
  "api.throttle": "stage-wide throttle (method path `*/*`)",
  "*.throttle.rateLimit": "steady requests per second",
  "*.throttle.burstLimit": "token-bucket burst",
  "api.methodThrottles": "per-method stage throttles by method key (`POST /items`)",
  "*.methodThrottles.<key>": "throttle of one method",
  "*.methodThrottles.<key>.rateLimit": "steady requests per second",
  "*.methodThrottles.<key>.burstLimit": "token-bucket burst",
  "api.tiers": "usage-plan tiers by name; throttle and quota apply per API key",
  "api.tiers.<key>": "one tier (usage plan)",
  "api.tiers.<key>.description": "usage plan description",
  "api.tiers.<key>.throttle": "per-key throttle (at most the stage's)",
  "api.tiers.<key>.quota": "per-key request quota",
  "api.tiers.<key>.quota.limit": "requests per period",
  "api.tiers.<key>.quota.period": "quota period (UTC)",
  "api.tiers.<key>.quota.offset": "days (or weeks) into the period the quota starts",
  "api.tiers.<key>.methodThrottles": "per-key method throttles; need the tier's own throttle",
  "api.apiKeys": "one API key per consumer, each in exactly one tier",
  "api.apiKeys[].name": "key name (unique)",
  "api.apiKeys[].tier": "tier (a key of `api.tiers`)",
  "api.apiKeys[].enabled": "whether the key works (default true)",
  "api.apiKeys[].description": "key description",
  "api.caching": "caching (off when absent)",
  "api.caching.enabled": "false removes cache cluster, method caching and edge caching",
  "api.caching.layer":
    "api-gateway: stage cache only (every request metered); edge: CloudFront also caches (hits are not metered). Default api-gateway",
  "api.caching.clusterSizeGb": "stage cache cluster size in GB (default 0.5)",
  "api.caching.allowClientInvalidation": "let callers invalidate with Cache-Control: max-age=0 (default false)",
  "api.distribution": "the CloudFront distribution in front of the stage",
  "api.distribution.priceClass": "CloudFront price class (default PriceClass_100)",
  "api.distribution.customDomain": "the API's own domain on CloudFront",
  "api.distribution.customDomain.domainName": "domain name (alias) of the distribution. Unique across env/",
  "api.distribution.customDomain.certificateArn": "ACM certificate for the domain: in us-east-1 and in `account.id`",
  "api.distribution.customDomain.hostedZoneId":
    "Route 53 zone in which to create A/AAAA aliases (default: none created)",
  "api.distribution.webAclArn": "WAFv2 web ACL of scope CLOUDFRONT",
  "api.distribution.accessLogs": "CloudFront access logs to CloudWatch Logs in us-east-1 (default true)",
  "api.accessLogs": "access log settings",
  "api.accessLogs.retentionDays": "retention of the stage's and CloudFront's access logs (default 90)",
  "api.accessLogs.kmsKeyArn": "KMS key of the stage's access log group",
  "api.alarms": "API alarm thresholds",
  "api.alarms.serverErrors": "5XX count per period that alarms (default 5)",
  "api.alarms.clientErrorRatePercent": "4XX rate that alarms (default 10)",
  "api.alarms.latencyP99Ms": "p99 latency that alarms (default 2500)",
  "api.alarms.cacheHitRatioPercent": "cache hit ratio below which it alarms (default 50)",
  "api.alarms.periodSeconds": "alarm period (default 300)",
  "api.alarms.evaluationPeriods": "periods evaluated (default 3)",
  "api.alarms.datapointsToAlarm": "breaching periods needed (default evaluationPeriods)",
  events: "EventBridge delivery (modules/events)",
  "events.bus":
    'custom bus `<env>-events` (or `name`), the account\'s default bus, or an existing bus of the account by ARN (a team subscribing to the platform\'s) (default `{"kind":"custom"}`)',
  "events.bus.name": "custom bus name (default `<env>-events`)",
  "events.archive": "archive of the bus's events for replay",
  "events.archive.retentionDays": "days to keep archived events (0 = forever)",
  "events.archive.eventPattern": "only archive events matching this pattern",
  "events.defaults": "the environment's defaults; every target may override them",
  "events.defaults.retryPolicy": "retry policy of every target (never EventBridge's implicit 185 attempts / 24 h)",
  "*.retryPolicy.maximumRetryAttempts": "delivery attempts before the event goes to the target's DLQ",
  "*.retryPolicy.maximumEventAgeInSeconds": "age after which an undelivered event goes to the DLQ",
  "events.defaults.encryption": "encryption of the queues the module creates: SQS-managed SSE or a module KMS key",
  "events.defaults.maxReceiveCount": "receives before a target queue's message moves to its own DLQ",
  "events.alarms": "event delivery alarms",
  "events.alarms.dlqOldestMessageAgeSeconds": "age of the oldest DLQ message that alarms",
  "events.rules": "EventBridge rules on the bus",
  "events.rules[].name": "rule name (`<env>-<name>`); unique",
  "events.rules[].description": "rule description",
  "events.rules[].enabled": "whether the rule is enabled (default true)",
  "events.rules[].eventPattern": "EventBridge event pattern (object or JSON text)",
  "events.rules[].targets": "where the rule delivers, each with a retry policy and a dead-letter queue",
  "events.rules[].targets[]":
    "one target: an SQS queue the module creates, a Lambda function, or another event bus (cross-account targets: a partner's bus)",
  "*.targets[].name": "target name, stem of its queues and roles (`<env>-<name>-...`); unique in the environment",
  "*.deadLetterQueue": "the target's dead-letter queue (default: one the module creates, `<env>-<name>-delivery-dlq`)",
  "*.deadLetterQueue.encryption": "encryption of the created DLQ (default events.defaults.encryption)",
  "*.deadLetterQueue.maxMessageSizeBytes": "maximum message size of the created DLQ",
  "*.deadLetterQueue.existingQueue": "use an existing standard queue in the environment's account and region instead",
  "*.deadLetterQueue.existingQueue.arn": "the existing queue's ARN",
  "*.deadLetterQueue.existingQueue.kmsKeyArn": "its KMS key, if it has one (EventBridge is granted use of it)",
  "*.inputTransformer": "reshape the event before delivery",
  "*.inputTransformer.inputPaths": "variables: name -> JSON path into the event",
  "*.inputTransformer.inputPaths.<key>": "JSON path starting with $",
  "*.inputTransformer.inputTemplate": "template using <name> variables",
  "*.queue": "the target queue the module creates (`<env>-<name>`) and its consumer DLQ",
  "*.queue.visibilityTimeoutSeconds": "visibility timeout (at least 6x the consumer's timeout)",
  "*.queue.messageRetentionSeconds": "retention of the target queue",
  "*.queue.maxReceiveCount":
    "receives before a message moves to the queue's own DLQ (default events.defaults.maxReceiveCount)",
  "*.queue.maxMessageSizeBytes": "maximum message size",
  "*.queue.encryption": "encryption of the queue (default events.defaults.encryption)",
  "*.functionArn": "Lambda function by ARN, in the environment's account and region",
  "*.functionName": "Lambda function by name in the environment's account and region (optionally `:alias`)",
  'events.rules[].targets[](kind "step-functions").kmsKeyArn':
    "the state machine's customer KMS key, when it has one and is not one of this file's sagas (theirs is filled in): StartExecution needs it; default none",
  "*.stateMachineArn":
    "step-functions targets: the state machine (a saga) the rule starts with the event as its input, through a role `<prefix>-<name>-start`; same account and region",
  "*.eventBusArn":
    "the receiving event bus (e.g. a partner's, cross-account; its resource policy must allow the module's role). Unique across env/",
  "*.targets[].retryPolicy": "this target's retry policy, field by field over events.defaults.retryPolicy",
  'events.rules[].targets[](kind "event-bus").retryPolicy': "not allowed: event-bus targets take no retry policy",
  'events.rules[].targets[](kind "event-bus").inputTransformer':
    "not allowed: event-bus targets forward the event as is",
  redrive: "the redrive function draining every event DLQ (docs/redrive.md)",
  "redrive.enabled": "deploy the function",
  "redrive.maxRedrives": "leave messages already redriven this many times in place",
  "redrive.concurrency": "parallel workers",
  "redrive.rate": "messages per second at most (default unlimited)",
  "redrive.visibilityTimeoutSeconds": "seconds a taken message stays hidden",
  "redrive.maxMessages": "messages per invocation at most (default unlimited)",
  "redrive.timeoutSeconds": "function timeout",
  "redrive.memoryMb": "function memory",
  "redrive.reservedConcurrency":
    "reserved concurrency of the function (default unreserved: a reservation is refused in accounts whose concurrency quota is 10; overlapping runs are safe)",
  "*.targets[].asyncInvoke":
    "what happens after Lambda accepted the event: Lambda's own retries, then an on-failure destination (required: without it, events the function fails are dropped)",
  "*.asyncInvoke.executionRoleArn":
    "the function's execution role (in account.id): the module creates the on-failure queue `<env>-<target>-async-failures` and lets this role send to it",
  "*.asyncInvoke.maximumRetryAttempts": "Lambda's retries of a failed asynchronous invocation (0..2)",
  "*.asyncInvoke.maximumEventAgeInSeconds":
    "age after which Lambda stops retrying and sends the event to the on-failure queue",
  "*.asyncInvoke.encryption": "encryption of the on-failure queue (default events.defaults.encryption)",
  "*.asyncInvoke.ownedByAnotherStack":
    "the function's invoke config belongs to another stack: name the destination it configured instead of executionRoleArn",
  "*.asyncInvoke.ownedByAnotherStack.onFailureDestination":
    "the on-failure destination queue that stack configured (the redrive drains it)",
  "*.onFailureDestination.arn": "ARN of that queue",
  "*.onFailureDestination.kmsKeyArn": "its customer KMS key, if any (the redrive needs kms:Decrypt on it)",
  outbox:
    "the outbox (modules/outbox, docs/outbox.md): a state table whose stream becomes business events on the environment's bus, one EventBridge Pipe per event; absent: none",
  "outbox.name": "outbox name: table `<env>-<name>-state`, pipes `<env>-<name>-<event>`, DLQ `<env>-<name>-pipe-dlq`",
  "outbox.table":
    'the state table: `{"kind": "new", ...}` created with its stream, PITR, the outbox key and deletion protection, or `{"kind": "existing", ...}` by ARN',
  "outbox.table.partitionKey": "partition key of a created table",
  "outbox.table.partitionKey.name": "attribute name",
  "outbox.table.partitionKey.type": "attribute type S, N or B (default S)",
  "outbox.table.sortKey": "sort key of a created table (default none)",
  "outbox.table.sortKey.name": "attribute name",
  "outbox.table.sortKey.type": "attribute type S, N or B (default S)",
  "outbox.table.streamViewType":
    "what stream records hold: NEW_AND_OLD_IMAGES (default for a created table: a MODIFY event can compare old and new) or NEW_IMAGE",
  "outbox.table.deletionProtection": "whether Terraform is refused the table's destruction (default true)",
  "outbox.table.arn": "ARN of an existing table",
  "outbox.table.streamArn": "ARN of the existing table's stream (`<table ARN>/stream/<label>`)",
  "outbox.table.kmsKeyArn":
    "customer KMS key of the existing table, when it has one (the pipes decrypt stream records with it)",
  "outbox.events":
    "business events by name (1-20 lowercase letters, digits, '-'): one pipe each, at most two per stream",
  "outbox.events.<key>": "one business event: which records make it and what its detail carries",
  "outbox.events.<key>.detailType": "the event's detail-type (the event routing's rules match it)",
  "outbox.events.<key>.source": 'the event\'s source (not "aws.")',
  "outbox.events.<key>.eventNames": "stream event names it is made from: INSERT, MODIFY, REMOVE",
  "outbox.events.<key>.when": "conditions every record must meet (item types, statuses); all must hold",
  "outbox.events.<key>.when[].path": "`<NewImage|OldImage|Keys>.<attribute>[.<attribute in a map>...]`",
  "outbox.events.<key>.when[].type": "the attribute's type S, N or BOOL (default S)",
  "outbox.events.<key>.when[].anyOf": "the record matches when the attribute has one of these values",
  "outbox.events.<key>.when[].noneOf": "the record matches when the attribute is present with none of these values",
  "outbox.events.<key>.fields":
    "detail field name -> where its value is in the record (a record lacking a field is not an event)",
  "outbox.events.<key>.fields.<key>": "one detail field",
  "outbox.events.<key>.fields.<key>.path": "`<NewImage|OldImage|Keys>.<attribute>[.<attribute in a map>...]`",
  "outbox.events.<key>.fields.<key>.type":
    "the attribute's DynamoDB type: S, N (kept as an exact decimal string), B (base64), BOOL, SS, NS, BS; maps and lists by their leaves",
  "outbox.writers":
    "consumers (by name) whose business step writes the state table: each gets the write grant and CONSUMER_STATE_TABLE",
  "outbox.startingPosition":
    "where a new pipe starts reading: TRIM_HORIZON (default: items written before it still become events) or LATEST",
  "outbox.batchSize": "records per pipe batch (default 10)",
  "outbox.maximumBatchingWindowSeconds": "seconds a pipe batch may wait to fill (default 1)",
  "outbox.maximumRetryAttempts": "retries of a failing batch, bisected, before the DLQ (default 10; never infinite)",
  "outbox.maximumRecordAgeSeconds":
    "record age at which it goes to the DLQ (default 21600: 18 h of the stream's 24 h are left to redrive it)",
  "outbox.dlqOldestMessageAgeAlarmSeconds": "age of the DLQ's oldest message at which its alarm fires (default 3600)",
  "outbox.parallelizationFactor": "batches per shard at once (default 1: each item's changes reach the bus in order)",
  "outbox.kmsKeyArn":
    "customer KMS key of the pipes, their DLQ and a created table (default: one created by the module)",
  "outbox.logLevel": "pipe log level ERROR (default), INFO or TRACE",
  "outbox.includeExecutionData": "whether pipe logs carry records and payloads (default false: no PII in logs)",
  "outbox.logRetentionDays": "pipe log retention in days (default 90)",
  sagas:
    "sagas on Step Functions (modules/saga, docs/sagas.md): steps with compensations undone in reverse order on failure; state machine `<env>-<name>`",
  "sagas[].name": "saga name: state machine `<env>-<name>`, its role, key, logs and needs-a-human queue",
  "sagas[].steps": "the steps, in order (1-20)",
  "sagas[].steps[].name": "step name: names its states (`Undo <name>`, `Failed at <name>`)",
  "sagas[].steps[].action":
    "what it does: a Lambda function (`lambda`), DynamoDB PutItem/UpdateItem (`dynamodb`), SQS SendMessage (`sqs`) or EventBridge PutEvents (`eventbridge`)",
  "sagas[].steps[].action.waitForTaskToken":
    "hand the function the task token and wait for SendTaskSuccess/Failure (default false)",
  "sagas[].steps[].action.action": "PutItem or UpdateItem",
  "sagas[].steps[].action.tableArn": "ARN of the table",
  "sagas[].steps[].action.queueArn": "ARN of the queue (the saga's input is the message body)",
  "sagas[].steps[].action.queueUrl": "URL of the queue",
  "sagas[].steps[].action.busArn": "ARN of the bus (the saga's input is the detail)",
  "sagas[].steps[].action.detailType": "the event's detail-type",
  "sagas[].steps[].action.source": "the event's source",
  "sagas[].steps[].compensation":
    "what undoes the step when a later step fails for good (default none; retried harder than the action)",
  "sagas[].steps[].compensation.waitForTaskToken":
    "hand the function the task token and wait for SendTaskSuccess/Failure (default false)",
  "sagas[].steps[].compensation.action": "PutItem or UpdateItem",
  "sagas[].steps[].compensation.tableArn": "ARN of the table",
  "sagas[].steps[].compensation.queueArn": "ARN of the queue (the saga's input is the message body)",
  "sagas[].steps[].compensation.queueUrl": "URL of the queue",
  "sagas[].steps[].compensation.busArn": "ARN of the bus (the saga's input is the detail)",
  "sagas[].steps[].compensation.detailType": "the event's detail-type",
  "sagas[].steps[].compensation.source": "the event's source",
  "sagas[].steps[].timeoutSeconds": "seconds the action may take (default 300)",
  "sagas[].steps[].heartbeatSeconds": "seconds between heartbeats of a task-token action (default none)",
  "sagas[].steps[].retry":
    "how the action retries (default the kind's transient errors, 3 tries from 1 s doubling, at most 10 s apart, full jitter)",
  "sagas[].steps[].retry.errors": "errors retried (default the kind's transient errors)",
  "sagas[].steps[].retry.intervalSeconds": "seconds before the first retry (default 1)",
  "sagas[].steps[].retry.backoffRate": "multiplier per retry (default 2)",
  "sagas[].steps[].retry.maxAttempts": "retries (default 3)",
  "sagas[].steps[].retry.maxDelaySeconds": "largest wait between retries (default 10)",
  "sagas[].steps[].nonRetryableErrors": "the business's own errors never retried: they go straight to compensation",
  "sagas[].kmsKeyArn": "customer KMS key of the state machine, logs and queue (default: one created by the module)",
  "sagas[].logLevel": "execution log level ERROR (default), ALL or FATAL",
  "sagas[].includeExecutionData": "whether logs carry inputs and outputs (default false: no PII in logs)",
  "sagas[].logRetentionDays": "log retention in days (default 90)",
  faultInjection:
    "AWS FIS experiments on this environment's functions (modules/fault-injection, docs/gameday.md); absent: nothing is created and no function carries the extension",
  "faultInjection.allowInProduction":
    "a production environment (production: true) may carry experiments: the deliberate opt-in (default false)",
  "faultInjection.slowPollIntervalSeconds":
    "how often the FIS extension polls while no fault runs (default 60, AWS's); faults start up to this late, so each template lasts its duration plus this",
  "faultInjection.pollMaxWaitMilliseconds":
    "how long an invocation waits for an in-flight poll (default 2000, AWS's advice with preventExecution)",
  "faultInjection.layerArns":
    "a pinned FIS extension layer version per architecture (default: AWS's public SSM parameter)",
  "faultInjection.layerArns.arm64": "the arm64 layer version ARN (every function here is arm64)",
  "faultInjection.layerArns.x86_64": "the x86_64 layer version ARN",
  "faultInjection.logRetentionDays": "retention of the experiment log group `/aws/fis/<env>` (default 90)",
  "faultInjection.experiments":
    "the experiment templates, one per entry (tagged `resilient-edge:experiment = <env>/<name>`)",
  "faultInjection.experiments[].name": "experiment name: `npm run gameday -- --env <env> --experiment <name>`",
  "faultInjection.experiments[].description": "what the experiment should show (the template's description)",
  "faultInjection.experiments[].action":
    "the FIS Lambda action: add a start-up delay, fail invocations, or replace an HTTP integration's response (only for functions behind API Gateway: a queue consumer or an asynchronous target would read it as a success)",
  "faultInjection.experiments[].functions":
    "the functions faulted: `consumer:<name>`, `redrive`, or `lambda-target:<rule>/<target>` in this account (its owner attaches the extension)",
  "faultInjection.experiments[].stopOn":
    "alarms that stop it: `api:5xx-errors`, `consumer:<name>:(errors|throttles|dead-letters|oldest-message-age)`, `redrive:errors` (default the API's 5XX and each faulted consumer's DLQ and backlog alarms)",
  "faultInjection.experiments[].duration":
    "the fault window, ISO 8601, PT1M to PT1H; the template lasts this plus the slow poll interval",
  "faultInjection.experiments[].invocationPercentage": "share of invocations faulted, 1-100 (default 25)",
  "faultInjection.experiments[].startupDelayMilliseconds":
    "invocation-add-delay: milliseconds before the code runs, 0-900000 (default 1000)",
  "faultInjection.experiments[].preventExecution":
    "invocation-error and http-integration-response: answer without running the function (default true)",
  "faultInjection.experiments[].statusCode":
    "invocation-http-integration-response: the status code returned (required there)",
  "faultInjection.experiments[].contentTypeHeader":
    "invocation-http-integration-response: the Content-Type returned (default application/json)",
  consumers:
    "queue consumers (modules/consumer): a Lambda function fed by an async route's queue, with partial batch failures and idempotency",
  "consumers[].name": "consumer name: `<env>-<name>-consumer` function, idempotency table and alarms",
  "consumers[].route": 'the async (SQS) route whose queue it consumes, as a method key ("POST /orders")',
  "consumers[].timeoutSeconds":
    "function timeout; the route queue's visibility timeout must be at least 6x this plus the batching window (validated)",
  "consumers[].memoryMb": "function memory",
  "consumers[].batchSize": "records per invocation (above 10 needs a batching window)",
  "consumers[].maximumBatchingWindowSeconds": "seconds the event source mapping waits to fill a batch",
  "consumers[].maximumConcurrency": "maximum concurrent invocations the event source mapping starts (2..1000)",
  "consumers[].reservedConcurrency":
    "reserved concurrency of the function (default unreserved: the mapping's maximumConcurrency caps it, and a reservation is refused in accounts whose concurrency quota is 10; when set, at least maximumConcurrency, so the mapping is never throttled)",
  "consumers[].logRetentionDays": "retention of the function's log group",
  "consumers[].idempotencyTtlSeconds":
    "how long a processed request's idempotency record is kept (a duplicate within it runs nothing)",
  "consumers[].tableKmsKeyArn": "customer KMS key of the idempotency table (default the AWS managed aws/dynamodb key)",
  "consumers[].oldestMessageAgeAlarmSeconds":
    "age of the oldest message in the queue or its DLQ at which the alarm fires",
  "consumers[].environment": "environment variables of the function (your business step's settings)",
  "consumers[].environment.<key>": "variable value",
  "redrive.logRetentionDays":
    "retention of `/aws/lambda/<env>-redrive`: a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)",
  "redrive.additionalDestinations": "queues an invocation's `to` may name, besides the targets",
  "redrive.additionalDestinations[].queueArn": "queue ARN",
  "redrive.additionalDestinations[].kmsKeyArn": "its KMS key, if any",
  "redrive.schedule": "periodic run for chosen error codes (default none)",
  "redrive.schedule.expression": "EventBridge schedule: rate(...) or cron(...)",
  "redrive.schedule.errorCodes": "error codes the scheduled run replays",
  "redrive.schedule.maxMessages": "messages per scheduled run at most",
  "redrive.schedule.enabled": "whether the schedule rule is enabled",
  delivery:
    "CI delivery through GitHub Actions OIDC, and what the bootstrap stack `<env>-bootstrap` creates; absent: no bootstrap stack and no pipeline for this environment",
  "delivery.github": "the repository and the branch or GitHub environment allowed to deploy",
};
