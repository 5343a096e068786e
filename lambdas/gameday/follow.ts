/**
 * Follows an experiment while the game day runs: its state and its stop-condition alarms, each change told once; a
 * stop (Ctrl-C) is asked of FIS once; done when FIS reports a final state.
 */
import type { AlarmPort, ExperimentPort, ExperimentState } from "./ports";

const FINAL = new Set(["completed", "stopped", "failed", "cancelled"]);

export interface FollowResult {
  readonly state: ExperimentState;
  /** Alarms that were in ALARM at some point while following. */
  readonly alarmsFired: readonly string[];
}

export interface Follower {
  /** Resolves once the experiment runs (or ended before it could). */
  readonly running: Promise<void>;
  readonly done: Promise<FollowResult>;
  /** Asks FIS to stop the experiment (once). */
  stop(): Promise<void>;
}

/** The alarm's name in its ARN (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`). */
export const alarmName = (arn: string) => arn.slice(arn.indexOf(":alarm:") + ":alarm:".length);

export function follow(
  id: string,
  alarmArns: readonly string[],
  ports: { experiments: ExperimentPort; alarms: AlarmPort },
  o: { pollMs: number; sleep: (ms: number) => Promise<void>; tell: (line: string) => void },
): Follower {
  const names = alarmArns.map(alarmName);
  const seen = new Map<string, string>();
  const fired = new Set<string>();
  let stopping: Promise<void> | undefined;
  let markRunning: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (markRunning = resolve));
  const watchAlarms = async () => {
    for (const [name, state] of await ports.alarms.states(names)) {
      if (seen.get(name) !== state) o.tell(`alarm ${name}: ${state}`);
      seen.set(name, state);
      if (state === "ALARM") fired.add(name);
    }
  };
  const loop = async (): Promise<FollowResult> => {
    let last = "";
    for (;;) {
      const state = await ports.experiments.state(id);
      if (state.status !== last) o.tell(`experiment ${id}: ${state.status}${state.reason ? ` (${state.reason})` : ""}`);
      last = state.status;
      await watchAlarms();
      if (state.status === "running" || FINAL.has(state.status)) markRunning();
      if (FINAL.has(state.status)) return { state, alarmsFired: [...fired] };
      await o.sleep(o.pollMs);
    }
  };
  const done = loop();
  done.catch(() => markRunning());
  return {
    running,
    done,
    stop: () => (stopping ??= ports.experiments.stop(id).then(() => o.tell(`experiment ${id}: stop asked`))),
  };
}
