import { z } from "zod";
import { tagsSchema } from "../shared/aws-tags";
import { type Assert, type SchemaMatchesProps, tokenOr } from "../shared/module-schema";
import { logRetentionDaysSchema } from "../redrive/redrive-schema";
import { valueChecks } from "../shared/zod-problems";
import { pollingFields } from "./readiness";

/** Props of FaultInjection. */
export interface FaultInjectionProps {
  /** Name stem of the module's resources and experiments' tags (1-32 lower-case letters, digits, '-'); required. */
  readonly name: string;
  /** The environment is production: experiments then need `allowInProduction`. @default false */
  readonly production?: boolean;
  /** A production environment may carry experiments (a deliberate opt-in). @default false: none in production */
  readonly allowInProduction?: boolean;
  /** The extension's poll interval while no fault runs, seconds (20-900). @default 60 (AWS's default) */
  readonly slowPollIntervalSeconds?: number;
  /** Milliseconds an invocation waits for an in-flight poll (0-10000). @default 2000 (AWS's advice with preventExecution) */
  readonly pollMaxWaitMilliseconds?: number;
  /** A pinned extension layer version ARN per architecture. @default resolved from AWS's public SSM parameter */
  readonly layerArns?: { readonly arm64?: string; readonly x86_64?: string };
  /** Experiment log retention in days (a CloudWatch Logs value). @default 90 */
  readonly logRetentionDays?: number;
  /** Tags of every resource. @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

const LAYER_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]{1,140}:\d+$/;
const layerArn = tokenOr(LAYER_ARN, "expected a Lambda layer version ARN (…:layer:<name>:<version>)");

/** Each field's rule, shared by the module and the env file's `faultInjection`. */
export const faultInjectionFields = {
  production: z.boolean().optional(),
  allowInProduction: z.boolean().optional(),
  ...pollingFields,
  layerArns: z.strictObject({ arm64: layerArn.optional(), x86_64: layerArn.optional() }).optional(),
  logRetentionDays: logRetentionDaysSchema.optional(),
} as const;

/** Nothing in production without the opt-in. */
export function productionRule(p: { production?: boolean; allowInProduction?: boolean }, ctx: z.RefinementCtx) {
  valueChecks(ctx).check(
    p.production !== true || p.allowInProduction === true,
    "allowInProduction",
    "this is a production environment: fault-injection experiments need allowInProduction: true (a deliberate opt-in)",
  );
}

export const faultInjectionPropsSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, {
      message: "expected 1-32 lower-case letters, digits and '-', starting with a letter",
    }),
    ...faultInjectionFields,
    tags: tagsSchema(0).optional(),
  })
  .superRefine(productionRule);

export type _FaultInjectionSchemaMatchesProps = Assert<
  SchemaMatchesProps<z.input<typeof faultInjectionPropsSchema>, FaultInjectionProps>
>;
