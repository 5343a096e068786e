/** The run's counters and its audit record, one outcome per message. */
import type { DeadLetterInfo } from "./decide";
import type { DlqMessage, OutcomeRecord, Outcome, SkipReason } from "./model";

/** Counters and the audit record of one run. */
export class Tally {
  received = 0;
  replayed = 0;
  wouldReplay = 0;
  failed = 0;
  notDeleted = 0;
  holdLapsed = 0;
  readonly skipped: Partial<Record<SkipReason, number>> = {};
  readonly byErrorCode: Record<string, number> = {};
  readonly byRuleArn: Record<string, number> = {};
  readonly byTargetArn: Record<string, number> = {};

  constructor(
    private readonly queueUrl: string,
    private readonly record?: (record: OutcomeRecord) => void,
  ) {}

  /** Counts a received message by error code, rule and target (from its attributes or earlier context). */
  receivedOne(msg: DlqMessage, info: DeadLetterInfo | null): void {
    this.received++;
    const attr = (name: string) => msg.messageAttributes[name]?.StringValue;
    const add = (map: Record<string, number>, key: string | null | undefined) =>
      (map[key ?? "none"] = (map[key ?? "none"] ?? 0) + 1);
    add(this.byErrorCode, info ? info.errorCode : attr("ERROR_CODE"));
    add(this.byRuleArn, info ? info.ruleArn : attr("RULE_ARN"));
    add(this.byTargetArn, info ? info.targetArn : attr("TARGET_ARN"));
  }

  get skippedTotal(): number {
    return Object.values(this.skipped).reduce((a, b) => a + (b ?? 0), 0);
  }

  emit(msg: DlqMessage, info: DeadLetterInfo | null, outcome: Outcome): void {
    if (outcome.outcome === "replayed") {
      this.replayed++;
      if (!outcome.deleted) this.notDeleted++;
      if (outcome.holdLapsed) this.holdLapsed++;
    } else if (outcome.outcome === "would-replay") this.wouldReplay++;
    else if (outcome.outcome === "skipped") this.skipped[outcome.reason] = (this.skipped[outcome.reason] ?? 0) + 1;
    else this.failed++;
    this.record?.({
      messageId: msg.messageId,
      sourceQueueUrl: this.queueUrl,
      errorCode: info?.errorCode ?? null,
      ruleArn: info?.ruleArn ?? null,
      targetArn: info?.targetArn ?? null,
      ...outcome,
    });
  }
}
