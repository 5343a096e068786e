/**
 * The game day's ports on the AWS SDK: FIS (find the template by its tag, start, follow, stop), CloudWatch alarms,
 * the route's queue and DLQ (SQS), the state table (DynamoDB), and the redrive's own engine for the DLQ. Endpoints
 * follow the SDK's variables (AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_DYNAMODB, ...), so the tests point them at
 * emulators.
 */
import { type CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeTableCommand, type DynamoDBClient, QueryCommand } from "@aws-sdk/client-dynamodb";
import {
  type FisClient,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  paginateListExperimentTemplates,
  StartExperimentCommand,
  StopExperimentCommand,
} from "@aws-sdk/client-fis";
import { EXPERIMENT_TAG } from "../../modules/shared/contract/game-day";
import { redrive } from "../redrive/engine/engine";
import { validateOptions } from "../redrive/engine/options";
import { SqsPort } from "../redrive/ports/sqs-port";
import type { AlarmPort, ExperimentPort, RedrivePort, TablePort } from "./ports";

/** Run tags FIS keeps on the experiment, so a run is found from the console. */
export const RUN_TAG = "resilient-edge:gameday-run";

export class FisExperiments implements ExperimentPort {
  constructor(private readonly fis: FisClient) {}

  async findTemplate(env: string, name: string) {
    for await (const page of paginateListExperimentTemplates({ client: this.fis }, {})) {
      const t = page.experimentTemplates?.find((x) => x.tags?.[EXPERIMENT_TAG] === `${env}/${name}`);
      if (!t?.id) continue;
      const { experimentTemplate } = await this.fis.send(new GetExperimentTemplateCommand({ id: t.id }));
      const stopAlarmArns = (experimentTemplate?.stopConditions ?? [])
        .filter((c) => c.source === "aws:cloudwatch:alarm" && c.value)
        .map((c) => c.value!);
      return { id: t.id, stopAlarmArns };
    }
    return undefined;
  }

  async start(templateId: string, runId: string) {
    const out = await this.fis.send(
      new StartExperimentCommand({ experimentTemplateId: templateId, clientToken: runId, tags: { [RUN_TAG]: runId } }),
    );
    return out.experiment!.id!;
  }

  async state(id: string) {
    const out = await this.fis.send(new GetExperimentCommand({ id }));
    return { status: out.experiment?.state?.status ?? "unknown", reason: out.experiment?.state?.reason };
  }

  async stop(id: string) {
    await this.fis.send(new StopExperimentCommand({ id }));
  }
}

export class CloudWatchAlarms implements AlarmPort {
  constructor(private readonly cw: CloudWatchClient) {}

  async states(names: readonly string[]) {
    const out = new Map<string, string>();
    // DescribeAlarms takes up to 100 names a call; a template has at most 5 stop conditions.
    if (names.length === 0) return out;
    const page = await this.cw.send(new DescribeAlarmsCommand({ AlarmNames: [...names], AlarmTypes: ["MetricAlarm"] }));
    for (const a of page.MetricAlarms ?? []) if (a.AlarmName) out.set(a.AlarmName, String(a.StateValue));
    return out;
  }
}

/** Whether an order has an item, by the table's partition key (read once from DescribeTable): one Query per order. */
export class DynamoTable implements TablePort {
  private key?: string;

  constructor(private readonly dynamo: DynamoDBClient) {}

  async found(table: string, orderIds: readonly string[]) {
    this.key ??= await this.partitionKey(table);
    const found = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < orderIds.length) {
        const id = orderIds[next++];
        const out = await this.dynamo.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: "#k = :v",
            ExpressionAttributeNames: { "#k": this.key! },
            ExpressionAttributeValues: { ":v": { S: id } },
            Limit: 1,
            ConsistentRead: true,
          }),
        );
        if ((out.Count ?? 0) > 0) found.add(id);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    return found;
  }

  private async partitionKey(table: string) {
    const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: table }));
    const hash = Table?.KeySchema?.find((k) => k.KeyType === "HASH")?.AttributeName;
    if (!hash) throw new Error(`${table} has no partition key in DescribeTable's answer`);
    return hash;
  }
}

/** The DLQ back to its queue through the redrive's engine, with its defaults (each message's error context kept). */
export class EngineRedrive implements RedrivePort {
  constructor(private readonly port: SqsPort) {}

  async redrive(dlqUrl: string, queueUrl: string) {
    const summary = await redrive(validateOptions({ queueUrl: dlqUrl, to: queueUrl }), { port: this.port });
    return { replayed: summary.replayed, failed: summary.failed };
  }
}

export { SqsPort };
