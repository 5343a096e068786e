/**
 * Every default and documented limit of the dashboard module, in one place, each with its reason or its source.
 */

/** Defaults of OperationsDashboard's props. */
export const DASHBOARD_DEFAULTS = Object.freeze({
  /** Each graph's period: five minutes, fine enough to see a spike and coarse enough to read a day at a glance. */
  periodSeconds: 300,
  /** The time range the dashboard opens on: the last three hours, one on-call shift's context. */
  start: "-PT3H",
  /**
   * What each DLQ's text tells an operator to run: the package's bin (`npx resilient-edge redrive`), in dry-run mode first,
   * so the first command copied from the dashboard changes nothing.
   */
  redriveCommand: "npx resilient-edge redrive",
});

/**
 * CloudWatch's documented bounds of a dashboard body
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
 * 0-500 widgets on a 24-column grid, widths 1-24, heights 1-1000, 1-100 alarm ARNs per alarm status widget, and
 * up to 500 metrics per graph. Dashboard names: up to 255 letters, digits, '-' and '_' (PutDashboard).
 */
export const DASHBOARD_LIMITS = Object.freeze({
  gridColumns: 24,
  widgets: 500,
  height: Object.freeze({ min: 1, max: 1000 }),
  alarmsPerWidget: 100,
  metricsPerWidget: 500,
  nameLength: 255,
});

/** Sizes the sections lay their widgets out with: three graphs to a row, each six rows high. */
export const DASHBOARD_LAYOUT = Object.freeze({
  graphWidth: 8,
  graphHeight: 6,
  headerHeight: 2,
  alarmHeight: 4,
});
