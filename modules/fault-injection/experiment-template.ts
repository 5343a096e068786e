import { FisExperimentTemplate } from "@cdktn/provider-aws/lib/fis-experiment-template";
import type { Construct } from "constructs";
import { EXPERIMENT_TAG } from "../shared/contract/game-day";
import { FAULT_INJECTION_DEFAULTS, FIS_LAMBDA_ACTIONS } from "./defaults";
import type { FaultExperimentProps } from "./experiment-schema";
import { durationSeconds, isoDuration } from "./iso-duration";

/** The tag a template is found by (`npm run gameday -- --env <env> --experiment <name>`): `<module name>/<name>`. */
export { EXPERIMENT_TAG };

/** Tags saying whether the template's environment is production, and whether it opted in (policy: fis-production-opt-in). */
export const PRODUCTION_TAG = "resilient-edge:production";
export const OPT_IN_TAG = "resilient-edge:allow-in-production";

/** The name of the template's single target (the action's `Functions` key points at it). */
const TARGET = "functions";

/** What a template is made of besides the experiment's own props. */
export interface TemplateContext {
  /** `<module name>-<experiment name>`. */
  readonly fullName: string;
  readonly moduleName: string;
  readonly roleArn: string;
  readonly logGroupArn: string;
  readonly slowPollIntervalSeconds: number;
  readonly production: boolean;
  readonly allowInProduction: boolean;
  readonly tags: Record<string, string>;
}

/** The action's parameters as FIS takes them (strings), defaults applied (FIS actions reference). */
export function actionParameters(e: FaultExperimentProps, slowPollSeconds: number): Record<string, string> {
  const d = FAULT_INJECTION_DEFAULTS;
  // Faults start up to one slow poll late (FIS user guide, "Understanding polling"): the window asked for comes after.
  // The schema admitted only a duration it could read.
  const seconds = durationSeconds(e.duration)! + slowPollSeconds;
  const out: Record<string, string> = {
    duration: isoDuration(seconds),
    invocationPercentage: String(e.invocationPercentage ?? d.invocationPercentage),
  };
  if (e.action === "invocation-add-delay")
    out.startupDelayMilliseconds = String(e.startupDelayMilliseconds ?? d.startupDelayMilliseconds);
  else out.preventExecution = String(e.preventExecution ?? d.preventExecution);
  if (e.action === "invocation-http-integration-response") {
    out.statusCode = String(e.statusCode);
    out.contentTypeHeader = e.contentTypeHeader ?? d.contentTypeHeader;
  }
  return out;
}

/**
 * One experiment template: the action on its functions by ARN (target key `Functions`, fixed in provider 6.22.0,
 * terraform-provider-aws #41208), a stop condition per alarm, logs to the module's encrypted log group (schema 2), a
 * single account, and no run at all when a function is gone (`empty_target_resolution_mode = fail`).
 */
export function createExperimentTemplate(
  scope: Construct,
  e: FaultExperimentProps,
  c: TemplateContext,
): FisExperimentTemplate {
  const parameters = actionParameters(e, c.slowPollIntervalSeconds);
  return new FisExperimentTemplate(scope, "template", {
    description:
      e.description ?? `${e.action} on ${e.functionArns.length} function(s), ${parameters.invocationPercentage} %`,
    roleArn: c.roleArn,
    action: [
      {
        name: e.action,
        actionId: FIS_LAMBDA_ACTIONS[e.action],
        parameter: Object.entries(parameters).map(([key, value]) => ({ key, value })),
        target: { key: "Functions", value: TARGET },
      },
    ],
    target: [
      { name: TARGET, resourceType: "aws:lambda:function", resourceArns: [...e.functionArns], selectionMode: "ALL" },
    ],
    stopCondition: e.stopAlarmArns.map((value) => ({ source: "aws:cloudwatch:alarm", value })),
    logConfiguration: { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: `${c.logGroupArn}:*` } },
    experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" },
    tags: {
      ...c.tags,
      Name: c.fullName,
      [EXPERIMENT_TAG]: `${c.moduleName}/${e.name}`,
      [PRODUCTION_TAG]: String(c.production),
      ...(c.production ? { [OPT_IN_TAG]: String(c.allowInProduction) } : {}),
    },
  });
}
