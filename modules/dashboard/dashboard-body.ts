import { DASHBOARD_DEFAULTS, DASHBOARD_LIMITS } from "./defaults";
import type { ParsedDashboardProps } from "./dashboard-schema";
import { layOut } from "./layout";
import { SECTIONS } from "./sections";
import { alarmStatus, heading, type PlacedWidget, type Widget } from "./widgets";

/** A dashboard body: what PutDashboard takes, as an object (JSON.stringify gives the string). */
export interface DashboardBody {
  readonly start: string;
  readonly periodOverride: "inherit";
  readonly widgets: readonly PlacedWidget[];
}

/**
 * The body of an operations dashboard: the alarms' states first (what an on-call operator looks at before anything
 * else), then the sections in the order a message travels, laid out on the grid. Each graph keeps its own period
 * (`periodOverride: inherit`), so a p99 over five minutes stays one.
 */
export function dashboardBody(
  props: ParsedDashboardProps,
  region: string,
  alarmArns: readonly string[],
): DashboardBody {
  const ctx = { props, region, periodSeconds: props.periodSeconds };
  const widgets: Widget[] = [...alarmWidgets(alarmArns), ...SECTIONS.flatMap((section) => section(ctx))];
  return { start: DASHBOARD_DEFAULTS.start, periodOverride: "inherit", widgets: layOut(widgets) };
}

/** The alarms' states, a hundred to a widget (CloudWatch's limit per alarm status widget). */
function alarmWidgets(alarmArns: readonly string[]): Widget[] {
  if (alarmArns.length === 0) return [];
  const per = DASHBOARD_LIMITS.alarmsPerWidget;
  const chunks = Array.from({ length: Math.ceil(alarmArns.length / per) }, (_, i) =>
    alarmArns.slice(i * per, (i + 1) * per),
  );
  return [
    heading(
      `## Alarms (${alarmArns.length})\nThose in ALARM come first. Each one names what to do in its description.`,
    ),
    ...chunks.map((chunk, i) =>
      alarmStatus(chunks.length > 1 ? `Alarms, part ${i + 1} of ${chunks.length}` : "Alarms", chunk),
    ),
  ];
}
