import { type Shape, shapeProblems } from "./props-shape";

/** Collects every problem in a construct's props, then throws once with all of them. */
export class PropsValidator {
  private readonly problems: string[] = [];

  constructor(private readonly construct: string) {}

  /** Records a problem at a props path unless `ok` holds. */
  check(ok: boolean, path: string, expected: string): void {
    if (!ok) this.problems.push(`${path}: ${expected}`);
  }

  /** Records a problem unless `value` is an integer in [min, max]. */
  integerInRange(value: number | undefined, path: string, min: number, max: number): void {
    if (value === undefined) return;
    this.check(
      Number.isInteger(value) && value >= min && value <= max,
      path,
      `expected an integer from ${min} to ${max}, got ${value}`,
    );
  }

  /** Records a problem unless `value` is a number in [min, max]. */
  numberInRange(value: number | undefined, path: string, min: number, max: number): void {
    if (value === undefined) return;
    this.check(
      Number.isFinite(value) && value >= min && value <= max,
      path,
      `expected a number from ${min} to ${max}, got ${value}`,
    );
  }

  /**
   * Records every structural problem of the props (missing, mistyped and unknown keys at any depth) and throws if
   * there is any: the value rules that follow read the props as their type says, which only holds once the shape does.
   */
  requireShape(props: unknown, shape: Shape): void {
    this.problems.push(...shapeProblems(props, shape));
    this.throwIfInvalid();
  }

  /** Throws a PropsError listing every recorded problem, if any. */
  throwIfInvalid(): void {
    if (this.problems.length > 0) throw new PropsError(this.construct, this.problems);
  }
}

/** Invalid construct props: names the construct and every field that was wrong. */
export class PropsError extends Error {
  constructor(
    readonly construct: string,
    readonly problems: readonly string[],
  ) {
    super(`${construct}: invalid props:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "PropsError";
  }
}
