/** Adaptive concurrency: grows while throughput rises, steps back when it stops paying, halves on trouble, never above the maximum. */
import { isThrottling, Pacer } from "../../../lambdas/redrive/engine/pacer";

/** Drives a pacer through windows whose throughput is `rateOf(target)` messages/s; returns the targets seen. */
function drive(
  p: Pacer,
  rateOf: (lanes: number) => number,
  windows: number,
  trouble: (w: number) => boolean = () => false,
): number[] {
  let t = 0;
  const seen: number[] = [];
  for (let w = 0; w < windows; w++) {
    p.completed(Math.round((rateOf(p.target) * 250) / 1000));
    if (trouble(w)) p.trouble();
    t += 250;
    seen.push(p.tick(t));
  }
  return seen;
}

describe("Pacer", () => {
  it("grows while throughput rises with the lanes, up to the maximum and never above it", () => {
    const p = new Pacer({ max: 48, initial: 8 }, 0);
    const seen = drive(p, (lanes) => lanes * 100, 12);
    expect(seen.slice(0, 2)).toEqual([8, 12]);
    expect(Math.max(...seen)).toBe(48);
    expect(seen.at(-1)).toBe(48);
  });

  it("steps back to the last level that paid when a step up brings nothing (the client or service is the limit)", () => {
    const p = new Pacer({ max: 64, initial: 8 }, 0);
    // Throughput rises up to 18 lanes, then falls slightly (contention).
    const seen = drive(p, (lanes) => (lanes <= 18 ? lanes * 100 : 1800 - (lanes - 18) * 10), 7);
    expect(seen.slice(0, 4)).toEqual([8, 12, 18, 27]);
    expect(seen.slice(4)).toEqual([18, 18, 18]);
  });

  it("does not grow where throughput does not scale with the lanes (CPU bound), only drifts", () => {
    const p = new Pacer({ max: 64, initial: 8 }, 0);
    // +6 % for +50 % lanes: the step is undone, and retried only after a plateau.
    const seen = drive(p, (lanes) => 2000 * (1 + 0.1 * Math.log2(lanes / 8)), 6);
    expect(seen).toEqual([8, 12, 8, 8, 8, 8]);
  });

  it("halves on throttling or errors, not below one lane", () => {
    const p = new Pacer({ max: 64, initial: 32 }, 0);
    const seen = drive(
      p,
      () => 1000,
      7,
      () => true,
    );
    expect(seen).toEqual([16, 8, 4, 2, 1, 1, 1]);
  });

  it("does not decide before a window has passed, and starts at min(max, 8) by default", () => {
    const p = new Pacer({ max: 4 }, 0);
    expect(p.target).toBe(4);
    p.completed(100);
    expect(p.tick(100)).toBe(4);
    expect(new Pacer({ max: 64 }, 0).target).toBe(8);
  });

  it("recognises throttling errors", () => {
    expect(isThrottling({ name: "RequestThrottled" })).toBe(true);
    expect(isThrottling({ name: "ThrottlingException" })).toBe(true);
    expect(isThrottling({ name: "TooManyRequestsException" })).toBe(true);
    expect(isThrottling({ name: "X", $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling({ name: "InternalError", $metadata: { httpStatusCode: 500 } })).toBe(false);
  });
});
