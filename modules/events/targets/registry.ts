import type { TargetKindName } from "../../shared/contract/target-kinds";
import type { TargetKind } from "./target-kind";

// biome-ignore lint/suspicious/noExplicitAny: a registry holds kinds of every options type.
export type AnyTargetKind = TargetKind<any>;

/** Lookups over a list of target kinds (./index.ts builds the module's one registry with it). */
export interface KindRegistry {
  /** The kind named `name`; throws naming the registered kinds when there is none. */
  targetKind(name: TargetKindName | string): AnyTargetKind;
  /** The registered kinds, in registry order. */
  targetKinds(): readonly AnyTargetKind[];
  /**
   * Names, after `<prefix>-`, of the queues the module creates for one target: its delivery DLQ (unless it uses an
   * existing queue) and the kind's own. Two targets must not share one: `orders` and `orders-dlq` would. Runs on
   * unvalidated props (the schema's uniqueness check): an unknown kind creates only its delivery DLQ.
   */
  createdQueueStems(target: {
    readonly kind: string;
    readonly name: string;
    readonly deadLetterQueue?: { readonly existingQueue?: unknown };
  }): string[];
}

/** The lookups of a registry of these kinds (names unique). */
export function kindRegistry(kinds: readonly AnyTargetKind[]): KindRegistry {
  const byName = new Map(kinds.map((k) => [k.kind as string, k]));
  if (byName.size !== kinds.length) throw new Error(`target kinds registered twice: ${kinds.map((k) => k.kind)}`);
  return {
    targetKind(name) {
      const kind = byName.get(name);
      if (!kind) throw new Error(`no target kind "${name}" (registered: ${[...byName.keys()].join(", ")})`);
      return kind;
    },
    targetKinds: () => [...byName.values()],
    createdQueueStems(target) {
      const stems = target.deadLetterQueue?.existingQueue ? [] : [`${target.name}-delivery-dlq`];
      const kind = byName.get(target.kind);
      return kind ? [...stems, ...kind.queueStems(target)] : stems;
    },
  };
}
