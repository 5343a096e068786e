import { z } from "zod";
import { describeValue } from "./zod-problems";

/**
 * Helpers of the modules that own a zod props schema (redrive, consumer, alarms): values that may be Terraform
 * tokens, the compile-time agreement of a schema with its documented props interface, and props parsing with the
 * checks no schema can make (files on disk), all reported in one PropsError.
 */

/** Whether a string holds a Terraform token (`${...}`): a value only known at apply time, checked there. */
export const isToken = (s: string): boolean => s.includes("${");

/**
 * A string matching `pattern`, or a Terraform token; otherwise the problem `<expected>, got <value>`. The JSON
 * Schema of it (docs/env-reference.md) shows the pattern.
 */
export function tokenOr(pattern: RegExp, expected: string) {
  return z
    .string()
    .superRefine((s, ctx) => {
      if (!isToken(s) && !pattern.test(s))
        ctx.addIssue({ code: "custom", message: `${expected}, got ${describeValue(s)}` });
    })
    .meta({ pattern: pattern.source });
}

// IAM matches a KMS key by its key ARN: an alias ARN in a policy's Resource grants nothing on the key.
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** A customer KMS key, by key ARN (or a token). */
export const kmsKeyArnSchema = tokenOr(
  KMS_KEY_ARN,
  "expected a KMS key ARN (not an alias) such as arn:aws:kms:eu-west-1:123456789012:key/<uuid>",
);

/** The SNS topic alarms publish to (or a token). */
export const snsTopicArnSchema = tokenOr(SNS_TOPIC_ARN, "expected an SNS topic ARN");

/** The raw value of a plain object's own field, or undefined (props from JavaScript may be anything). */
export function rawField(props: unknown, key: string): unknown {
  return props !== null && typeof props === "object" && Object.hasOwn(props, key)
    ? (props as Record<string, unknown>)[key]
    : undefined;
}

/**
 * `true` only when the schema's input and the props interface have the same fields, each optional alike and of the
 * same type (`readonly` aside). Declared beside a schema as `type _ = Assert<SchemaMatchesProps<...>>`, so tsc fails
 * as soon as a field is added to, renamed in or retyped in only one of them.
 */
export type SchemaMatchesProps<SchemaInput, Props> = Same<Deep<SchemaInput>, Deep<Props>>;

/** Accepts `true` only. */
export type Assert<T extends true> = T;

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The type with every array and property readonly, all the way down. */
type Deep<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? readonly Deep<E>[]
    : T extends object
      ? { readonly [K in keyof T]: Deep<T[K]> }
      : T;
