import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

/** Longest function (lines, first to last) outside tests: one screen. */
export const MAX_FUNCTION_LINES = 60;

/** A function, method, constructor or arrow function longer than the limit. */
export interface LongFunction {
  /** `path:Name` (Class.method, Class.constructor, a variable's or property's name, or `<anonymous>`). */
  readonly id: string;
  readonly lines: number;
  readonly line: number;
}

/** Functions over `max` lines in TypeScript source text (nested functions counted on their own too). */
export function longFunctions(file: string, text: string, max = MAX_FUNCTION_LINES): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const line = lineOf(node.getStart(source));
      const lines = lineOf(node.getEnd()) - line + 1;
      if (lines > max) found.push({ id: `${file}:${nameOf(node)}`, lines, line });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(node: ts.SignatureDeclaration): string {
  const owner = (n: ts.Node) => (ts.isClassLike(n.parent) && n.parent.name ? `${n.parent.name.text}.` : "");
  if (ts.isConstructorDeclaration(node)) return `${owner(node)}constructor`;
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)))
    return `${owner(node)}${node.name.text}`;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name))
    return parent.name.text;
  return "<anonymous>";
}

/** The TypeScript files of the project outside tests (sources, scripts, benchmarks), relative to `root`. */
export function projectSources(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      if (["node_modules", "dist", "cdktf.out", ".build"].includes(name)) return [];
      if (statSync(p).isDirectory()) return walk(p);
      return /\.(ts|mts|mjs|cjs|js)$/.test(name) && !/\.d\.m?ts$/.test(name) ? [relative(root, p)] : [];
    });
  return [
    ...["modules", "lambdas", "stacks", "policy", "scripts", "bench"].flatMap((d) => walk(join(root, d))),
    "main.ts",
  ];
}

/** Every long function of the project. */
export function projectLongFunctions(root: string): LongFunction[] {
  return projectSources(root).flatMap((f) => longFunctions(f, readFileSync(join(root, f), "utf8")));
}
