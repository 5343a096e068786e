#!/usr/bin/env node
// Runs the fauxqs SQS emulator on 127.0.0.1 for the redrive tests and benchmark, in its own process
// (fauxqs is ESM-only, which jest's module system cannot load). Prints one JSON line
// {"port":N,"endpoint":"http://127.0.0.1:N"} on stdout once it listens, and exits when its stdin
// closes, so it never outlives the process that started it.
//
// Queue URLs: fauxqs names queues http://sqs.<region>.localhost:<port>/<account>/<name>, and
// *.localhost does not resolve on these machines. Here queues are named
// http://127.0.0.1:<port>/000000000000/<name>, so code under test works with an explicit endpoint,
// with AWS_ENDPOINT_URL_SQS, or with neither (the SDK then sends each call to the queue URL's host).
const appUrl = import.meta.resolve("fauxqs");
const { SqsStore } = await import(new URL("./sqs/sqsStore.js", appUrl).href);
const { startFauxqs } = await import(appUrl);

SqsStore.prototype.buildQueueUrl = function buildQueueUrl(queueName, port, requestHost) {
  return `http://127.0.0.1:${port || String(requestHost).split(":")[1]}/000000000000/${queueName}`;
};

// SQS's ListDeadLetterSourceQueues, which fauxqs lacks: the queues whose RedrivePolicy names this one as their DLQ
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html).
const { SqsRouter } = await import(new URL("./sqs/sqsRouter.js", appUrl).href);
const handle = SqsRouter.prototype.handle;
SqsRouter.prototype.handle = async function handleWithSources(request, reply) {
  if (request.headers["x-amz-target"] !== "AmazonSQS.ListDeadLetterSourceQueues")
    return handle.call(this, request, reply);
  reply.header("content-type", "application/x-amz-json-1.0");
  const dlq = this.store.getQueue(request.body?.QueueUrl);
  if (!dlq) {
    reply.status(400);
    return { __type: "com.amazonaws.sqs#QueueDoesNotExist", message: "The specified queue does not exist." };
  }
  const namesDlq = (q) => {
    try {
      return JSON.parse(q.attributes.RedrivePolicy ?? "{}").deadLetterTargetArn === dlq.arn;
    } catch {
      return false;
    }
  };
  return { queueUrls: [...this.store.queues.values()].filter(namesDlq).map((q) => q.url) };
};

const server = await startFauxqs({ port: Number(process.env.FAUXQS_PORT ?? 0), logger: false, host: "127.0.0.1" });
process.stdout.write(`${JSON.stringify({ port: server.port, endpoint: `http://127.0.0.1:${server.port}` })}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  server.stop().finally(() => process.exit(0));
});
process.on("SIGTERM", () => process.exit(0));
