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
