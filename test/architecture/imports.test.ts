import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildApp } from "../../stacks/app";
import { loadEnvironments } from "../../stacks/config/load";
import { isUnderEnv } from "../helpers/env-guard";

/** Every .ts file under a folder, skipping installs and build output (an example app may have been installed locally). */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (["node_modules", "dist", "cdktf.out"].includes(name)) return [];
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

const SOURCE_DIRS = ["stacks", "modules", "lambdas", "policy", "test", "bench", "examples"];
const importsOf = (file: string) =>
  [...readFileSync(file, "utf8").matchAll(/(?:from\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);

/** Every source, script and example file (TypeScript and JavaScript), skipping installs and build output. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (["node_modules", "dist", "cdktf.out", ".build"].includes(name)) return [];
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|mjs|cjs|js)$/.test(p) ? [p] : [];
  });
}

/** A module specifier of the deprecated CDK for Terraform (the package, its sub-paths, its provider bindings and CLI). */
const DEPRECATED_CDKTF = /^(cdktf|cdktf-cli)(\/|$)|^@cdktf\//;

describe("architecture", () => {
  it("nothing imports the deprecated cdktf or @cdktf/* (the project is on CDK Terrain: cdktn, @cdktn/provider-aws)", () => {
    const files = [...[...SOURCE_DIRS, "scripts"].flatMap(sourceFiles), "main.ts", "jest.config.js"];
    expect(files.length).toBeGreaterThan(200);
    expect(files.filter((f) => importsOf(f).some((spec) => DEPRECATED_CDKTF.test(spec)))).toEqual([]);
    // The pattern is judging: each of these is caught, and the fork's names are not.
    for (const spec of ["cdktf", "cdktf/lib/testing/adapters/jest", "@cdktf/provider-aws/lib/sqs-queue", "cdktf-cli"])
      expect(DEPRECATED_CDKTF.test(spec)).toBe(true);
    for (const spec of ["cdktn", "cdktn/lib/testing/adapters/jest", "@cdktn/provider-aws/lib/sqs-queue", "cdktf-like"])
      expect(DEPRECATED_CDKTF.test(spec)).toBe(false);
  });

  it("the package manifests name no cdktf package either", () => {
    for (const manifest of [
      "package.json",
      "package/package.json",
      "examples/orders-api/package.json",
      "examples/team-redrive/package.json",
    ]) {
      const m = JSON.parse(readFileSync(manifest, "utf8"));
      const names = Object.keys({ ...m.dependencies, ...m.devDependencies, ...m.peerDependencies });
      expect({ manifest, names: names.filter((n) => DEPRECATED_CDKTF.test(n)) }).toEqual({ manifest, names: [] });
    }
  });

  it("no source file imports the @cdktn/provider-aws package root (it loads all 2,216 modules)", () => {
    const offenders = SOURCE_DIRS.flatMap(tsFiles)
      .concat("main.ts")
      .filter((f) =>
        importsOf(f).some(
          (spec) =>
            spec === "@cdktn/provider-aws" ||
            spec === "@cdktn/provider-aws/lib" ||
            spec === "@cdktn/provider-aws/lib/index",
        ),
      );
    expect(offenders).toEqual([]);
  });

  it("modules/ never imports stacks/ or reads env/: stacks pass props in", () => {
    const offenders = tsFiles("modules").filter((f) => {
      const text = readFileSync(f, "utf8");
      // an import of the stacks, or a path literal naming the env folder ("env", "env/dev.json", "../env/...")
      return (
        importsOf(f).some((spec) => /(^|\/)stacks(\/|$)/.test(spec)) || /["'`](\.\.\/)*env(\/[^"'`]*)?["'`]/.test(text)
      );
    });
    expect(offenders).toEqual([]);
  });

  it("modules/ and lambdas/ meet only in the contract (modules/shared/contract): no arrow from modules/ up into lambdas/", () => {
    const intoLambdas = tsFiles("modules").filter((f) => importsOf(f).some((spec) => /(^|\/)lambdas(\/|$)/.test(spec)));
    expect(intoLambdas).toEqual([]);
    const fromLambdas = tsFiles("lambdas").flatMap((f) =>
      importsOf(f)
        .filter((spec) => /(^|\/)modules\//.test(spec))
        .filter((spec) => !/(^|\/)modules\/shared\/contract\//.test(spec))
        // The CLI reads env files as strictly as the config does (duplicate keys, template sequences): one parser.
        .filter((spec) => !/(^|\/)modules\/shared\/strict-json$/.test(spec))
        .map((spec) => `${f}: ${spec}`),
    );
    expect(fromLambdas).toEqual([]);
    // The contract is a leaf: it imports nothing of the project.
    const contract = tsFiles(join("modules", "shared", "contract")).flatMap((f) =>
      importsOf(f)
        .filter((spec) => spec.startsWith(".") && !spec.startsWith("./"))
        .map((spec) => `${f}: ${spec}`),
    );
    expect(contract).toEqual([]);
  });

  it("one validation path: every construct that takes props parses them with parseProps (modules/shared/parse-props.ts)", () => {
    // LambdaProxyPermission is internal (not exported by the package): ApiRoutes builds it from props it parsed.
    const internal = [join("modules", "api", "lambda-proxy-permission.ts")];
    const offenders = tsFiles("modules")
      .filter((f) => !internal.includes(f))
      .filter((f) => /export class \w+ extends Construct[\s\S]*constructor\([^)]*props/.test(readFileSync(f, "utf8")))
      .filter((f) => !/\bparseProps\(|\bvalidateEventRoutingProps\(/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
    // No second mechanism: the hand-written shape tables and the WeakSet of vouched props are gone.
    const second = tsFiles("modules").filter((f) =>
      /PropsValidator|requireShape|vouched\(|_SHAPE\b/.test(readFileSync(f, "utf8")),
    );
    expect(second).toEqual([]);
  });

  it("each module keeps its defaults in one DEFAULTS object (<module>/defaults.ts or the contract), not as literals in constructs", () => {
    const literalDefault = /\?\? (-?\d[\d_.]*|"[^"]*")(?![^\n]*\/\/ not a default)/;
    const offenders = tsFiles("modules")
      .filter((f) => !/defaults\.ts$|[\\/]contract[\\/]|zod-problems\.ts$/.test(f))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .map((line, i) => [line, i + 1] as const)
          .filter(([line]) => literalDefault.test(line))
          .map(([line, n]) => `${f}:${n}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it("no import cycles in modules/, lambdas/ or stacks/ (type imports too): every file sits above what it imports", () => {
    const files = ["modules", "lambdas", "stacks"].flatMap(tsFiles);
    const edges = new Map(
      files.map((f) => [
        f,
        importsOf(f)
          .filter((spec) => spec.startsWith("."))
          .map((spec) =>
            [`${join(dirname(f), spec)}.ts`, join(dirname(f), spec, "index.ts")].find((t) => existsSync(t)),
          )
          .filter((t): t is string => t !== undefined),
      ]),
    );
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "open") {
        cycles.push([...path.slice(path.indexOf(f)), f].join(" -> "));
        return;
      }
      state.set(f, "open");
      for (const t of edges.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, "done");
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it("props live beside their schemas: no schema file imports a construct's file (the construct imports the schema)", () => {
    const offenders = tsFiles("modules")
      .filter((f) => /schema[^/]*\.ts$/.test(f))
      .flatMap((f) =>
        importsOf(f)
          .filter((spec) => spec.startsWith("."))
          .map((spec) => join(dirname(f), `${spec}.ts`))
          .filter((target) => existsSync(target) && /extends Construct\b/.test(readFileSync(target, "utf8")))
          .map((target) => `${f} imports ${target}`),
      );
    expect(offenders).toEqual([]);
  });

  it("the environment config (stacks/config/) imports no stack wiring: stacks read the config, never the reverse", () => {
    const offenders = tsFiles(join("stacks", "config")).flatMap((f) =>
      importsOf(f)
        .filter((spec) => /^\.\.\/[^./][^/]*$/.test(spec))
        .map((spec) => `${f}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it("Lambda code imports no cdktf, constructs or provider bindings (it ships in the bundle)", () => {
    const offenders = tsFiles("lambdas").filter((f) =>
      importsOf(f).some((spec) => /^(cdktn|cdktf|constructs|@cdktn\/|@cdktf\/)/.test(spec)),
    );
    expect(offenders).toEqual([]);
  });

  it("tests never read env/ (the platform team's to change), except the one smoke test; they use test/fixtures/env", () => {
    // a call handing the env folder to a loader, a synth or a file read (loadEnvironments, readFileSync(join(...)), ENV_DIR: ...)
    const readsEnv =
      /(\b(loadEnvironments|synthEnvironments|environmentJson|readdirSync|readFileSync|existsSync|envNames)\((\s*\w+\s*,)?\s*(join\(\s*)?|ENV_DIR\s*[:=]\s*)["'`](\.\/)?env["'`/]/;
    const offenders = tsFiles("test").filter(
      (f) =>
        // the smoke test reads env/; this file names it to prove the runtime guard refuses it
        ![join("test", "env-smoke.test.ts"), join("test", "architecture", "imports.test.ts")].includes(f) &&
        readsEnv.test(readFileSync(f, "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("a test's process cannot read env/ by any path: buildApp()'s default, loadEnvironments, a helper, a relative or absolute path", () => {
    const refused = /tests never read env\/ \(the platform team's folder; adding an account must keep CI green\)/;
    expect(() => buildApp({ outdir: join(__dirname, "never-written") })).toThrow(refused);
    expect(() => loadEnvironments("env")).toThrow(refused);
    expect(() => loadEnvironments(join(process.cwd(), "env"))).toThrow(refused);
    expect(() => readdirSync("./env/../env")).toThrow(refused);
    const helper = (dir: string) => readFileSync(join(dir, "dev.json"), "utf8");
    expect(() => helper("env")).toThrow(refused);
    expect([isUnderEnv("env-smoke"), isUnderEnv("test/fixtures/env"), isUnderEnv("environment")]).toEqual([
      false,
      false,
      false,
    ]);
  });
});
