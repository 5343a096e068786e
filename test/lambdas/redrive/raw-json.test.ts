import { memberText } from "../../../lambdas/redrive/engine/raw-json";

describe("memberText", () => {
  it("returns a member's value exactly as written: digits, exponents, spacing and duplicate keys survive", () => {
    const detail = '{ "id": 12345678901234567890123, "x": 1e400, "k": 1, "k": 2, "s": "a \\"}\\" b", "n": [ {}, [] ] }';
    expect(memberText(` {"source":"a", "detail" : ${detail} ,"time":"t"}\n`, "detail")).toBe(detail);
  });

  it("takes the last of duplicate top-level keys (as JSON.parse does) and only top-level ones", () => {
    expect(memberText('{"detail":1,"x":{"detail":2},"detail":"last"}', "detail")).toBe('"last"');
    expect(memberText('{"x":{"detail":2}}', "detail")).toBeUndefined();
  });

  it.each([["[1]"], ['{"detail":1'], ['{"detail":1} x'], ["{}"], ['"detail"'], ['{"detail":tru}']])(
    "is undefined for %s (not an object with that member)",
    (text) => {
      expect(memberText(text, "detail")).toBeUndefined();
    },
  );
});
