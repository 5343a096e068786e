import { z } from "zod";
import { tagsSchema, tagValueSchema } from "../../modules/shared/aws-tags";
import { alarmTopicFields } from "../../modules/alarms/alarm-topic-schema";
import { accountId, iamRoleArn, kmsKeyArn, region, s3BucketName } from "./primitives";
import { eventsSchema } from "./events";
import { apiSchema } from "./api";
import { redriveSchema } from "./redrive";
import { consumerProblems, consumersSchema } from "./consumers";
import { deliverySchema } from "./delivery";
import { outboxSchema, outboxWriterProblems } from "./outbox";
import { sagasSchema } from "./sagas";
import { faultInjectionSchema } from "./fault-injection";
import { type FaultInjectionEnv, faultInjectionProblems } from "./fault-injection-refs";

/** Where and how an environment is deployed: one AWS account, one region, one deploy role. */
export const accountSchema = z.strictObject({
  id: accountId,
  region,
  deployRoleArn: iamRoleArn,
  externalId: z.string().min(2).max(1224).optional(),
});

/** The environment's Terraform remote state: S3 with S3-native locking, always encrypted. */
export const stateSchema = z.strictObject({
  bucket: s3BucketName,
  key: z.string().regex(/^[\w!.*'()/-]+\.tfstate$/, { message: "expected an S3 object key ending in .tfstate" }),
  region,
  kmsKeyArn: kmsKeyArn.optional(),
  roleArn: iamRoleArn.optional(),
});

/** Where alarms go: one SNS topic per environment (modules/alarms, AlarmTopic), optional e-mail subscribers. */
export const alarmsSchema = z.strictObject({ emails: alarmTopicFields.emails });

/** Free text that stays in the repository or a description field: bounded, so a pasted document is caught. */
const DESCRIPTION_MAX = 1024;

/** The shape of env/<name>.json, validated before anything is synthesized. */
export const environmentSchema = z
  .strictObject({
    $schema: z.string().optional(),
    description: z.string().max(DESCRIPTION_MAX).optional(),
    production: z.boolean().default(false),
    // The owner is the default tag `owner` of every resource: a tag value, and not empty.
    owner: tagValueSchema.refine((s) => s.length > 0, { message: "expected the owning team's name" }),
    account: accountSchema,
    state: stateSchema,
    // The stack adds environment, owner, managed-by and a module tag (api, ...) to every resource.
    tags: tagsSchema(4).default({}),
    alarms: alarmsSchema.default({ emails: [] }),
    api: apiSchema.optional(),
    events: eventsSchema,
    redrive: redriveSchema.optional(),
    consumers: consumersSchema.default([]),
    outbox: outboxSchema.optional(),
    sagas: sagasSchema.default([]),
    delivery: deliverySchema.optional(),
    faultInjection: faultInjectionSchema.optional(),
  })
  // Cross-field rules run even when a field has a type error (`when`), so every problem of a file shows in one run;
  // each rule reads only what it can (a malformed part is already reported by its own schema).
  .superRefine(
    (env, ctx) => {
      try {
        for (const p of consumerProblems(env.consumers ?? [], env.api))
          ctx.addIssue({ code: "custom", path: ["consumers", ...p.path], message: p.message });
      } catch {
        // The consumers or the api section are malformed: their own schemas say how.
      }
      try {
        for (const p of outboxWriterProblems(env.outbox, env.consumers ?? []))
          ctx.addIssue({ code: "custom", path: ["outbox", ...p.path], message: p.message });
      } catch {
        // The outbox or the consumers section is malformed: their own schemas say how.
      }
      try {
        for (const p of faultInjectionProblems(env as FaultInjectionEnv))
          ctx.addIssue({ code: "custom", path: ["faultInjection", ...p.path], message: p.message });
      } catch {
        // A section the references read is malformed: its own schema says how.
      }
      const tags = env.tags && typeof env.tags === "object" ? env.tags : {};
      for (const reserved of ["environment", "owner", "managed-by"]) {
        if (Object.hasOwn(tags, reserved)) {
          ctx.addIssue({
            code: "custom",
            path: ["tags", reserved],
            message: `"${reserved}" is set by the stack itself; remove it from tags`,
          });
        }
      }
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

/** A validated environment config, as the stacks consume it. */
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
