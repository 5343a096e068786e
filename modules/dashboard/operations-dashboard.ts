import { CloudwatchDashboard } from "@cdktn/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchMetricAlarm } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import { Fn, Lazy, TerraformStack, Token } from "cdktn";
import type { DeadLetterRoute } from "../shared/dead-letter-route";
import { Construct } from "constructs";
import { awsContext } from "../shared/aws-context";
import { parseProps } from "../shared/parse-props";
import { PropsError } from "../shared/validation";
import { dashboardBodyProblems } from "./body-checks";
import { dashboardBody } from "./dashboard-body";
import {
  type DashboardDeadLetterQueue,
  type OperationsDashboardProps,
  OperationsDashboardSchema,
  type ParsedDashboardProps,
} from "./dashboard-schema";

export type { OperationsDashboardProps } from "./dashboard-schema";

/**
 * A CloudWatch dashboard of what a stack contains, in the order a message travels: the alarms' states, the API,
 * async routes and consumers, outbox pipes, sagas, event rules and targets, every DLQ with its redrive command, and the
 * redrive's runs. The body is built when the stack is synthesized (alarms added after this construct are shown) and
 * checked then: geometry on the grid, every metric against AWS's documented names and dimensions (metric-catalogue.ts),
 * statistics, periods and CloudWatch's size limits; a problem fails the synth, naming the widget.
 */
export class OperationsDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: CloudwatchDashboard;
  /** Its name. */
  readonly dashboardName: string;
  /** Where it opens in the CloudWatch console. */
  readonly consoleUrl: string;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const p = parseProps(`OperationsDashboard ${id}`, OperationsDashboardSchema, props);
    const { region } = awsContext(this);
    this.dashboard = new CloudwatchDashboard(this, "dashboard", {
      dashboardName: p.name,
      dashboardBody: Lazy.stringValue({ produce: () => this.renderBody(`OperationsDashboard ${id}`, p, region) }),
    });
    this.dashboardName = this.dashboard.dashboardName;
    this.consoleUrl = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${p.name}`;
  }

  /**
   * The dashboard's entries for redrive routes (EventRouting's `deadLetterRoutes`, a consumer's, an outbox's): each
   * DLQ by its target's name, with the URL its redrive command needs.
   */
  static deadLetterQueuesOf(routes: readonly DeadLetterRoute[]): DashboardDeadLetterQueue[] {
    return routes.map((r) => ({
      name: r.targetName,
      queueName: r.dlqName ?? queueNameOf(r.dlqArn),
      queueUrl: r.dlqUrl,
    }));
  }

  /** The body as JSON, once every construct of the stack exists; throws a PropsError listing every problem. */
  private renderBody(construct: string, p: ParsedDashboardProps, region: string): string {
    const alarms = p.alarmArns ?? stackAlarmArns(this);
    const body = dashboardBody(p, region, alarms);
    const problems = dashboardBodyProblems(body);
    if (problems.length > 0) throw new PropsError(construct, problems);
    return JSON.stringify(body);
  }
}

/** A queue's name from its ARN (`arn:aws:sqs:<region>:<account>:<name>`): read here when literal, by Terraform when not. */
function queueNameOf(arn: string): string {
  return Token.isUnresolved(arn) ? Fn.element(Fn.split(":", arn), 5) : arn.split(":")[5];
}

/** Every CloudWatch metric alarm in the stack `scope` is in. */
function stackAlarmArns(scope: Construct): string[] {
  return TerraformStack.of(scope)
    .node.findAll()
    .filter((c): c is CloudwatchMetricAlarm => c instanceof CloudwatchMetricAlarm)
    .map((a) => a.arn);
}
