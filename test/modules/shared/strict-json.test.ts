/** The strict reading of a JSON text (modules/shared/strict-json.ts): what JSON.parse hides, with paths and lines. */
import { strictJsonProblems } from "../../../modules/shared/strict-json";

describe("strictJsonProblems", () => {
  it("finds nothing in clean JSON, whatever its strings hold ($ and % alone, escapes, unicode)", () => {
    const text = JSON.stringify(
      { a: ["$5", "50%", 'q"uote\\ {x}', "😀", { b: [1, -2.5e3, true, null] }], "": {} },
      null,
      2,
    );
    expect(strictJsonProblems(text)).toEqual([]);
  });

  it("a key twice in one object is reported with both lines; the same key in two objects is not", () => {
    const text = '{\n  "a": {"k": 1},\n  "b": {"k": 2},\n  "a": [ {"x": 1, "x": 2} ]\n}';
    expect(strictJsonProblems(text)).toEqual([
      { path: "a", line: 4, message: "duplicate key (lines 2 and 4): JSON keeps only the last one; remove one" },
      { path: "a[0].x", line: 4, message: "duplicate key (lines 4 and 4): JSON keeps only the last one; remove one" },
    ]);
  });

  it("names __proto__ keys, numbers beyond a double as written, and template sequences in keys and values", () => {
    const text = '{"t": {"__proto__": "x", "${k}": "v"}, "n": [1e309, -1e999], "s": "a %{ if x }"}';
    expect(strictJsonProblems(text).map((p) => [p.path, p.message.split(/[:(]/)[0].trim()])).toEqual([
      ["t.__proto__", 'the key "__proto__" is dropped by JavaScript objects'],
      ["t.${k}", 'key contains "${", which Terraform would evaluate as an expression'],
      ["n[0]", "1e309 is beyond a 64-bit number"],
      ["n[1]", "-1e999 is beyond a 64-bit number"],
      ["s", 'contains "%{", which Terraform would evaluate as an expression'],
    ]);
  });
});
