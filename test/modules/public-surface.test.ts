import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as ts from "typescript";
import { z } from "zod";

/** Every .ts file under a folder. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

// Interfaces that describe what a construct exposes (outputs), not what a caller passes: no defaults to document.
const OUTPUT_TYPES = new Set(["EventTargetResources", "DeadLetterRoute"]);

/** `file:line Interface.member` of every optional member of an exported interface whose doc comment has no @default. */
function membersWithoutDefault(): string[] {
  const missing: string[] = [];
  for (const file of tsFiles("modules")) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    for (const node of source.statements) {
      if (!ts.isInterfaceDeclaration(node) || OUTPUT_TYPES.has(node.name.text)) continue;
      if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || !member.questionToken) continue;
        const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
        if (!docs.some((d) => d.tags?.some((t) => t.tagName.text === "default"))) {
          missing.push(
            `${file}:${source.getLineAndCharacterOfPosition(member.getStart()).line + 1} ${node.name.text}.${member.name.getText()}`,
          );
        }
      }
    }
  }
  return missing;
}

const INDEXES = [
  "modules/index",
  "modules/api/index",
  "modules/events/index",
  "modules/redrive/index",
  "modules/alarms/index",
  "modules/consumer/index",
  "modules/outbox/index",
  "modules/saga/index",
  "modules/fault-injection/index",
  "modules/dashboard/index",
  "modules/bootstrap/index",
];

describe("public surface of modules/", () => {
  it("every optional prop documents its default with a @default tag (what the API reference shows)", () => {
    expect(membersWithoutDefault()).toEqual([]);
  });

  it.each(INDEXES)(
    "%s exports at runtime only classes (constructs and PropsError), props schemas (zod, `...Schema`) and frozen limits (`..._LIMITS`): no patterns or helpers",
    (index) => {
      const exported: Record<string, unknown> = require(join("..", "..", index));
      const isClass = (v: unknown) => typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v));
      const isSchema = (name: string, v: unknown) => /Schema$/.test(name) && v instanceof z.ZodType;
      const isLimits = (name: string, v: unknown) =>
        /^[A-Z][A-Z0-9_]*_LIMITS$/.test(name) && typeof v === "object" && v !== null && Object.isFrozen(v);
      const others = Object.entries(exported)
        .filter(([name, v]) => !isClass(v) && !isSchema(name, v) && !isLimits(name, v))
        .map(([name, v]) => `${name}: ${v instanceof RegExp ? "RegExp" : typeof v}`);
      expect(others).toEqual([]);
      expect(Object.keys(exported)).toContain("PropsError");
    },
  );

  it("the root exports every construct of the module indexes", () => {
    const root = Object.keys(require("../../modules/index")).sort();
    const modules = [...new Set(INDEXES.slice(1).flatMap((i) => Object.keys(require(join("..", "..", i)))))].sort();
    expect(root).toEqual(modules);
    expect(root).toEqual(
      expect.arrayContaining([
        "AlarmTopic",
        "EventRouting",
        "RedriveFunction",
        "RestApiFrontDoor",
        "ApiGatewayAccountLogging",
      ]),
    );
  });

  it("the API reference (typedoc.json) documents exactly the package's entry points, and fails on warnings", () => {
    const typedoc = JSON.parse(readFileSync("typedoc.json", "utf8"));
    const manifest = JSON.parse(readFileSync(join("package", "package.json"), "utf8"));
    const sources = Object.values(manifest.exports as Record<string, string | { types: string }>)
      .filter((target): target is { types: string } => typeof target === "object")
      .map((target) => target.types.replace(/^\.\//, "").replace(/\.d\.ts$/, ".ts"))
      .sort();
    expect([...typedoc.entryPoints].sort()).toEqual(sources);
    expect(typedoc.treatWarningsAsErrors).toBe(true);
    expect(typedoc.validation.notExported).toBe(true);
  });
});
