import { z } from "zod";
import { sagaFields, sagaRules } from "../../modules/saga/saga-schema";

/**
 * The `sagas` section of env/<name>.json: sagas on Step Functions (modules/saga), each the module's props in the
 * environment's terms; the state machine is `<env>-<name>`, so an event rule starts it with a step-functions target
 * whose `stateMachineArn` is `arn:aws:states:<region>:<account>:stateMachine:<env>-<name>`.
 */
const f = sagaFields;

export const sagaConfigSchema = z
  .strictObject({
    /** The saga's name; its state machine is `<env>-<name>` (at most 20 characters). */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, {
      message: "expected a name of at most 20 lower-case letters, digits and '-', starting with a letter",
    }),
    steps: f.steps,
    kmsKeyArn: f.kmsKeyArn,
    logLevel: f.logLevel,
    includeExecutionData: f.includeExecutionData,
    logRetentionDays: f.logRetentionDays,
  })
  .superRefine(sagaRules);

export const sagasSchema = z.array(sagaConfigSchema).superRefine((sagas, ctx) => {
  const seen = new Map<string, number>();
  sagas.forEach((s, i) => {
    const first = seen.get(s.name);
    if (first !== undefined)
      ctx.addIssue({
        code: "custom",
        path: [i, "name"],
        message: `duplicate saga name "${s.name}" (also sagas[${first}])`,
      });
    else seen.set(s.name, i);
  });
});

/** A validated saga. */
export type SagaConfig = z.infer<typeof sagaConfigSchema>;
