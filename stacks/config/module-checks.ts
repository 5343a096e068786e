import { EventRouting } from "../../modules/events/event-routing";
import { PropsError } from "../../modules/shared/validation";
import { eventRoutingProps } from "./event-routing-props";
import { REDRIVE_CONFIG_NAMES } from "./redrive";
import type { ConfigProblem } from "./errors";
import type { LoadedEnvironment } from "./loaded-environment";

/**
 * Config validation runs the modules' own validators on the props the stacks will compose, so
 * whatever a module would reject (limits that combine fields, such as the environment name plus a
 * target name in a generated IAM role name) is rejected first, as `env/<file>: <config path>: ...`.
 * The module owns each rule; this file only composes the props and maps props paths to config paths.
 */
export function moduleProblems(env: LoadedEnvironment): ConfigProblem[] {
  // The API front door's props are the `api` section itself (stacks/api-front-door.ts): the environment schema
  // composes the module's own schema (stacks/config/api.ts), so its problems are already reported at `api.<props path>`.
  return problemsOf(env, "events", () =>
    EventRouting.validateProps("events", eventRoutingProps(env, PLACEHOLDER_TOPIC)),
  );
}

/**
 * Turns a PropsError thrown while building an environment's stack into config problems against
 * the environment's file (the safety net for any module rule the checks above do not reach).
 */
export function problemsFromPropsError(env: LoadedEnvironment, err: PropsError): ConfigProblem[] {
  const section = SECTION_OF_CONSTRUCT[err.construct.split(" ")[0]];
  return err.problems.map((text) => {
    const { path, message } = splitProblem(text);
    // A construct nested inside a module: its props paths are not config paths, so name it instead.
    if (section === undefined) return { file: env.file, path: "", message: `${err.construct}: ${path}: ${message}` };
    return { file: env.file, path: configPath(section, path), message };
  });
}

/** The env file section each top-level module of an EnvironmentStack is built from. */
const SECTION_OF_CONSTRUCT: Readonly<Record<string, string>> = {
  EventRouting: "events",
  RestApiFrontDoor: "api",
  RedriveFunction: "redrive",
  AlarmTopic: "alarms",
};

// Alarm topics are Terraform references at synth time; validation only needs a well-formed value.
const PLACEHOLDER_TOPIC = "arn:aws:sns:us-east-1:000000000000:alarms";

function problemsOf(env: LoadedEnvironment, section: string, validate: () => void): ConfigProblem[] {
  try {
    validate();
    return [];
  } catch (err) {
    if (!(err instanceof PropsError)) throw err;
    return err.problems.map((text) => {
      const { path, message } = splitProblem(text);
      return { file: env.file, path: configPath(section, path), message };
    });
  }
}

function splitProblem(text: string): { path: string; message: string } {
  const at = text.indexOf(": ");
  return at < 0 ? { path: "", message: text } : { path: text.slice(0, at), message: text.slice(at + 2) };
}

/** EventRouting props that are not spelled as in the `events` section. */
const EVENT_ROUTING_PATHS: ReadonlyArray<[RegExp, string]> = [
  [/^namePrefix$/, ""],
  [/^region$/, "account.region"],
  [/^accountId$/, "account.id"],
  [/^alarmTopicArn$/, "alarms"],
  [/^eventBus\b/, "events.bus"],
  [/^defaultRetryPolicy\b/, "events.defaults.retryPolicy"],
  [/^defaultEncryption\b/, "events.defaults.encryption"],
  [/^defaultMaxReceiveCount\b/, "events.defaults.maxReceiveCount"],
  [/^dlqOldestMessageAgeAlarmSeconds\b/, "events.alarms.dlqOldestMessageAgeSeconds"],
];

/** Maps a module props path to the env file's path (`rules[0].targets[1].name` -> `events.rules[0].targets[1].name`). */
export function configPath(section: string, propsPath: string): string {
  if (section === "events") {
    for (const [pattern, replacement] of EVENT_ROUTING_PATHS) {
      if (pattern.test(propsPath)) return propsPath.replace(pattern, replacement);
    }
  }
  if (section === "redrive") propsPath = propsPath.replace(/^\w+/, (name) => REDRIVE_CONFIG_NAMES[name] ?? name);
  if (!section) return propsPath;
  return propsPath ? `${section}.${propsPath}` : section;
}
