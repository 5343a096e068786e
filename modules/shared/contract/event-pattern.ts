/**
 * EventBridge event-pattern matching, for the operators the outbox's pipe filters use (the redrive applies a pipe's
 * own filter to the records it re-reads): exact values, `exists`, `anything-but` and `prefix`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html). Semantics
 * kept from the docs: the fields of a pattern must all match; a field's matchers are alternatives; a value that is an
 * array matches when one of its elements does; `exists` tests leaves; `anything-but` needs the field present.
 * Pure.
 */

/** Operators this matcher evaluates; a pattern using another is refused (never guessed). */
const OPERATORS = new Set(["exists", "anything-but", "prefix"]);

/** Why a pattern cannot be evaluated here, if it cannot (an unknown operator, a malformed field). */
export function unsupportedPatternPart(pattern: unknown, at = "$"): string | undefined {
  if (pattern === null || typeof pattern !== "object") return `${at} is not an object or a list of matchers`;
  if (Array.isArray(pattern)) {
    for (const m of pattern) {
      if (m === null || typeof m !== "object") continue;
      const ops = Object.keys(m);
      const unknown = ops.find((op) => !OPERATORS.has(op));
      if (ops.length !== 1 || unknown !== undefined) return `${at} uses ${ops.join(", ") || "an empty matcher"}`;
    }
    return undefined;
  }
  for (const [key, value] of Object.entries(pattern)) {
    if (key.startsWith("$")) return `${at}.${key} (${key} is not evaluated here)`;
    const problem = unsupportedPatternPart(value, `${at}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}

/** Whether one matcher accepts one (present, scalar) value. */
function scalarMatches(matcher: unknown, value: unknown): boolean {
  if (matcher === null || typeof matcher !== "object") return matcher === value;
  const m = matcher as Record<string, unknown>;
  if ("prefix" in m) return typeof value === "string" && typeof m.prefix === "string" && value.startsWith(m.prefix);
  if ("anything-but" in m) {
    const excluded = Array.isArray(m["anything-but"]) ? m["anything-but"] : [m["anything-but"]];
    return !excluded.includes(value);
  }
  return false;
}

/** Whether a field's matchers accept its value (undefined when absent). */
function fieldMatches(matchers: readonly unknown[], value: unknown): boolean {
  return matchers.some((matcher) => {
    if (matcher !== null && typeof matcher === "object" && "exists" in matcher) {
      const present = value !== undefined && (value === null || typeof value !== "object" || Array.isArray(value));
      return (matcher as { exists: unknown }).exists === present;
    }
    if (value === undefined) return false;
    const values = Array.isArray(value) ? value : [value];
    return values.some((v) => scalarMatches(matcher, v));
  });
}

/** Whether an event (here: a stream record in the pipe's JSON form) matches a pattern. */
export function matchesPattern(pattern: Readonly<Record<string, unknown>>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, sub]) => {
    const value =
      event !== null && typeof event === "object" && !Array.isArray(event)
        ? (event as Record<string, unknown>)[key]
        : undefined;
    // A missing object still lets `exists: false` beneath it match.
    return Array.isArray(sub) ? fieldMatches(sub, value) : matchesPattern(sub as Record<string, unknown>, value);
  });
}
