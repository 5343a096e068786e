import { createHash } from "node:crypto";

/** Characters of the stable hash a cut or lossy name carries. */
export const NAME_HASH_LENGTH = 8;

/** A short stable hash of `identity` (hex SHA-256 prefix). */
export function shortHash(identity: string): string {
  return createHash("sha256").update(identity).digest("hex").slice(0, NAME_HASH_LENGTH);
}

/**
 * A resource name of at most `max` characters ending in `suffix`, unique within the account by
 * construction. `stem + suffix` is used as it is when it fits and the stem says all there is to say;
 * otherwise the stem is cut and `-<hash>` of `identity` is added before the suffix, so two inputs
 * that share a long prefix, or that the stem cannot tell apart (`/items/{id}` and `/items/id` both
 * read `items-id`), still get two names. Pass `identity` whenever the stem loses information (it is
 * then always hashed); without it, the stem itself is hashed when cut.
 */
export function boundedName(stem: string, suffix: string, max: number, identity?: string): string {
  if (identity === undefined && stem.length + suffix.length <= max) return `${stem}${suffix}`;
  const hash = shortHash(identity ?? stem);
  const room = max - suffix.length - hash.length - 1;
  if (room < 1) throw new Error(`boundedName: no room for a stem in ${max} characters with suffix "${suffix}"`);
  return `${stem.slice(0, room).replace(/[-_.]+$/, "")}-${hash}${suffix}`;
}
