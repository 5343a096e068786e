import { z } from "zod";
import { problemsFromZod } from "../../../stacks/config/errors";
import { configProblemsOf, exampleConfig } from "../../helpers/env-fixtures";

const problemsOf = configProblemsOf;

describe("problemsFromZod: invalid record keys", () => {
  it("names the bad key and what the key schema expected, at the key's own path (env tags)", () => {
    const dev = exampleConfig("dev");
    dev.tags = { ...dev.tags, "cost centre!": "x" };
    expect(problemsOf({ dev })).toEqual([
      {
        file: "dev.json",
        path: "tags.cost centre!",
        message:
          'invalid key "cost centre!": expected a tag key of letters, digits, spaces and _ . : / = + - @ (no control characters or lone surrogates)',
      },
    ]);
  });

  it("reports every rule a key breaks, without zod's generic 'Invalid key in record'", () => {
    const schema = z.strictObject({
      limits: z.record(
        z
          .string()
          .min(3)
          .regex(/^[a-z]+$/, { message: "expected lower-case letters" }),
        z.number(),
      ),
    });
    const result = schema.safeParse({ limits: { ok: 1, good: 2 } });
    expect(result.success).toBe(false);
    const problems = problemsFromZod("env/x.json", result.error!.issues);
    expect(problems).toEqual([
      { file: "env/x.json", path: "limits.ok", message: 'invalid key "ok": expected at least 3 character(s)' },
    ]);
    expect(problems.map((p) => p.message).join()).not.toMatch(/Invalid key in record/);
  });

  it("joins several expectations of one key", () => {
    const schema = z.record(
      z
        .string()
        .min(3)
        .regex(/^[a-z]+$/, { message: "expected lower-case letters" }),
      z.number(),
    );
    const result = schema.safeParse({ A: 1 });
    expect(problemsFromZod("f.json", result.error!.issues)).toEqual([
      {
        file: "f.json",
        path: "A",
        message: 'invalid key "A": expected at least 3 character(s); expected lower-case letters',
      },
    ]);
  });
});
