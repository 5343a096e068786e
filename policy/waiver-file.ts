import { readFileSync } from "node:fs";
import type { Waiver } from "./waiver";

/** A waiver file that cannot be used: every problem, each naming the file and the field. */
export class WaiverFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "WaiverFileError";
  }
}

const FIELDS = ["rule", "stacks", "path", "reason"];

/** The shape problems of one waiver entry (`[2].stacks: expected ...`); whether its rule exists or it matches is the engine's job. */
function entryProblems(entry: unknown, at: string): string[] {
  if (!entry || typeof entry !== "object" || Array.isArray(entry))
    return [`${at}: expected an object {rule, stacks, path, reason}, got ${JSON.stringify(entry)}`];
  const w = entry as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(w))
    if (!FIELDS.includes(key)) problems.push(`${at}.${key}: unknown field; expected only ${FIELDS.join(", ")}`);
  for (const key of ["rule", "path", "reason"]) {
    if (typeof w[key] !== "string" || (w[key] as string).length === 0)
      problems.push(`${at}.${key}: expected a non-empty string, got ${JSON.stringify(w[key])}`);
  }
  if (
    !Array.isArray(w.stacks) ||
    w.stacks.length === 0 ||
    !w.stacks.every((s) => typeof s === "string" && s.length > 0)
  ) {
    problems.push(`${at}.stacks: expected a non-empty list of stack names, got ${JSON.stringify(w.stacks)}`);
  }
  return problems;
}

/**
 * Reads an app's own waivers: a JSON array of `{ "rule", "stacks", "path", "reason" }` (or an object
 * with such an array under `waivers`). Throws WaiverFileError listing every problem as `<file>: <where>: <what>`.
 */
export function readWaiverFile(file: string): Waiver[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new WaiverFileError([
      `${file}: cannot read the waiver file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    ]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new WaiverFileError([`${file}: not valid JSON (${(err as Error).message})`]);
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === "object"
      ? (data as Record<string, unknown>).waivers
      : undefined;
  if (!Array.isArray(list))
    throw new WaiverFileError([`${file}: expected a JSON array of waivers (or {"waivers": [...]})`]);
  const problems = list.flatMap((entry, i) => entryProblems(entry, `[${i}]`)).map((p) => `${file}: ${p}`);
  if (problems.length > 0) throw new WaiverFileError(problems);
  return list as Waiver[];
}
