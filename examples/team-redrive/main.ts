/**
 * A product team's own event delivery with its own redrive: EventRouting delivers `invoice.*` events
 * to an SQS queue and to a partner's event bus, and a RedriveFunction (the Lambda bundle shipped in
 * the resilient-edge package) drains exactly this app's dead-letter queues, on a daily schedule for
 * throttled deliveries and on demand for the rest.
 */
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { App, S3Backend, TerraformOutput, TerraformStack } from "cdktn";
import type { Construct } from "constructs";
import { AlarmTopic } from "@acme/resilient-edge/alarms";
import { EventRouting } from "@acme/resilient-edge/events";
import { RedriveFunction } from "@acme/resilient-edge/redrive";

const ACCOUNT = "210987654321";
const REGION = "eu-central-1";

class BillingEventsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", {
      region: REGION,
      allowedAccountIds: [ACCOUNT],
      defaultTags: [{ tags: { environment: "prod", owner: "billing-team", "managed-by": "cdktf" } }],
    });
    new S3Backend(this, {
      bucket: "billing-team-tfstate",
      key: "billing-events.tfstate",
      region: REGION,
      encrypt: true,
    }).addOverride("use_lockfile", true);

    const alarms = new AlarmTopic(this, "alarms", { name: "billing-alarms" });
    const events = new EventRouting(this, "events", {
      namePrefix: "billing",
      alarmTopicArn: alarms.topicArn,
      // The platform's bus in this account: the team subscribes to it instead of running its own.
      eventBus: { kind: "existing", arn: `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/platform-events` },
      defaultEncryption: "kms",
      rules: [
        {
          name: "invoice-issued",
          eventPattern: { source: ["acme.billing"], "detail-type": ["invoice.issued", "invoice.voided"] },
          targets: [
            { kind: "sqs", name: "ledger" },
            {
              kind: "event-bus",
              name: "partner-invoices",
              eventBusArn: "arn:aws:events:eu-central-1:555555555555:event-bus/partner-invoices",
            },
          ],
        },
      ],
    });

    const redrive = new RedriveFunction(this, "redrive", {
      functionName: "billing-redrive",
      routes: events.deadLetterRoutes,
      alarmTopicArn: alarms.topicArn,
      maxRedrives: 5,
      // Unreserved (the default): only people and this schedule invoke it, which `resilient-edge check` accepts.
      schedule: { expression: "rate(1 day)", errorCodes: ["THROTTLING"], maxMessages: 1000 },
    });

    new TerraformOutput(this, "redrive-function-name", { value: redrive.functionName });
    new TerraformOutput(this, "redrive-role-arn", { value: redrive.roleArn });
  }
}

const app = new App();
new BillingEventsStack(app, "billing-events");
app.synth();
