import { join } from "node:path";
import { longFunctions, MAX_FUNCTION_LINES, projectLongFunctions } from "./function-length";

/** Functions outside tests fit on one screen (MAX_FUNCTION_LINES): constructors call create* parts, engines name their steps. */
describe(`functions outside tests are at most ${MAX_FUNCTION_LINES} lines`, () => {
  it("no function, method, constructor or arrow function in modules/, lambdas/, stacks/, policy/, scripts/, bench/ is longer", () => {
    const found = projectLongFunctions(join(__dirname, "..", ".."));
    expect(found.map((f) => `${f.id} (line ${f.line}) is ${f.lines} lines: split it into named parts`)).toEqual([]);
  });

  it("measures what a reader sees: methods, constructors, arrows and nested functions, by name", () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  x(${i});`).join("\n");
    const text = [
      `class Stack { constructor() {\n${body(60)}\n} short() { return 1; } }`,
      `const build = () => {\n${body(59)}\n};`,
      `function outer() {\n function inner() {\n${body(61)}\n }\n}`,
    ].join("\n");
    expect(longFunctions("x.ts", text).map((f) => [f.id, f.lines])).toEqual([
      ["x.ts:Stack.constructor", 62],
      ["x.ts:build", 61],
      ["x.ts:outer", 65],
      ["x.ts:inner", 63],
    ]);
    expect(longFunctions("x.ts", `function fits() {\n${body(58)}\n}`)).toEqual([]);
  });
});
