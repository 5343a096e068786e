/** The game day's result for people (a table and a verdict) and for machines (JSON, one object). */
import type { GamedayReport } from "./gameday";
import type { Reconciliation } from "./reconcile";

const row = (label: string, value: string | number) => `  ${label.padEnd(38)} ${value}`;

/** At most `max` ids, then how many more. */
function ids(list: readonly string[], max = 20): string {
  return list.length <= max ? list.join(", ") : `${list.slice(0, max).join(", ")} and ${list.length - max} more`;
}

function rows(r: Reconciliation): string[] {
  const rejected = Object.entries(r.rejected);
  const dlq = Object.entries(r.inDeadLetterQueue);
  return [
    row("sent", r.sent),
    row("accepted by the API", r.accepted),
    ...rejected.map(([status, list]) => row(`rejected (${status === "0" ? "no answer" : status})`, list.length)),
    row("processed (found in the state table)", r.processed),
    ...(dlq.length ? dlq.map(([name, list]) => row(`in the DLQ ${name}`, list.length)) : [row("in a DLQ", 0)]),
    row("still queued (not settled)", r.unsettled.length),
    row("missing", r.missing.length),
  ];
}

function verdict(report: GamedayReport): string[] {
  const r = report.reconciliation;
  if (r.missing.length > 0) return [`MISSING: ${r.missing.length} accepted order(s) were lost: ${ids(r.missing)}`];
  if (r.unsettled.length > 0)
    return [
      `NOT PROVEN: the queue had not drained; ${r.unsettled.length} order(s) not yet found: ${ids(r.unsettled)}`,
      "Run the reconciliation again later (the same run id), or raise --settle-timeout.",
    ];
  const held = Object.entries(r.inDeadLetterQueue);
  return [
    "Every accepted order is accounted for: nothing is missing.",
    ...held.map(
      ([name, list]) =>
        `${list.length} order(s) wait in ${name}: npm run -s redrive -- --queue-url <its URL> --to <the route's queue URL> (docs/gameday.md)`,
    ),
  ];
}

export function humanReport(report: GamedayReport): string {
  const e = report.experiment;
  const lines = [
    `Game day ${report.env} / ${e.name}: run ${report.runId}, experiment ${e.id} ${e.state.status}${e.state.reason ? ` (${e.state.reason})` : ""}`,
    `Orders to ${report.route}:`,
    ...(report.beforeRedrive
      ? [
          "Before the redrive:",
          ...rows(report.beforeRedrive),
          `After the redrive (${report.redrive!.replayed} replayed, ${report.redrive!.failed} failed):`,
        ]
      : []),
    ...rows(report.reconciliation),
    `Alarms that fired: ${e.alarmsFired.length ? e.alarmsFired.join(", ") : "none"}`,
    ...verdict(report),
  ];
  return `${lines.join("\n")}\n`;
}

export function jsonReport(report: GamedayReport): string {
  return `${JSON.stringify(report)}\n`;
}
