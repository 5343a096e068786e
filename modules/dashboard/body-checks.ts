import { DASHBOARD_LIMITS } from "./defaults";
import { METRIC_CATALOGUE, STATISTIC } from "./metric-catalogue";

/**
 * The checks a dashboard body passes before it reaches Terraform: widget geometry on the 24-column grid, every
 * metric's namespace, name and dimensions against the catalogue, statistics and periods CloudWatch accepts, and
 * CloudWatch's size limits. Pure: it reads the body as PutDashboard would (the synthesized JSON, or the object).
 * Every problem is returned, each as `<path>: <what is wrong>`.
 */
export function dashboardBodyProblems(body: unknown): string[] {
  const widgets = (body as { widgets?: unknown })?.widgets;
  if (!Array.isArray(widgets)) return ["widgets: expected an array of widgets"];
  const problems: string[] = [];
  if (widgets.length > DASHBOARD_LIMITS.widgets)
    problems.push(`widgets: ${widgets.length} widgets; a dashboard holds at most ${DASHBOARD_LIMITS.widgets}`);
  for (const [i, w] of widgets.entries())
    problems.push(...geometryProblems(w, `widgets[${i}]`), ...contentProblems(w, `widgets[${i}]`));
  problems.push(...overlapProblems(widgets));
  return problems;
}

type Raw = Record<string, unknown>;

const isInt = (v: unknown, min: number, max: number) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** x, y, width and height: integers, on the grid. */
function geometryProblems(w: Raw, at: string): string[] {
  const { gridColumns, height } = DASHBOARD_LIMITS;
  const out: string[] = [];
  if (!isInt(w.width, 1, gridColumns)) out.push(`${at}.width: expected an integer 1-${gridColumns}, got ${w.width}`);
  if (!isInt(w.height, height.min, height.max))
    out.push(`${at}.height: expected an integer ${height.min}-${height.max}, got ${w.height}`);
  if (!isInt(w.x, 0, gridColumns - 1)) out.push(`${at}.x: expected an integer 0-${gridColumns - 1}, got ${w.x}`);
  if (!isInt(w.y, 0, Number.MAX_SAFE_INTEGER)) out.push(`${at}.y: expected an integer >= 0, got ${w.y}`);
  if (out.length === 0 && (w.x as number) + (w.width as number) > gridColumns)
    out.push(`${at}: x ${w.x} + width ${w.width} runs past the grid's ${gridColumns} columns`);
  return out;
}

/** Widgets sharing a cell: CloudWatch would move one of them, so the dashboard would not read as laid out. */
function overlapProblems(widgets: readonly Raw[]): string[] {
  const out: string[] = [];
  const box = (w: Raw) =>
    [w.x, w.y, (w.x as number) + (w.width as number), (w.y as number) + (w.height as number)] as number[];
  for (let i = 0; i < widgets.length; i++) {
    const [ax, ay, ax2, ay2] = box(widgets[i]);
    for (let j = i + 1; j < widgets.length; j++) {
      const [bx, by, bx2, by2] = box(widgets[j]);
      if (ax < bx2 && bx < ax2 && ay < by2 && by < ay2) out.push(`widgets[${j}]: overlaps widgets[${i}]`);
    }
  }
  return out;
}

/** What each widget type must hold. */
const CONTENT_CHECKS: Readonly<Record<string, (p: Raw, at: string) => string[]>> = {
  metric: metricWidgetProblems,
  text: (p, at) => (typeof p.markdown === "string" && p.markdown.length > 0 ? [] : [`${at}.markdown: expected text`]),
  alarm: alarmWidgetProblems,
  log: (p, at) =>
    [
      typeof p.query === "string" && p.query.startsWith("SOURCE '")
        ? ""
        : `${at}.query: expected SOURCE '<log group>' | ...`,
      typeof p.region === "string" && p.region ? "" : `${at}.region: expected the log group's region`,
    ].filter(Boolean),
};

function contentProblems(w: Raw, at: string): string[] {
  const check = CONTENT_CHECKS[w.type as string];
  if (!check) return [`${at}.type: expected one of ${Object.keys(CONTENT_CHECKS).join(", ")}, got ${w.type}`];
  const properties = w.properties as Raw | undefined;
  if (!properties || typeof properties !== "object") return [`${at}.properties: expected an object`];
  return check(properties, `${at}.properties`);
}

function alarmWidgetProblems(p: Raw, at: string): string[] {
  const alarms = p.alarms;
  const max = DASHBOARD_LIMITS.alarmsPerWidget;
  if (!Array.isArray(alarms) || alarms.length < 1 || alarms.length > max)
    return [`${at}.alarms: expected 1-${max} alarm ARNs, got ${Array.isArray(alarms) ? alarms.length : typeof alarms}`];
  return alarms.flatMap((a, i) => (typeof a === "string" && a ? [] : [`${at}.alarms[${i}]: expected an alarm ARN`]));
}

/** A graph: a region, a period CloudWatch accepts, and 1-500 metrics each in the catalogue. */
function metricWidgetProblems(p: Raw, at: string): string[] {
  const out: string[] = [];
  if (typeof p.region !== "string" || !p.region) out.push(`${at}.region: expected the metrics' region`);
  out.push(...periodProblems(p.period, `${at}.period`));
  const metrics = p.metrics;
  const max = DASHBOARD_LIMITS.metricsPerWidget;
  if (!Array.isArray(metrics) || metrics.length < 1 || metrics.length > max)
    return [...out, `${at}.metrics: expected 1-${max} metrics`];
  for (const [i, m] of metrics.entries()) out.push(...metricProblems(m, `${at}.metrics[${i}]`));
  return out;
}

/** AWS's metrics are published each minute: a period is a multiple of 60 s (seconds below a minute need high-resolution custom metrics). */
function periodProblems(period: unknown, at: string): string[] {
  return Number.isInteger(period) && (period as number) > 0 && (period as number) % 60 === 0
    ? []
    : [`${at}: expected a multiple of 60 seconds, got ${period}`];
}

/** One metric array: `[namespace, name, dim, value, ..., {stat}]` against the catalogue. */
export function metricProblems(m: unknown, at: string): string[] {
  if (!Array.isArray(m) || m.length < 3) return [`${at}: expected [namespace, metric, ...dimensions, {stat}]`];
  const [namespace, name, ...rest] = m as unknown[];
  const options = rest.at(-1) as Raw;
  const pairs = rest.slice(0, -1);
  const entry = METRIC_CATALOGUE[namespace as string];
  if (!entry) return [`${at}: namespace ${namespace} is not in the metric catalogue`];
  const sets = entry.metrics[name as string];
  if (!sets) return [`${at}: ${namespace} has no metric ${name} (${entry.source})`];
  const out: string[] = [];
  if (typeof options !== "object" || options === null || !STATISTIC.test(String(options.stat)))
    out.push(`${at}: expected a statistic (Sum, Average, Minimum, Maximum, SampleCount or pNN), got ${options?.stat}`);
  const names = pairs.filter((_, i) => i % 2 === 0).map(String);
  const values = pairs.filter((_, i) => i % 2 === 1);
  if (pairs.length % 2 !== 0 || values.some((v) => typeof v !== "string" || v.length === 0))
    out.push(`${at}: expected dimension name/value pairs with non-empty values`);
  const key = [...names].sort().join(",");
  if (!sets.some((s) => s.join(",") === key))
    out.push(
      `${at}: ${namespace} ${name} is not published with dimensions [${names.join(", ")}]; AWS publishes it with ${sets.map((s) => `[${s.join(", ")}]`).join(" or ")} (${entry.source})`,
    );
  return out;
}
