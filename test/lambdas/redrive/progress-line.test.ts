/** The progress line on a terminal: fitted to its width by dropping what matters least, never cut mid-word. */
import { humanDuration, progressLine } from "../../../lambdas/redrive/cli/progress-line";

const p = { received: 2860, replayed: 2600, wouldReplay: 0, skipped: 3, failed: 1, expected: 3000 };

describe("progress line", () => {
  it("shows everything with the bar when it fits: taken of expected, replayed, left, failed, rate, time to go", () => {
    expect(progressLine(p, 1300, 160)).toBe(
      "[#######################-]  95% 2860/~3000 taken, 2600 replayed, 3 left, 1 failed, 2200 msg/s, about 0 s to go",
    );
  });

  it("gives way in order: the bar, what was left, the rate, time to go, failures; the rest never cut mid-word", () => {
    const at = (columns: number) => progressLine(p, 1300, columns);
    expect(at(100)).toBe("2860/~3000 taken, 2600 replayed, 3 left, 1 failed, 2200 msg/s, about 0 s to go");
    expect(at(75)).toBe("2860/~3000 taken, 2600 replayed, 1 failed, 2200 msg/s, about 0 s to go");
    expect(at(60)).toBe("2860/~3000 taken, 2600 replayed, 1 failed, about 0 s to go");
    expect(at(45)).toBe("2860/~3000 taken, 2600 replayed, 1 failed");
    expect(at(34)).toBe("2860/~3000 taken, 2600 replayed");
    for (const columns of [20, 34, 45, 60, 75, 100, 160]) expect(at(columns).length).toBeLessThan(columns);
  });

  it("says how long is left in words, and nothing about it when the DLQ's depth is unknown", () => {
    expect([45, 200, 7500].map(humanDuration)).toEqual(["45 s", "3 min 20 s", "2 h 5 min"]);
    expect(progressLine({ ...p, received: 100, expected: 3000 }, 10_000, 200)).toContain("about 4 min 50 s to go");
    expect(progressLine({ ...p, expected: undefined }, 1300, 200)).toBe(
      "2860 taken, 2600 replayed, 3 left, 1 failed, 2200 msg/s",
    );
  });
});
