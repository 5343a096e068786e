import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Testing } from "cdktn";

/** Wraps Testing.synth so each result is also written to `<dir>/<test file>/<test name>#<n>.json`. */
export function recordSyntheses(dir: string): void {
  const original = Testing.synth.bind(Testing);
  const counts = new Map<string, number>();
  Testing.synth = ((...args: Parameters<typeof Testing.synth>) => {
    const text = original(...args);
    const { testPath = "unknown", currentTestName = "outside-a-test" } = expect.getState();
    const file = relative(join(__dirname, ".."), testPath).replace(/[\\/]/g, "__");
    const name = currentTestName.replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 150);
    const key = `${file}/${name}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    mkdirSync(join(dir, file), { recursive: true });
    writeFileSync(join(dir, file, `${name}#${n}.json`), text);
    return text;
  }) as typeof Testing.synth;
}
