/**
 * The production confirmation for a person at a terminal: what the dry run found, in sentences, and the question.
 * (Not on a terminal, or with --json, it stays one JSON line, as every stderr line of the CLI.)
 */

export interface ConfirmFacts {
  readonly queueUrl: string;
  readonly environment: string;
  readonly account?: string;
  readonly wouldReplay: number;
  readonly leftInPlace: number;
  readonly wouldFail: number;
  readonly byErrorCode: Readonly<Record<string, number>>;
}

/** `TIMEOUT 10, THROTTLING 2`: largest first. */
function codes(byErrorCode: Readonly<Record<string, number>>): string {
  return Object.entries(byErrorCode)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code, n]) => `${code} ${n}`)
    .join(", ");
}

export function confirmText(f: ConfirmFacts): string {
  const found = codes(f.byErrorCode);
  return [
    `${f.queueUrl} belongs to the production environment "${f.environment}"${f.account ? ` (account ${f.account})` : ""}.`,
    `A dry run found ${f.wouldReplay} message(s) to replay${found ? ` (by error code: ${found})` : ""}, ${f.leftInPlace} that would be left in place and ${f.wouldFail} that would fail.`,
    `Replay them now? Type "yes" to continue: `,
  ].join("\n");
}
