import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { S3Backend, TerraformOutput, TerraformStack, TerraformVariable } from "cdktn";
import type { Construct } from "constructs";
import { AlarmTopic } from "../modules/alarms/alarm-topic";
import { ApiGatewayAccountLogging } from "../modules/api/api-gateway-account-logging";
import type { LoadedEnvironment } from "./config/loaded-environment";
import { addEventRouting } from "./events";
import { addApiFrontDoor } from "./api-front-door";
import { addConsumers } from "./consumers";
import type { QueueConsumer } from "../modules/consumer/queue-consumer";
import { addRedrive } from "./redrive";
import { addOutbox } from "./outbox";
import { addSagas } from "./sagas";
import type { Saga } from "../modules/saga/saga";
import type { Outbox } from "../modules/outbox/outbox";
import type { RedriveFunction } from "../modules/redrive/redrive-function";
import type { RestApiFrontDoor } from "../modules/api/rest-api-front-door";
import type { EventRouting } from "../modules/events/event-routing";
import type { FaultInjection } from "../modules/fault-injection/fault-injection";
import { addExperiments, addFaultInjection } from "./fault-injection";
import { addDashboard } from "./dashboard";
import type { OperationsDashboard } from "../modules/dashboard/operations-dashboard";

/** The keys of the environment's sagas by their state machine's ARN as an env file writes it (literal). */
function machineKeys(env: LoadedEnvironment, sagas: readonly Saga[]): Map<string, string> {
  const { region, id } = env.config.account;
  return new Map(
    env.config.sagas.map((c, i) => [
      `arn:aws:states:${region}:${id}:stateMachine:${env.name}-${c.name}`,
      sagas[i].keyArn,
    ]),
  );
}

/** Tags every taggable resource of an environment carries, whatever its config says. */
export function defaultTags(env: LoadedEnvironment): Record<string, string> {
  return { ...env.config.tags, environment: env.name, owner: env.config.owner, "managed-by": "cdktf" };
}

/**
 * One environment in one AWS account: the provider assumes the environment's deploy role and
 * refuses any other account, state lives in the environment's own S3 key with S3-native locking,
 * and the modules are composed from the validated config.
 */
export class EnvironmentStack extends TerraformStack {
  /** The environment's alarm topic; every module's alarms publish here. */
  readonly alarms: AlarmTopic;
  /** The environment's event routing: bus, rules, targets, DLQs; `events.deadLetterRoutes` feeds the redrive. */
  readonly events: EventRouting;
  /** The environment's REST API front door, when its config has an `api` section. */
  readonly api?: RestApiFrontDoor;
  /** The queue consumers of the async API routes, from the config's `consumers`. */
  readonly consumers: readonly QueueConsumer[];
  /** The environment's sagas (state machines `<env>-<name>`), from its `sagas` config. */
  readonly sagas: readonly Saga[];
  /** The environment's outbox (state table, pipes onto the bus), when its config has an `outbox` section. */
  readonly outbox?: Outbox;
  /** The redrive function draining `events.deadLetterRoutes` and the consumers' DLQs, unless the config's `redrive.enabled` is false. */
  readonly redrive?: RedriveFunction;
  /** The environment's fault-injection experiments (modules/fault-injection), when its config has a `faultInjection` section. */
  readonly faultInjection?: FaultInjection;
  /**
   * The account-and-region API Gateway CloudWatch role. Account-wide, so exactly one stack of the account owns it: the
   * environment stack (one environment per account), whether or not it has an API; product teams' front doors in the
   * account leave `manageAccountLogging` off and rely on it.
   */
  readonly apiGatewayAccountLogging: ApiGatewayAccountLogging;
  /** The environment's operations dashboard (`<env>-operations`): every alarm, the message's path, every DLQ with its redrive command. */
  readonly dashboard: OperationsDashboard;

  constructor(scope: Construct, env: LoadedEnvironment) {
    super(scope, env.name);
    const { config } = env;

    this.configureProviderAndState(env);

    this.alarms = new AlarmTopic(this, "alarms", { name: `${env.name}-platform-alarms`, emails: config.alarms.emails });
    new TerraformOutput(this, "alarm-topic-arn", {
      value: this.alarms.topicArn,
      description: "SNS topic every alarm of this environment publishes to",
    });
    this.apiGatewayAccountLogging = ApiGatewayAccountLogging.of(this);
    // Sagas first: event rules start them by their state machine's ARN.
    this.sagas = addSagas(this, env, this.alarms.topicArn);
    this.events = addEventRouting(this, env, this.alarms.topicArn, machineKeys(env, this.sagas));
    this.api = addApiFrontDoor(this, env, this.alarms.topicArn);
    const outbox = addOutbox(this, env, this.events.eventBusArn, this.alarms.topicArn);
    this.outbox = outbox?.outbox;
    // Before the functions it makes ready; its experiments after them (they need their ARNs and alarms).
    const faults = addFaultInjection(this, env);
    this.faultInjection = faults?.module;
    const consumers = addConsumers(this, env, this.api, this.alarms.topicArn, outbox, faults);
    this.consumers = consumers.consumers;
    const deadLetterRoutes = [
      ...this.events.deadLetterRoutes,
      ...consumers.deadLetterRoutes,
      ...(this.outbox ? [this.outbox.deadLetterRoute] : []),
    ];
    this.redrive = addRedrive(this, env, deadLetterRoutes, this.alarms.topicArn, faults?.readiness("redrive"));
    if (faults) addExperiments(this, env, faults, { api: this.api, consumers: this.consumers, redrive: this.redrive });
    this.dashboard = addDashboard(this, env, this, deadLetterRoutes);
  }

  /** The AWS provider (the deploy role, this account only, default tags) and the S3 state with native locking. */
  private configureProviderAndState(env: LoadedEnvironment): void {
    const { config } = env;
    // A variable only so that pull-request plans can run as the read-only plan role
    // (`terraform plan -var deploy_role_arn=<delivery.planRoleArn>`); applies keep the default.
    const role = new TerraformVariable(this, "deploy_role_arn", {
      type: "string",
      default: config.account.deployRoleArn,
      description: "role the AWS provider assumes: account.deployRoleArn, or delivery.planRoleArn for read-only plans",
    });
    new AwsProvider(this, "aws", {
      region: config.account.region,
      allowedAccountIds: [config.account.id],
      assumeRole: [
        {
          roleArn: role.stringValue,
          sessionName: `cdktf-${env.name}`,
          externalId: config.account.externalId,
        },
      ],
      defaultTags: [{ tags: defaultTags(env) }],
    });

    const backend = new S3Backend(this, {
      bucket: config.state.bucket,
      key: config.state.key,
      region: config.state.region,
      encrypt: true,
      kmsKeyId: config.state.kmsKeyArn,
      assumeRole: config.state.roleArn
        ? { roleArn: config.state.roleArn, sessionName: `cdktf-state-${env.name}` }
        : undefined,
    });
    // cdktf 0.21's S3Backend has no prop for S3-native locking (Terraform >= 1.11, generally available there).
    backend.addOverride("use_lockfile", true);
  }
}
