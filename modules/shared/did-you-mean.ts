/** "Did you mean": the known name closest to a misspelled one, or the list of known names. */

/** `did you mean "throttle"?` for a near miss, else the keys the object takes. */
export function suggestion(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const [k, c] = [key.toLowerCase(), candidate.toLowerCase()];
    // Same but for case, a prefix of the key meant (`memory` for `memorySize`), or a few edits away.
    const d = k === c ? 0 : k.length >= 4 && c.startsWith(k) ? 1 : distance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3))) return `did you mean "${best}"?`;
  return known.length > 0 ? `expected one of ${quoted(known)}` : "expected none";
}

/** Levenshtein distance (keys are short). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function quoted(values: readonly (string | number | boolean)[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}
