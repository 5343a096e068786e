/**
 * Test and benchmark support: FIS and CloudWatch as the game day sees them, through aws-sdk-client-mock (no emulator
 * exists for either). The template is found by its tag; starting it opens the fault injector's window; the experiment
 * runs while the window is open, then is completed (or stopped, once StopExperiment was called).
 */
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import {
  FisClient,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListExperimentTemplatesCommand,
  StartExperimentCommand,
  StopExperimentCommand,
} from "@aws-sdk/client-fis";
import { type AwsStub, mockClient } from "aws-sdk-client-mock";
import type { FaultInjector } from "./local-environment";

/** The stop condition's alarm. */
export const DLQ_ALARM = "arn:aws:cloudwatch:eu-west-1:222222222222:alarm:gd-dlq-visible-messages";

// client-fis 3.523.0 (the registry's latest) is typed against an older smithy than aws-sdk-client-mock's.
export type FisStub = AwsStub<any, any, any>;
/** A client-fis command class, as the stub takes it (see above). */
export const fisCommand = (c: unknown) => c as any;

/** Stubs of both clients (restore them when done). */
export function stubClients(): { fis: FisStub; cloudwatch: AwsStub<any, any, any> } {
  return {
    fis: mockClient(FisClient as any) as FisStub,
    cloudwatch: mockClient(CloudWatchClient) as AwsStub<any, any, any>,
  };
}

/** One experiment `staging/<name>` whose window is `ms` (kept open up to `longestMs` while the injector asks). */
export function mockExperiment(
  fis: FisStub,
  cloudwatch: AwsStub<any, any, any>,
  injector: FaultInjector,
  ms: number,
  longestMs = ms,
  name = "orders-errors",
) {
  fis.reset();
  fis.on(fisCommand(ListExperimentTemplatesCommand)).resolves({
    experimentTemplates: [
      { id: "EXT-other", tags: {} },
      { id: "EXT1", tags: { "resilient-edge:experiment": `staging/${name}` } },
    ],
  });
  fis.on(fisCommand(GetExperimentTemplateCommand), { id: "EXT1" }).resolves({
    experimentTemplate: { id: "EXT1", stopConditions: [{ source: "aws:cloudwatch:alarm", value: DLQ_ALARM }] },
  });
  fis.on(fisCommand(StartExperimentCommand)).callsFake(() => {
    injector.start(ms, longestMs);
    return { experiment: { id: "EXP1", state: { status: "initiating" } } };
  });
  let stopped = false;
  fis.on(fisCommand(GetExperimentCommand)).callsFake(() => ({
    experiment: { id: "EXP1", state: { status: injector.active ? "running" : stopped ? "stopped" : "completed" } },
  }));
  fis.on(fisCommand(StopExperimentCommand)).callsFake(() => {
    stopped = true;
    injector.stop();
  });
  cloudwatch.reset();
  cloudwatch
    .on(DescribeAlarmsCommand)
    .resolves({ MetricAlarms: [{ AlarmName: "gd-dlq-visible-messages", StateValue: "OK" }] });
}
