/**
 * AWS's tag rules, as its services document them (for example
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html#tag-conventions): a key of 1-128
 * and a value of 0-256 Unicode characters, made of letters, digits, white space and `_ . : / = + - @`,
 * neither starting with the reserved `aws:` (any case), at most 50 tags on a resource. Characters are
 * counted as Unicode characters (code points), so a lone surrogate or a control character is refused
 * by the character class, not miscounted.
 */
import { z } from "zod";

/** Letters, digits, white space and `_ . : / = + - @`. */
const TAG_CHARACTERS = /^[\p{L}\p{M}\p{N}\p{Zs} _.:/=+\-@]*$/u;
/** Tags AWS allows on one resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

const length = (s: string) => [...s].length;

function tagText(what: "key" | "value", min: number, max: number) {
  return z
    .string()
    .refine((s) => length(s) >= min && length(s) <= max, {
      message: `expected a tag ${what} of ${min}-${max} characters`,
    })
    .refine((s) => TAG_CHARACTERS.test(s), {
      message: `expected a tag ${what} of letters, digits, spaces and _ . : / = + - @ (no control characters or lone surrogates)`,
    })
    .refine((s) => !/^aws:/i.test(s), { message: `a tag ${what} must not start with "aws:" (reserved for AWS)` });
}

/** A tag key AWS accepts. */
export const tagKeySchema = tagText("key", 1, 128);
/** A tag value AWS accepts. */
export const tagValueSchema = tagText("value", 0, 256);

/** Tags AWS accepts, leaving `reserved` of the 50 a resource may carry to the module's own tags. */
export function tagsSchema(reserved: number) {
  const max = MAX_TAGS_PER_RESOURCE - reserved;
  return z.record(tagKeySchema, tagValueSchema).refine((t) => Object.keys(t).length <= max, {
    message: `expected at most ${max} tags (AWS allows ${MAX_TAGS_PER_RESOURCE} on a resource; the stack adds ${reserved})`,
  });
}
