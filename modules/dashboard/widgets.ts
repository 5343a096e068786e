import { DASHBOARD_LAYOUT, DASHBOARD_LIMITS } from "./defaults";

/**
 * The widgets a dashboard is made of, before layout gives them a place: their JSON is the dashboard body's
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
 */

/** A widget without its place on the grid. */
export interface Widget {
  readonly type: "metric" | "text" | "alarm" | "log";
  readonly width: number;
  readonly height: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A widget with its place: what the dashboard body holds. */
export interface PlacedWidget extends Widget {
  readonly x: number;
  readonly y: number;
}

/** One metric of a graph. */
export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
  /** The line's name in the legend. @default CloudWatch's (the metric's name and dimensions) */
  readonly label?: string;
}

/** Where and how a graph is drawn: the region its metrics live in and its period. */
export interface GraphContext {
  readonly region: string;
  readonly periodSeconds: number;
}

/**
 * The metrics of one resource: namespace, dimensions and statistic fixed, each metric named and labelled (with its own
 * statistic where it differs, as a latency's percentiles).
 */
export function metricsOf(namespace: string, dimensions: Readonly<Record<string, string>>, stat: string) {
  return (metricName: string, label: string, ownStat: string = stat): MetricSpec => ({
    namespace,
    metricName,
    dimensions,
    stat: ownStat,
    label,
  });
}

/** A metric in the body's array form: namespace, name, dimension name/value pairs, then its rendering options. */
export function metricArray(m: MetricSpec): unknown[] {
  const pairs = Object.entries(m.dimensions).flat();
  return [m.namespace, m.metricName, ...pairs, { stat: m.stat, ...(m.label ? { label: m.label } : {}) }];
}

/** A time-series graph of `metrics`. */
export function graph(title: string, metrics: readonly MetricSpec[], ctx: GraphContext, width?: number): Widget {
  return {
    type: "metric",
    width: width ?? DASHBOARD_LAYOUT.graphWidth,
    height: DASHBOARD_LAYOUT.graphHeight,
    properties: {
      title,
      view: "timeSeries",
      stacked: false,
      region: ctx.region,
      period: ctx.periodSeconds,
      metrics: metrics.map(metricArray),
    },
  };
}

/** Graphs of `metrics`, split so that none holds more than CloudWatch's 500 metrics per graph. */
export function graphs(title: string, metrics: readonly MetricSpec[], ctx: GraphContext): Widget[] {
  const per = DASHBOARD_LIMITS.metricsPerWidget;
  const parts = Math.ceil(metrics.length / per);
  return Array.from({ length: parts }, (_, i) =>
    graph(parts > 1 ? `${title} (${i + 1} of ${parts})` : title, metrics.slice(i * per, (i + 1) * per), ctx),
  );
}

/** A full-width line of markdown: a section's heading and what to read in it. */
export function heading(markdown: string, height: number = DASHBOARD_LAYOUT.headerHeight): Widget {
  return { type: "text", width: 24, height, properties: { markdown } };
}

/** A text widget of `width` columns. */
export function note(markdown: string, width: number, height: number = DASHBOARD_LAYOUT.graphHeight): Widget {
  return { type: "text", width, height, properties: { markdown } };
}

/** A CloudWatch Logs Insights query over `logGroupNames`, drawn as a time series. */
export function logQuery(title: string, logGroupNames: readonly string[], query: string, ctx: GraphContext): Widget {
  const source = logGroupNames.map((g) => `SOURCE '${g}'`).join(" | ");
  return {
    type: "log",
    width: DASHBOARD_LAYOUT.graphWidth,
    height: DASHBOARD_LAYOUT.graphHeight,
    properties: { title, region: ctx.region, view: "timeSeries", query: `${source} | ${query}` },
  };
}

/** An alarm status widget: the alarms' current states, those in ALARM first. */
export function alarmStatus(title: string, alarmArns: readonly string[]): Widget {
  return {
    type: "alarm",
    width: 24,
    height: DASHBOARD_LAYOUT.alarmHeight,
    properties: { title, alarms: [...alarmArns], sortBy: "stateUpdatedTimestamp" },
  };
}
