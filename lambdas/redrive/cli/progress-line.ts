/**
 * The CLI's progress line on a terminal, fitted to its width: what an operator needs most stays (taken of expected,
 * replayed, failed, time left), and the rest gives way first (the bar, then what was left in place, then the rate),
 * instead of the line being cut mid-word.
 */
import type { Progress } from "../engine/deps";

const BAR_WIDTH = 24;

/** Seconds as people read them: `45 s`, `3 min 20 s`, `2 h 5 min`. */
export function humanDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** The parts of the line in display order, each with its rank: the highest rank gives way first. */
function parts(p: Progress, rate: number, total: number | undefined): { text: string; rank: number }[] {
  const done = p.replayed + p.wouldReplay;
  const eta = total !== undefined && rate > 0 ? humanDuration(Math.max(0, total - p.received) / rate) : undefined;
  return [
    { text: `${p.received}${total ? `/~${total}` : ""} taken`, rank: 0 },
    { text: `${done} ${p.wouldReplay > 0 ? "would replay" : "replayed"}`, rank: 1 },
    { text: `${p.skipped} left`, rank: 5 },
    { text: `${p.failed} failed`, rank: 2 },
    { text: `${rate} msg/s`, rank: 4 },
    ...(eta ? [{ text: `about ${eta} to go`, rank: 3 }] : []),
  ];
}

/** The line for `p` after `elapsedMs`, at most `columns - 1` characters (the cursor's cell stays free). */
export function progressLine(p: Progress, elapsedMs: number, columns: number): string {
  const total = p.expected && p.expected > 0 ? p.expected : undefined;
  const rate = Math.round(p.received / Math.max(0.001, elapsedMs / 1000));
  const room = Math.max(10, columns - 1);
  const ratio = total ? Math.min(1, p.received / total) : 0;
  const filled = Math.round(ratio * BAR_WIDTH);
  const bar = total
    ? `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% `
    : "";
  let shown = parts(p, rate, total);
  const text = () => shown.map((x) => x.text).join(", ");
  if (bar.length + text().length <= room) return `${bar}${text()}`;
  while (text().length > room && shown.length > 1) {
    const drop = shown.reduce((a, b) => (b.rank > a.rank ? b : a));
    shown = shown.filter((x) => x !== drop);
  }
  return text().slice(0, room);
}
