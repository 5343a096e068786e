import type { z } from "zod";
import { OUTBOX_DEFAULTS } from "./defaults";
import type { outboxPropsSchema } from "./outbox-schema";

/** The pipes' settings with every default applied. */
export interface OutboxPipeSettings {
  readonly startingPosition: "TRIM_HORIZON" | "LATEST";
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  readonly parallelizationFactor: number;
  readonly logLevel: "ERROR" | "INFO" | "TRACE";
  readonly includeExecutionData: boolean;
  /** Tags of the pipes. @default none */
  readonly tags?: Record<string, string>;
}

/** The settings of parsed props, defaults from OUTBOX_DEFAULTS. */
export function pipeSettings(p: z.output<typeof outboxPropsSchema>): OutboxPipeSettings {
  const d = OUTBOX_DEFAULTS;
  return {
    startingPosition: p.startingPosition ?? d.startingPosition,
    batchSize: p.batchSize ?? d.batchSize,
    maximumBatchingWindowSeconds: p.maximumBatchingWindowSeconds ?? d.maximumBatchingWindowSeconds,
    maximumRetryAttempts: p.maximumRetryAttempts ?? d.maximumRetryAttempts,
    maximumRecordAgeSeconds: p.maximumRecordAgeSeconds ?? d.maximumRecordAgeSeconds,
    parallelizationFactor: p.parallelizationFactor ?? d.parallelizationFactor,
    logLevel: p.logLevel ?? d.logLevel,
    includeExecutionData: p.includeExecutionData ?? false,
    tags: p.tags ? { ...p.tags } : undefined,
  };
}
