#!/usr/bin/env node
// The reference a team would write first to replay an outbox pipe's DLQ: one DLQ message at a time, and for each
// record of its range an iterator at it, one GetRecords of one record and one PutEvents of one event (the fields
// unwrapped by hand), then the delete. Prints {"records":N} on stdout.
//   node bench/outbox-naive.mjs <dlq-url> <bus-arn> <max-records>
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";

const [dlqUrl, busArn, maxText] = process.argv.slice(2);
const max = Number(maxText);
const sqs = new SQSClient({});
const streams = new DynamoDBStreamsClient({});
const events = new EventBridgeClient({});
let done = 0;
while (done < max) {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 1 }));
  if (Messages.length === 0) break;
  const info = JSON.parse(Messages[0].Body).DDBStreamBatchInfo;
  let seq = BigInt(info.startSequenceNumber);
  while (seq <= BigInt(info.endSequenceNumber) && done < max) {
    const it = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: info.streamArn,
        ShardId: info.shardId,
        ShardIteratorType: "AT_SEQUENCE_NUMBER",
        SequenceNumber: String(seq),
      }),
    );
    const { Records = [] } = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 1 }));
    const r = Records[0];
    const detail = { orderId: r.dynamodb.NewImage.orderId.S, total: r.dynamodb.NewImage.total.N, eventId: r.eventID };
    await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: busArn, Source: "acme.orders", DetailType: "order.placed", Detail: JSON.stringify(detail) },
        ],
      }),
    );
    seq += 1n;
    done++;
  }
  await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: Messages[0].ReceiptHandle }));
}
process.stdout.write(`${JSON.stringify({ records: done })}\n`);
sqs.destroy();
streams.destroy();
events.destroy();
