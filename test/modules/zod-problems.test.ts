import { z } from "zod";
import { PropsError } from "../../modules/shared/validation";
import { formatPath, zodProblems, PARSE_OPTIONS } from "../../modules/shared/zod-problems";
import { parseProps } from "../../modules/shared/parse-props";

const schema = z.strictObject({
  throttle: z.strictObject({ rateLimit: z.number().min(0), burstLimit: z.int().min(0) }),
  name: z.string(),
  memorySize: z.int().optional(),
});

describe("zod problems: the one formatter of props and config problems", () => {
  it("splits unknown keys into one problem each, with a suggestion from the keys the object takes", () => {
    const parsed = schema.safeParse(
      { throttle: { rateLimit: 1, burstLimit: 1, burstLimt: 2 }, name: "a", throtle: 1, memory: 1, zzzzzzzz: 1 },
      PARSE_OPTIONS,
    );
    expect(zodProblems(parsed.error!.issues)).toEqual([
      { path: "throttle.burstLimt", message: 'unknown field (did you mean "burstLimit"?)' },
      { path: "throtle", message: 'unknown field (did you mean "throttle"?)' },
      { path: "memory", message: 'unknown field (did you mean "memorySize"?)' },
      { path: "zzzzzzzz", message: 'unknown field (expected one of "throttle", "name", "memorySize")' },
    ]);
  });

  it("parseProps throws one PropsError naming the construct and every path, and returns the parsed value when valid", () => {
    expect(() => parseProps("Thing t", schema, { throttle: { rateLimit: -1 }, name: 3 })).toThrow(PropsError);
    try {
      parseProps("Thing t", schema, { throttle: { rateLimit: -1 }, name: 3 });
    } catch (err) {
      expect((err as PropsError).construct).toBe("Thing t");
      expect((err as PropsError).problems).toEqual([
        "throttle.rateLimit: expected a number >= 0, got -1",
        "throttle.burstLimit: required field is missing (expected a number)",
        "name: expected a string, got 3",
      ]);
    }
    expect(() => parseProps("Thing t", schema, null)).toThrow(/props: expected an object, got null/);
    expect(parseProps("Thing t", schema, { throttle: { rateLimit: 1, burstLimit: 2 }, name: "n" })).toEqual({
      throttle: { rateLimit: 1, burstLimit: 2 },
      name: "n",
    });
  });

  it("quotes a key that would not read as one", () => {
    expect(formatPath(["a", " b", 2, "c"])).toBe('a[" b"][2].c');
  });
});
