/**
 * ISO 8601 durations as FIS takes them (`PT1M` is one minute: FIS actions reference), limited to hours, minutes and
 * seconds: an experiment lasts at most 12 hours (FIS quota), so days and larger units have no use here.
 */
const DURATION = /^PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/;

/** The seconds of `text` (`PT5M` -> 300), or undefined when it is not such a duration. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [h, min, s] = [m[1], m[2], m[3]].map((part) => (part === undefined ? 0 : Number(part)));
  return h * 3600 + min * 60 + s;
}

/** The shortest ISO 8601 text of a whole number of seconds (390 -> `PT6M30S`). */
export function isoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const text = `${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s ? `${s}S` : ""}`;
  return `PT${text || "0S"}`;
}

/** The pattern, for JSON Schema (docs/env-reference.md). */
export const ISO_DURATION_PATTERN = DURATION.source;
